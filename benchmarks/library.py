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
    """Clone the pairing's metrics ``copies`` times (new ids) and include them, to grow its manual."""
    from ruamel.yaml import YAML

    pairing_file = content / "pairings" / f"{pairing}.yaml"
    text = pairing_file.read_text()
    used = YAML(typ="safe").load(text)["include"]["metrics"]
    metrics = [content / "metrics" / f"{metric_id}.yaml" for metric_id in used]
    new_ids = []
    for n in range(copies):
        source = metrics[n % len(metrics)]
        metric_id = f"{source.stem}-copy-{n}"
        body = re.sub(r"^id: .*$", f"id: {metric_id}", source.read_text(), count=1, flags=re.M)
        body = re.sub(r"^title: (.*)$", rf"title: \1 (site cohort {n})", body, count=1, flags=re.M)
        (content / "metrics" / f"{metric_id}.yaml").write_text(body)
        new_ids.append(metric_id)
    text = re.sub(r"(\n  metrics:\n)", r"\1" + "".join(f"    - {i}\n" for i in new_ids), text, count=1)
    if "    - " + new_ids[0] not in text:
        raise SystemExit("could not add metrics to the pairing's include list")
    pairing_file.write_text(text)


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
