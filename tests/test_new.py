"""``playbook new``: pairings started from a standard set validate and build at once."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from builder.cli import main
from conftest import MINIMAL_FILES, write_content

SETS = {
    model: f"""
    id: {model}-standard
    kind: standard-set
    title: {model.capitalize()} standard set
    model: {model}
    description: What every {model} pairing starts from.
    include:
      roles: [sponsor-lead, sponsor-qa, cro-pm, cro-safety-lead]
      responsibilities: [raci-safety]
      metrics: [sae-reporting-timeliness]
      governance: [joint-operations-committee]
      escalation: standard-escalation
      transition: standard-transition
      terms: [sae]
    services: [Safety case processing]
    owner: sponsor-lead
    approvers: [sponsor-lead, cro-pm]
    signatories: {{sponsor: sponsor-lead, provider: cro-pm}}
    """ for model in ("full-service", "functional", "specialty", "contractor", "hybrid")
}


@pytest.fixture
def library(tmp_path: Path) -> Path:
    files = {name: text for name, text in MINIMAL_FILES.items() if name != "pairings/acme-cro.yaml"}
    files.update({f"sets/{model}.yaml": text for model, text in SETS.items()})
    return write_content(tmp_path / "content", files)


NAMES = ["Acme Clinical", "O'Neill & Partners Research", "Søren Klinisk Forskning ApS"]


@pytest.mark.parametrize("model", list(SETS))
@pytest.mark.parametrize("name", NAMES)
def test_new_pairing_validates_and_builds_at_once(library: Path, tmp_path: Path, runner, model: str, name: str) -> None:
    result = runner.invoke(main, ["new", "pairing", "acme-new", "--provider-name", name, "--model", model,
                                  "--content", str(library)])
    assert result.exit_code == 0, result.output
    assert runner.invoke(main, ["validate", "--content", str(library)]).exit_code == 0
    pairing = (library / "pairings" / "acme-new.yaml").read_text()
    assert "DECIDE" in pairing and f"standard-sets:\n  - {model}-standard" in pairing
    out = tmp_path / "out"
    built = runner.invoke(main, ["build", "--content", str(library), "--pairing", "acme-new", "--out", str(out),
                                 "--format", "md", "--format", "docx"])
    assert built.exit_code == 0, built.output
    manual = (out / "acme-new" / "operating-manual.md").read_text()
    assert name in manual and "Good CRO" not in manual


def test_new_pairing_reuses_a_known_provider_and_writes_no_organization(library: Path, runner) -> None:
    result = runner.invoke(main, ["new", "pairing", "acme-again", "--provider-name", "Good CRO", "--model",
                                  "full-service", "--content", str(library)])
    assert result.exit_code == 0, result.output
    assert "provider 'cro'" in result.output and "(new)" not in result.output
    assert not (library / "organizations").exists()


def test_new_refuses_to_overwrite_and_writes_nothing(library: Path, runner) -> None:
    args = ["new", "pairing", "acme-new", "--provider-name", "Acme Clinical", "--model", "functional",
            "--content", str(library)]
    assert runner.invoke(main, args).exit_code == 0
    before = {p: p.read_bytes() for p in library.rglob("*.yaml")}
    again = runner.invoke(main, args)
    assert again.exit_code == 1 and "exists already" in again.output and "nothing was written" in again.output
    (library / "organizations" / "other-clinical.yaml").write_text("keep: me\n")
    clash = runner.invoke(main, ["new", "pairing", "acme-other", "--provider-name", "Other Clinical", "--model",
                                 "functional", "--content", str(library)])
    assert clash.exit_code == 1
    assert {p: p.read_bytes() for p in library.rglob("*.yaml") if p.name != "other-clinical.yaml"} == before
    assert not (library / "pairings" / "acme-other.yaml").exists()


@pytest.mark.parametrize("args, words", [
    (["Bad_ID"], "is not an id"),
    (["fine-id", "--sponsor", "nobody"], "no sponsor 'nobody'"),
])
def test_new_pairing_usage_errors(library: Path, runner, args: list[str], words: str) -> None:
    result = runner.invoke(main, ["new", "pairing", args[0], "--provider-name", "Acme", "--model", "functional",
                                  "--content", str(library), *args[1:]])
    assert result.exit_code == 2 and words in result.output and "Traceback" not in result.output


def test_new_pairing_needs_a_standard_set_for_the_model(library: Path, runner) -> None:
    (library / "sets" / "contractor.yaml").unlink()
    result = runner.invoke(main, ["new", "pairing", "x", "--provider-name", "Dr Who", "--model", "contractor",
                                  "--content", str(library)])
    assert result.exit_code == 1 and "no standard set for the contractor model" in result.output


def test_new_keeps_comments_of_the_files_it_writes_readable(library: Path, runner) -> None:
    runner.invoke(main, ["new", "pairing", "acme-new", "--provider-name", "O'Neill & Partners", "--model",
                         "functional", "--content", str(library)])
    organization = (library / "organizations" / "o-neill-partners.yaml").read_text()
    assert organization.startswith("# yaml-language-server: $schema=")
    assert "title: O'Neill & Partners" in organization and "# DECIDE: the provider's legal name" in organization
    assert textwrap.dedent(organization)


EXAMPLE_NAMES = ("Northwind", "Meridian", "Helix", "Cobalt", "Álvarez", "Lindqvist", "Acme", "NWT-")


def test_new_library_validates_and_builds_with_no_example_names(tmp_path: Path, runner) -> None:
    """`playbook new library` copies the example library's standard blocks: a sponsor, the standard sets
    and one pairing that validate and build at once, naming no example organization."""
    library = tmp_path / "mine"
    made = runner.invoke(main, ["new", "library", str(library)])
    assert made.exit_code == 0, made.output
    assert (library / "standard" / "sets" / "full-service.yaml").is_file()
    checked = runner.invoke(main, ["validate", "--content", str(library)])
    assert checked.exit_code == 0 and "error" not in checked.output, checked.output
    out = tmp_path / "out"
    built = runner.invoke(main, ["build", "--content", str(library), "--out", str(out), "--format", "md",
                                 "--format", "docx", "--jobs", "1"])
    assert built.exit_code == 0, built.output
    outputs = sorted(out.glob("*/*.*"))
    assert {p.suffix for p in outputs} == {".md", ".docx"} and len(outputs) == 6  # three documents, two formats
    for path in outputs:
        text = path.read_text(encoding="utf-8") if path.suffix == ".md" else \
            __import__("zipfile").ZipFile(path).read("word/document.xml").decode("utf-8")
        for name in EXAMPLE_NAMES:
            assert name not in text, f"{path.name} names {name}"
    agreement = (out / "sponsor-provider" / "quality-agreement.md").read_text()
    assert "Sponsor Company, Inc." in agreement and "Provider Company" in agreement


@pytest.mark.parametrize("model", ["functional", "specialty", "contractor", "hybrid"])
def test_new_library_starts_a_pairing_of_every_model(tmp_path: Path, runner, model: str) -> None:
    library = tmp_path / "mine"
    assert runner.invoke(main, ["new", "library", str(library)]).exit_code == 0
    name = "O'Brien & Søn Klinisk"
    made = runner.invoke(main, ["new", "pairing", "next", "--provider-name", name, "--model", model,
                                "--content", str(library)])
    assert made.exit_code == 0, made.output
    out = tmp_path / "out"
    built = runner.invoke(main, ["build", "--content", str(library), "--pairing", "next", "--out", str(out),
                                 "--format", "md"])
    assert built.exit_code == 0, built.output
    agreement = (out / "next" / "quality-agreement.md").read_text()
    assert name.replace("&", "\\&") in agreement or name in agreement
    assert "Provider Company" not in agreement
