"""Shared fixtures: small content libraries written to temporary folders."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

MINIMAL_FILES: dict[str, str] = {
    "organizations.yaml": """
        - id: acme
          kind: organization
          title: Acme Bio
          type: sponsor
          legal-name: Acme Bio Inc.
          description: A sponsor.
          policy: {minimum-transition-months: 6}
        - id: cro
          kind: organization
          title: Good CRO
          type: full-service-cro
          legal-name: Good CRO Ltd
          description: A CRO.
        """,
    "roles.yaml": """
        - {id: sponsor-lead, kind: role, title: Sponsor Lead, party: sponsor, purpose: Leads., qualifications: [MSc]}
        - {id: sponsor-qa, kind: role, title: Sponsor QA, party: sponsor, purpose: Assures quality., qualifications: [GCP]}
        - {id: cro-pm, kind: role, title: CRO Project Manager, party: provider, purpose: Manages., qualifications: [PMP]}
        - {id: cro-safety-lead, kind: role, title: CRO Safety Lead, party: provider, purpose: Safety., qualifications: [MD]}
        """,
    "raci.yaml": """
        id: raci-safety
        kind: responsibility
        title: Safety
        area: safety
        activities:
          - id: sae-processing
            task: Process SAE reports
            raci: {cro-safety-lead: A/R, sponsor-lead: I}
          - id: signal-review
            task: Review safety signals
            raci: {sponsor-lead: A, cro-safety-lead: R}
        """,
    "metrics/sae.yaml": """
        id: sae-reporting-timeliness
        kind: metric
        type: KPI
        title: SAE reporting timeliness
        definition: SAEs reported within 24 hours.
        formula: SAEs reported within 24 h / all SAEs x 100
        unit: percent
        direction: higher-is-better
        target: 100
        thresholds: {amber: 98, red: 95}
        frequency: monthly
        source: safety database
        owner: cro-safety-lead
        reviewed-by: joint-operations-committee
        """,
    "governance.yaml": """
        id: joint-operations-committee
        kind: governance
        title: Joint Operations Committee
        tier: operational
        mandate: Reviews performance.
        chair: sponsor-lead
        members: [cro-pm, sponsor-qa]
        frequency: monthly
        quorum: Chair plus one member of each party.
        decision-rights: [Approve corrective action plans]
        """,
    "escalation.yaml": """
        id: standard-escalation
        kind: escalation
        title: Escalation ladder
        levels:
          - {level: 1, name: Study leads, contacts: [cro-pm, sponsor-lead], triggers: [Amber metric], resolve-within: {value: 5, unit: business-days}}
          - {level: 2, name: Operations committee, contacts: [sponsor-lead], forum: joint-operations-committee, triggers: [Red metric], resolve-within: {value: 10, unit: business-days}}
          - {level: 3, name: Dispute resolution, contacts: [sponsor-lead], triggers: [Unresolved], final: true, decides: Per the MSA}
        """,
    "transition.yaml": """
        id: standard-transition
        kind: transition
        title: Transition plan
        oversight-levels:
          - {id: intensive, name: Intensive, review: All deliverables, sampling-percent: 100, meetings: Weekly}
          - {id: sampled, name: Sampled, review: A quarter of deliverables, sampling-percent: 25, meetings: Bi-weekly}
        phases:
          - id: intensive-oversight
            name: Intensive oversight
            start-month: 0
            end-month: 6
            oversight: intensive
            activities: [Review every deliverable]
            exit-criteria:
              - {metric: sae-reporting-timeliness, status: green, periods: 2}
          - {id: steady-state, name: Steady state, start-month: 6, oversight: sampled, activities: [Sampled review]}
        """,
    "provisions.yaml": """
        id: fixed-price
        kind: provision
        title: Fixed price
        category: pricing
        pricing: {model: fixed-price, currency: EUR, rationale: Stable scope.}
        """,
    "terms.yaml": """
        - {id: sae, kind: term, title: Serious adverse event, abbreviation: SAE, definition: An adverse event that is serious.}
        """,
    "pairings/acme-cro.yaml": """
        id: acme-cro
        kind: pairing
        title: Acme Bio and Good CRO
        sponsor: acme
        provider: cro
        model: full-service
        rationale: One CRO runs the study.
        scope:
          programme: ACM-1
          description: One study.
          studies:
            - {protocol: ACM-1-301, title: A study, phase: III, therapeutic-area: Oncology, indication: NSCLC, regions: [Europe]}
          services: [Monitoring]
        master-agreement: MSA 1
        documents: [operating-manual, quality-agreement]
        include:
          roles: [sponsor-lead, cro-pm]
          responsibilities: [raci-safety]
          metrics: [sae-reporting-timeliness]
          governance: [joint-operations-committee]
          escalation: standard-escalation
          transition: standard-transition
          provisions: [fixed-price]
          terms: [sae]
        control:
          version: 1.0.0
          status: draft
          effective: 2027-01-15
          owner: sponsor-lead
          approvers: [sponsor-lead, cro-pm]
          documents:
            quality-agreement:
              version: 1.0.0
              history: []
        signatories:
          sponsor: {role: sponsor-lead, name: Ann Smith, title: VP Clinical Operations}
          provider: {role: cro-pm, name: Bob Jones, title: Executive Director}
        """,
}


TINY_TEMPLATES = {
    "operating-manual/document.md.j2": """
        # Purpose {#sec-purpose}

        {{ ctx.pairing.rationale | block }}
        See [@sec-metrics].

        # Metrics {#sec-metrics}

        Table: Metrics {#tbl-metrics}

        | Metric | Target | Amber | Red |
        |---|---|---|---|
        {% for m in ctx.metrics %}
        | {{ m.title | inline }} | {{ m.target | number }} | {{ m.thresholds.amber | number }} | {{ m.thresholds.red | number }} |
        {% endfor %}
        """,
    "quality-agreement/document.md.j2": """
        # Parties {#sec-parties}

        § {#clause-parties} This agreement is between {{ ctx.sponsor.legal_name }} and {{ ctx.provider.legal_name }}.
        """,
}


def write_templates(root: Path, templates: dict[str, str] = TINY_TEMPLATES) -> Path:
    """Write small document templates (for --templates) under ``root``."""
    for name, text in templates.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return root


def write_content(root: Path, files: dict[str, str]) -> Path:
    """Write content files (dedented) under ``root``; a value of None removes the file."""
    for name, text in files.items():
        path = root / name
        if text is None:
            path.unlink(missing_ok=True)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


@pytest.fixture
def minimal_content(tmp_path: Path) -> Path:
    """A small, valid content library in a temporary folder."""
    return write_content(tmp_path / "content", MINIMAL_FILES)


@pytest.fixture(scope="session", autouse=True)
def parse_store(tmp_path_factory: pytest.TempPathFactory):
    """The store of parsed content files (builder/content/file_blocks.py) in a folder of this
    test run, not the user's cache; commands run as subprocesses inherit it."""
    with pytest.MonkeyPatch.context() as patch:
        folder = tmp_path_factory.mktemp("parse-store")
        patch.setenv("PLAYBOOK_CACHE_DIR", str(folder))
        yield folder


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def _register_hypothesis_profiles() -> None:
    import os

    from hypothesis import settings

    settings.register_profile("ci", max_examples=1500, deadline=None)
    settings.register_profile("long", max_examples=50_000, deadline=None)
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


_register_hypothesis_profiles()
