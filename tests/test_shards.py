"""Sharded builds: K/N shares balanced by cost, merged into the same bytes as one full build."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from builder.cli import main
from builder.engine.shards import Shard, plan_shards
from conftest import MINIMAL_FILES, write_content, write_templates


@pytest.fixture
def portfolio(tmp_path: Path) -> Path:
    """Five pairings of different sizes over one small library."""
    files = dict(MINIMAL_FILES)
    base = MINIMAL_FILES["pairings/acme-cro.yaml"]
    for n in range(2, 6):
        files[f"pairings/acme-cro-{n}.yaml"] = base.replace("id: acme-cro", f"id: acme-cro-{n}").replace(
            "terms: [sae]", "terms: [sae]" if n % 2 else "terms: []")
    write_content(tmp_path / "content", files)
    write_templates(tmp_path / "tpl")
    return tmp_path


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def run(runner, *args: str):
    return runner.invoke(main, list(args), catch_exceptions=False)


def test_three_shards_merged_give_the_bytes_of_one_full_build(portfolio: Path, runner, monkeypatch) -> None:
    monkeypatch.setenv("PLAYBOOK_SOFFICE", "none")  # about shares, not Word's page numbers: no layouts
    common = ["--content", str(portfolio / "content"), "--templates", str(portfolio / "tpl"),
              "--format", "md", "--format", "html", "--format", "docx", "--jobs", "1"]
    assert run(runner, "build", *common, "--out", str(portfolio / "full")).exit_code == 0
    built = []
    for k in (1, 2, 3):
        result = run(runner, "build", *common, "--shard", f"{k}/3", "--out", str(portfolio / f"s{k}"))
        assert result.exit_code == 0, result.output
        assert f"(shard {k}/3)" in result.output
        built.append({p.parent.name for p in (portfolio / f"s{k}").rglob("*.md")})
    assert set().union(*built) == {"acme-cro", *(f"acme-cro-{n}" for n in range(2, 6))}
    assert sum(len(share) for share in built) == 5  # each pairing in exactly one shard
    result = run(runner, "merge", *(str(portfolio / f"s{k}") for k in (1, 2, 3)), "--out", str(portfolio / "merged"))
    assert result.exit_code == 0, result.output
    assert "merged 30 outputs from 3 folders" in result.output
    assert tree(portfolio / "merged") == tree(portfolio / "full")


def test_merge_refuses_overlaps_stray_files_changed_bytes_and_a_full_folder(portfolio: Path, runner) -> None:
    common = ["--content", str(portfolio / "content"), "--templates", str(portfolio / "tpl"), "--format", "md"]
    for k in (1, 2):
        assert run(runner, "build", *common, "--shard", f"{k}/2", "--out", str(portfolio / f"s{k}")).exit_code == 0
    overlap = run(runner, "merge", str(portfolio / "s1"), str(portfolio / "s1"), "--out", str(portfolio / "m1"))
    assert overlap.exit_code == 1 and "shards must not overlap" in overlap.output
    assert not (portfolio / "m1").exists()
    some = next((portfolio / "s2").rglob("*.md"))
    some.write_text(some.read_text() + "edited\n")
    (portfolio / "s1" / "stray.txt").write_text("x")
    bad = run(runner, "merge", str(portfolio / "s1"), str(portfolio / "s2"), "--out", str(portfolio / "m2"))
    assert bad.exit_code == 1
    assert "stray.txt" in bad.output and "not listed in its folder's manifest" in bad.output
    assert "its bytes differ from what the manifest records" in bad.output
    assert "nothing was written" in bad.output and not (portfolio / "m2").exists()
    (portfolio / "full").mkdir()
    (portfolio / "full" / "keep.pdf").write_text("mine")
    busy = run(runner, "merge", str(portfolio / "s2"), "--out", str(portfolio / "full"))
    assert busy.exit_code == 1 and "not empty" in busy.output
    assert (portfolio / "full" / "keep.pdf").read_text() == "mine"


def test_merge_refuses_shards_of_another_builder(portfolio: Path, runner) -> None:
    common = ["--content", str(portfolio / "content"), "--templates", str(portfolio / "tpl"), "--format", "md"]
    for k in (1, 2):
        assert run(runner, "build", *common, "--shard", f"{k}/2", "--out", str(portfolio / f"s{k}")).exit_code == 0
    manifest = portfolio / "s2" / "manifest.json"
    data = json.loads(manifest.read_text())
    data["builder"]["fingerprint"] = "0.0.1+000000000000"
    manifest.write_text(json.dumps(data))
    result = run(runner, "merge", str(portfolio / "s1"), str(portfolio / "s2"), "--out", str(portfolio / "m"))
    assert result.exit_code == 1 and "another builder version" in result.output


def test_shard_plans_are_balanced_by_cost_and_deterministic() -> None:
    costs = {f"p{i:03d}": float(1 + (i * 37) % 11) for i in range(100)}
    shares = plan_shards(costs, 4)
    assert shares == plan_shards(dict(reversed(list(costs.items()))), 4)
    loads = [sum(costs[p] for p in share) for share in shares]
    ideal = sum(costs.values()) / 4
    assert max(loads) <= ideal * 1.15
    assert sorted(p for share in shares for p in share) == sorted(costs)


@pytest.mark.parametrize("spec", ["0/3", "4/3", "x", "1/0", "2"])
def test_a_bad_shard_is_a_usage_error(spec: str, portfolio: Path, runner) -> None:
    result = runner.invoke(main, ["build", "--content", str(portfolio / "content"), "--shard", spec])
    assert result.exit_code == 2 and "--shard" in result.output


def test_shard_parse() -> None:
    assert Shard.parse(" 2 / 5 ") == Shard(2, 5) and str(Shard(2, 5)) == "2/5"
