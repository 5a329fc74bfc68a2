"""Generated libraries for the benchmarks, built from the example content in content/."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "content"
BIG_PAIRING = "northwind-meridian-phase3-oncology"


def copy_example(dest: Path) -> Path:
    """A copy of the example library."""
    shutil.copytree(EXAMPLE, dest)
    return dest


def add_metric_copies(content: Path, pairing: str, copies: int) -> None:
    """Clone the pairing's metrics ``copies`` times (new ids, in ``content/benchmark-metrics/``) and
    include them, to grow its manual. The metrics may come from its standard sets or its own list."""
    from ruamel.yaml import YAML

    from builder.compose.check import check_content

    context = check_content(content, [pairing]).contexts[pairing]
    sources = [(metric.id, Path(context.sources[("metric", metric.id)])) for metric in context.metrics]
    folder = content / "benchmark-metrics"
    folder.mkdir()
    yaml = YAML()
    new_ids = []
    for n in range(copies):
        metric_id, source = sources[n % len(sources)]
        blocks = list(yaml.load_all(source.read_text()))
        blocks = [b for block in blocks for b in (block if isinstance(block, list) else [block])]
        block = next(b for b in blocks if b.get("id") == metric_id)
        block["id"] = f"{metric_id}-copy-{n}"
        block["title"] = f"{block['title']} (site cohort {n})"
        with (folder / f"{block['id']}.yaml").open("w") as out:
            yaml.dump(block, out)
        new_ids.append(block["id"])
    pairing_file = Path(context.sources[("pairing", pairing)])
    document = yaml.load(pairing_file.read_text())
    document.setdefault("include", {}).setdefault("metrics", [])
    document["include"]["metrics"] = [*document["include"]["metrics"], *new_ids]
    with pairing_file.open("w") as out:
        yaml.dump(document, out)


def add_pairing_copies(content: Path, count: int) -> list[str]:
    """Clone the example pairings until there are ``count`` of them."""
    pairings = sorted((content / "pairings").glob("*.yaml"))
    ids = [p.stem for p in pairings]
    n = 0
    while len(ids) < count:
        source = pairings[n % len(pairings)]
        new_id = f"{source.stem}-{n}"
        body = re.sub(r"^id: .*$", f"id: {new_id}", source.read_text(), count=1, flags=re.M)
        (content / "pairings" / f"{new_id}.yaml").write_text(body)
        ids.append(new_id)
        n += 1
    return ids
