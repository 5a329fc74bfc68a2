"""The example library: reusable standard blocks, and documents that name only their own parties."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from builder.compose.check import check_content
from builder.compose.text_rules import organization_names
from builder.engine.pipeline import Pipeline

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
EXAMPLE_NAMES = ("Northwind", "Meridian", "Helix", "Cobalt", "Álvarez", "Alvarez", "Lindqvist", "Acme", "NWT-")


@pytest.fixture(scope="module")
def checked():
    result = check_content(CONTENT)
    assert result.ok, [str(d) for d in result.diagnostics.errors]
    return result


@pytest.fixture(scope="module")
def built(checked) -> dict[tuple[str, str], str]:
    """The text of every document of every example pairing, as the build renders it."""
    pipeline = Pipeline.load()
    return {(pairing_id, document): pipeline.assemble(context, document).markdown
            for pairing_id, context in checked.contexts.items() for document in context.pairing.documents}


def test_every_example_pairing_has_all_three_documents(checked, built) -> None:
    assert len(checked.contexts) == 5
    assert {document for _, document in built} == {"operating-manual", "quality-agreement", "transition-plan"}
    assert all(len([d for p, d in built if p == pairing]) == 3 for pairing in checked.contexts)


def test_no_document_names_an_organization_that_is_not_its_party_or_declared_third_party(checked, built) -> None:
    organizations = [entry.block for entry in checked.library.entries["organization"].values()]
    for (pairing_id, document), text in built.items():
        context = checked.contexts[pairing_id]
        allowed = {context.sponsor.id, context.provider.id, *(org.id for org in context.other_providers)}
        allowed_names = {name for org in organizations if org.id in allowed for name in organization_names(org)}
        for org in organizations:
            if org.id in allowed:
                continue
            for name in organization_names(org):
                for match in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text):
                    around = text[max(0, match.start() - 40):match.end() + 40]
                    assert any(name in allowed_name for allowed_name in allowed_names), (
                        f"{pairing_id} {document} names {org.legal_name}: ...{around}...")


def test_the_pairing_made_with_playbook_new_names_no_other_provider(checked, built) -> None:
    others = [entry.block for entry in checked.library.entries["organization"].values()
              if entry.block.id not in ("northwind", "acme-clinical-monitoring")]
    for document in ("operating-manual", "quality-agreement"):
        text = built[("northwind-acme-fsp-monitoring", document)]
        for org in others:
            for name in organization_names(org):
                assert name not in text, (document, name)
    assert checked.contexts["northwind-acme-fsp-monitoring"].pairing.other_providers == []
    assert "playbook new" in (CONTENT / "pairings" / "northwind-acme-fsp-monitoring.yaml").read_text()


def test_standard_blocks_name_no_example_organization_and_use_party_references() -> None:
    files = sorted((CONTENT / "standard").rglob("*.yaml"))
    assert len(files) > 100
    for path in files:
        text = path.read_text(encoding="utf-8")
        for name in EXAMPLE_NAMES:
            assert name not in text, f"{path.relative_to(ROOT)} names {name}"
    roles = (CONTENT / "standard" / "roles" / "sponsor-study-manager.yaml").read_text()
    assert "<<sponsor.short>>" in roles and "<<provider.short>>" in roles


def test_provider_blocks_are_specific_to_their_provider(checked) -> None:
    for entry in (entry for kind in checked.library.entries.values() for entry in kind.values()):
        path = Path(entry.source.file)
        if "providers" not in path.parts or entry.block.kind == "organization":
            continue
        provider = path.parts[path.parts.index("providers") + 1]
        assert entry.block.specific_to == provider, f"{path}: specific-to {entry.block.specific_to}"


@pytest.mark.parametrize("model", ["full-service", "functional", "specialty", "contractor", "hybrid"])
def test_a_standard_set_per_model_with_a_transition_of_six_months_and_its_own_metrics(checked, model) -> None:
    (standard_set,) = [e.block for e in checked.library.entries["standard-set"].values() if e.block.model == model]
    include = standard_set.include
    assert include.roles and include.responsibilities and include.metrics and include.governance
    assert include.escalation and include.transition and include.provisions
    transition = checked.library.get("transition", include.transition).block
    assert max(phase.start_month for phase in transition.phases) >= 6
    named = {c.metric for phase in transition.phases for c in phase.exit_criteria if c.metric}
    assert named and named <= set(include.metrics)


def test_boilerplate_fits_the_model(checked, built) -> None:
    lab, lab_manual = (built[("northwind-cobalt-central-lab", d)] for d in ("quality-agreement", "operating-manual"))
    assert "classify the protocol deviations" not in lab  # a laboratory does not monitor sites
    assert "CRAs assigned to oncology sites" not in lab_manual  # nor staff CRAs
    assert "CRAs assigned to oncology sites" in built[("northwind-meridian-phase3-oncology", "operating-manual")]
    assert "Statement of Work" in lab_manual and "Work Order" not in lab_manual
    assert "quality tolerance limit" not in built[("northwind-helix-fsp-data", "quality-agreement")].lower()
    monitoring = built[("northwind-meridian-phase3-oncology", "quality-agreement")]
    assert "classify the protocol deviations" in monitoring
    fsp_data = built[("northwind-helix-fsp-data", "quality-agreement")]
    assert "# Blinding and unblinding" in fsp_data and "# Investigational product" not in fsp_data
