"""``playbook diff`` on temporary git repositories: block and field changes, affected pairings
and documents, version proposals, formats, errors, and a working tree left untouched."""

from __future__ import annotations

import difflib
import json
import os
import subprocess
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from builder.review.analysis import bump_version
from builder.cli.diff import diff
from builder.review.field_diff import ItemId, diff_values
from conftest import MINIMAL_FILES, write_content

AUTHOR = ("Ann Reviewer", "ann@example.com")
FIRST_DATE = "2027-01-20T09:00:00+00:00"
SECOND_DATE = "2027-02-01T10:00:00+00:00"

QA_PROVISION = """
    id: qa-audits
    kind: provision
    title: Audits
    category: quality-clause
    section: audits
    clauses:
      - The Provider shall permit the Sponsor to audit the services with 30 days' notice.
      - The Provider shall respond to an audit report within 20 business days with a plan for each finding.
    """
REVIEW_FILES = {
    **MINIMAL_FILES,
    "provisions-qa.yaml": QA_PROVISION,
    "pairings/acme-cro.yaml": MINIMAL_FILES["pairings/acme-cro.yaml"].replace(
        "provisions: [fixed-price]", "provisions: [fixed-price, qa-audits]"),
}
REVIEW_TEMPLATES = {
    "operating-manual/document.md.j2": """
        # Purpose {#sec-purpose}

        {{ ctx.pairing.rationale | block }}

        # Metrics {#sec-metrics}

        {% for m in ctx.metrics %}
        {{ m.title | inline }}: {{ m.definition | inline }}

        {% endfor %}
        Table: Metrics {#tbl-metrics}

        | Metric | Target | Amber | Red |
        |---|---|---|---|
        {% for m in ctx.metrics %}
        | {{ m.title | inline }} | {{ m.target | number }} | {{ m.thresholds.amber | number }} | {{ m.thresholds.red | number }} |
        {% endfor %}

        # Roles {#sec-roles}

        {% for r in ctx.roles %}
        - {{ r.title | inline }}: {{ r.purpose | inline }}
        {% endfor %}
        """,
    "quality-agreement/document.md.j2": """
        # Parties {#sec-parties}

        § {#clause-parties} This agreement, version {{ ctx.pairing.control.version }}, is between {{ ctx.sponsor.legal_name }} and {{ ctx.provider.legal_name }}.

        # Audits {#sec-audits}

        {% for p in ctx.provisions if p.category == "quality-clause" %}
        {% for c in p.clauses %}
        § {{ c | block }}

        {% endfor %}
        {% endfor %}
        # Metrics {#sec-qa-metrics}

        {% for m in ctx.metrics %}
        § The red threshold of {{ m.title | inline }} is {{ m.thresholds.red | number }} percent (see [@sec-audits]).

        {% endfor %}
        """,
}


# -- a temporary repository --------------------------------------------------------------------
@pytest.fixture(autouse=True)
def isolated_git(monkeypatch, tmp_path: Path) -> None:
    """No user or system git configuration; repositories found only inside tmp_path."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))


def git(repo: Path, *args: str, date: str = FIRST_DATE) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": AUTHOR[0], "GIT_AUTHOR_EMAIL": AUTHOR[1],
           "GIT_COMMITTER_NAME": AUTHOR[0], "GIT_COMMITTER_EMAIL": AUTHOR[1],
           "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    result = subprocess.run(["git", "-C", str(repo), *args], env=env, capture_output=True, text=True, check=True)
    return result.stdout


def write_templates(folder: Path) -> Path:
    for name, text in REVIEW_TEMPLATES.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return folder


def make_repo(root: Path) -> Path:
    """A git repository with the review content committed once, and templates beside it."""
    write_content(root / "content", REVIEW_FILES)
    write_templates(root / "tpl")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "First version")
    return root


def edit(repo: Path, name: str, old: str, new: str) -> None:
    path = repo / "content" / name
    text = path.read_text(encoding="utf-8")
    assert old in text, (name, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


def commit(repo: Path, message: str, date: str = SECOND_DATE) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message, date=date)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch) -> Path:
    root = make_repo(tmp_path / "repo")
    monkeypatch.chdir(root)
    return root


def run(*args: str):
    """Run ``playbook diff`` with the repository's templates; returns the click Result."""
    result = CliRunner().invoke(diff, [*args, "--templates", "tpl"], catch_exceptions=False)
    assert "Traceback" not in result.output
    return result


# -- the diff ----------------------------------------------------------------------------------
def test_a_committed_threshold_change_is_reported_with_pairings_documents_and_version(repo: Path) -> None:
    edit(repo, "metrics/sae.yaml", "red: 95", "red: 94")
    commit(repo, "Tighten the SAE red threshold")
    result = run("HEAD~1", "HEAD")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("playbook diff: HEAD~1 (") and lines[0].endswith(") -> HEAD (" + git(repo, "rev-parse", "--short=7", "HEAD").strip() + ")")
    assert "metric sae-reporting-timeliness: changed (HEAD:content/metrics/sae.yaml)" in lines
    assert "metric sae-reporting-timeliness: thresholds.red 95 -> 94" in lines
    assert "  affects acme-cro: operating-manual, quality-agreement" in lines
    assert ("  acme-cro: operating-manual changed, quality-agreement changed; version 1.0.0 -> 1.1.0 proposed "
            "(minor: a value changed: metric sae-reporting-timeliness thresholds.red); quality-agreement: version "
            "1.0.0 -> 1.1.0 proposed (minor: a value changed: metric sae-reporting-timeliness thresholds.red)") in lines
    assert lines[-1] == "1 block changed (0 added, 0 removed, 1 changed); 2 documents changed in 1 pairing"


def test_json_report_names_revisions_changes_and_snapshot_diffs(repo: Path) -> None:
    edit(repo, "metrics/sae.yaml", "red: 95", "red: 94")
    commit(repo, "Tighten the SAE red threshold")
    report = json.loads(run("HEAD~1", "HEAD", "--format", "json").stdout)
    assert report["ok"] is True
    assert report["new"]["author"] == "Ann Reviewer" and report["new"]["date"] == SECOND_DATE
    assert report["new"]["subject"] == "Tighten the SAE red threshold"
    assert report["old"]["commit"] == git(repo, "rev-parse", "HEAD~1").strip()
    assert report["summary"] == {"added": 0, "removed": 0, "changed": 1, "documents_changed": 2}
    assert report["changes"] == [{
        "kind": "metric", "id": "sae-reporting-timeliness", "change": "changed",
        "old_file": "HEAD~1:content/metrics/sae.yaml", "new_file": "HEAD:content/metrics/sae.yaml",
        "fields": [{"path": "thresholds.red", "change": "changed", "old": 95, "new": 94}],
        "affects": [{"pairing": "acme-cro", "documents": ["operating-manual", "quality-agreement"]}],
    }]
    (pairing,) = report["pairings"]
    assert pairing["version"] == {"old": "1.0.0", "new": "1.0.0", "bump": "minor", "proposed": "1.1.0",
                                  "reason": "a value changed: metric sae-reporting-timeliness thresholds.red"}
    manual = pairing["documents"][0]
    assert manual["document"] == "operating-manual" and manual["status"] == "changed"
    assert "-| SAE reporting timeliness | 100 | 98 | 95 |" in manual["snapshot_diff"].splitlines()
    assert "+| SAE reporting timeliness | 100 | 98 | 94 |" in manual["snapshot_diff"].splitlines()
    assert report["diagnostics"] == []


def test_the_review_snapshots_own_diff_shows_the_same_change(repo: Path, tmp_path: Path) -> None:
    """`playbook build --format md` of both revisions, diffed, says what `playbook diff` says."""
    from builder.engine.build import BuildOptions, build
    from builder.review.revisions import materialise, resolve_revision
    from pathlib import PurePosixPath

    edit(repo, "metrics/sae.yaml", "red: 95", "red: 94")
    commit(repo, "Tighten the SAE red threshold")
    snapshots = {}
    for label in ("HEAD~1", "HEAD"):
        content = materialise(repo, resolve_revision(repo, label), PurePosixPath("content"), tmp_path / label / "content")
        result = build(BuildOptions(content=content, out=tmp_path / label / "out", formats=("md",),
                                    templates=repo / "tpl", jobs=1))
        assert result.ok, [str(d) for d in result.diagnostics]
        snapshots[label] = (tmp_path / label / "out" / "acme-cro" / "quality-agreement.md").read_text().splitlines()
    changed = [line for line in difflib.unified_diff(snapshots["HEAD~1"], snapshots["HEAD"], lineterm="", n=0)
               if line[:1] in "+-" and line[:3] not in ("+++", "---")]
    assert changed == ["-§ The red threshold of SAE reporting timeliness is 95 percent (see [@sec-audits]).",
                       "+§ The red threshold of SAE reporting timeliness is 94 percent (see [@sec-audits])."]
    report = json.loads(run("HEAD~1", "HEAD", "--format", "json").stdout)
    qa = report["pairings"][0]["documents"][1]
    assert [l for l in qa["snapshot_diff"].splitlines() if l[:1] in "+-" and l[:3] not in ("+++", "---")] == changed


def test_working_tree_is_the_default_new_side_and_is_left_untouched(repo: Path) -> None:
    edit(repo, "metrics/sae.yaml", "red: 95", "red: 94")
    status = git(repo, "status", "--porcelain")  # refreshes the index: before reading it
    index = (repo / ".git" / "index").read_bytes()
    head = git(repo, "rev-parse", "HEAD")
    result = run("HEAD")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("playbook diff: HEAD (")
    assert " -> the working tree" in result.stdout.splitlines()[0]
    assert "metric sae-reporting-timeliness: changed (content/metrics/sae.yaml)" in result.stdout
    assert "metric sae-reporting-timeliness: thresholds.red 95 -> 94" in result.stdout
    assert (repo / ".git" / "index").read_bytes() == index
    assert git(repo, "status", "--porcelain") == status and git(repo, "rev-parse", "HEAD") == head
    assert "red: 94" in (repo / "content" / "metrics" / "sae.yaml").read_text()


def test_wording_is_a_patch_and_shows_the_changed_words(repo: Path) -> None:
    edit(repo, "metrics/sae.yaml", "definition: SAEs reported within 24 hours.",
         "definition: SAEs sent to the sponsor within 24 hours of awareness.")
    result = run("HEAD")
    assert ("metric sae-reporting-timeliness: definition reworded: SAEs [-reported-] {+sent to the sponsor+} "
            "within 24 [-hours.-] {+hours of awareness.+}") in result.stdout
    assert "  affects acme-cro: operating-manual" in result.stdout.splitlines()
    assert "version 1.0.0 -> 1.0.1 proposed (patch: wording changed: metric sae-reporting-timeliness definition)" in result.stdout
    edit(repo, "metrics/sae.yaml", "within 24 hours of awareness.", "within 48 hours of awareness.")
    assert "version 1.0.0 -> 1.1.0 proposed (minor: a value changed" in run("HEAD").stdout  # a number in the text


def test_a_quality_agreement_clause_added_or_removed_is_major(repo: Path) -> None:
    edit(repo, "provisions-qa.yaml", "  - The Provider shall respond",
         "  - The Provider shall keep an audit log.\n  - The Provider shall respond")
    report = json.loads(run("HEAD", "--format", "json").stdout)
    (change,) = report["changes"]
    assert change["fields"] == [{"path": "clauses[1]", "change": "added", "new": "The Provider shall keep an audit log."}]
    qa = report["pairings"][0]["documents"][1]
    assert qa["clauses_added"] == ["2.2 The Provider shall keep an audit log."] and qa["clauses_removed"] == []
    version = qa["version"]  # the signed agreement has a version of its own
    assert (version["bump"], version["proposed"]) == ("major", "2.0.0")
    shared = report["pairings"][0]["version"]  # the Operating Manual's did not change
    assert (shared["bump"], shared["proposed"]) == ("none", "1.0.0")
    assert change["affects"] == [{"pairing": "acme-cro", "documents": ["quality-agreement"]}]


def test_an_already_bumped_version_is_checked_against_the_proposal(repo: Path) -> None:
    edit(repo, "metrics/sae.yaml", "red: 95", "red: 94")
    edit(repo, "pairings/acme-cro.yaml", "version: 1.0.0", "version: 1.0.1")
    result = run("HEAD")
    assert "pairing acme-cro: control.version 1.0.0 -> 1.0.1" in result.stdout
    assert "version 1.0.0 -> 1.0.1 (lower than the proposed 1.1.0; minor:" in result.stdout
    edit(repo, "pairings/acme-cro.yaml", "version: 1.0.1", "version: 1.1.0")
    assert "version 1.0.0 -> 1.1.0 (ok; minor:" in run("HEAD").stdout


def test_blocks_added_and_removed_and_blocks_no_pairing_uses(repo: Path) -> None:
    write_content(repo / "content", {
        "roles-extra.yaml": "- {id: cro-qa, kind: role, title: CRO QA Lead, party: provider, purpose: Audits., qualifications: [GCP]}",
        "terms.yaml": "- {id: sae, kind: term, title: Serious adverse event, abbreviation: SAE, definition: An adverse event that is serious.}\n"
                      "- {id: cro, kind: term, title: Contract research organisation, definition: A provider.}",
    })
    edit(repo, "pairings/acme-cro.yaml", "roles: [sponsor-lead, cro-pm]", "roles: [sponsor-lead, cro-pm, cro-qa]")
    edit(repo, "roles.yaml", "- {id: sponsor-qa,", "- {id: sponsor-qa-old,")
    edit(repo, "governance.yaml", "members: [cro-pm, sponsor-qa]", "members: [cro-pm, sponsor-qa-old]")
    lines = run("HEAD").stdout.splitlines()
    assert "role cro-qa: added (content/roles-extra.yaml)" in lines
    assert lines[lines.index("role cro-qa: added (content/roles-extra.yaml)") + 1] == "  affects acme-cro: operating-manual"
    assert "role sponsor-qa: removed (was in HEAD:content/roles.yaml)" in lines
    assert "term cro: added (content/terms.yaml)" in lines
    assert lines[lines.index("term cro: added (content/terms.yaml)") + 1] == "  used by no pairing"
    assert "pairing acme-cro: include.roles[2] added cro-qa" in lines


def test_an_overridden_field_changes_no_document(repo: Path) -> None:
    edit(repo, "pairings/acme-cro.yaml", "control:", "overrides:\n  metrics:\n    sae-reporting-timeliness: {thresholds: {red: 96}}\ncontrol:")
    commit(repo, "Override the red threshold")
    edit(repo, "metrics/sae.yaml", "red: 95", "red: 94")
    result = run("HEAD")
    assert "  used by acme-cro without changing its documents" in result.stdout.splitlines()
    assert "acme-cro: operating-manual unchanged, quality-agreement unchanged; version 1.0.0: no change proposed" in result.stdout


def test_markdown_is_ready_for_a_pull_request(repo: Path) -> None:
    edit(repo, "metrics/sae.yaml", "red: 95", "red: 94")
    edit(repo, "metrics/sae.yaml", "definition: SAEs reported within 24 hours.", "definition: SAEs reported *within* 48 hours.")
    commit(repo, "Change the SAE metric")
    text = run("HEAD~1", "HEAD", "--format", "markdown").stdout
    assert text.startswith("### Playbook changes: `HEAD~1` (")
    assert "- **metric `sae-reporting-timeliness`** changed (`HEAD:content/metrics/sae.yaml`)" in text
    assert "  - `thresholds.red`: `95` → **`94`**" in text
    assert "reworded: SAEs reported ~~within 24~~ **\\*within\\* 48** hours." in text  # content Markdown is escaped, changes are marked
    assert "| `acme-cro` | operating-manual changed<br>quality-agreement changed | 1.0.0 | **1.1.0** (minor:" in text
    assert "<details><summary>Review snapshot diff: acme-cro/quality-agreement.md</summary>" in text
    assert "```diff\n--- a/acme-cro/quality-agreement.md\n+++ b/acme-cro/quality-agreement.md" in text


def test_no_changes(repo: Path) -> None:
    result = run("HEAD")
    assert result.exit_code == 0 and result.stdout.splitlines()[-1] == "no content changes"
    assert json.loads(run("HEAD", "HEAD", "--format", "json").stdout)["changes"] == []


def test_two_content_folders_need_no_git(tmp_path: Path, monkeypatch) -> None:
    write_content(tmp_path / "old", REVIEW_FILES)
    write_content(tmp_path / "new", REVIEW_FILES)
    write_templates(tmp_path / "tpl")
    sae = tmp_path / "new" / "metrics" / "sae.yaml"
    sae.write_text(sae.read_text().replace("red: 95", "red: 94"))
    monkeypatch.chdir(tmp_path)
    result = run("old", "new")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "playbook diff: folder old -> folder new"
    assert "metric sae-reporting-timeliness: changed (new/metrics/sae.yaml)" in result.stdout


def test_pairing_filter_and_unknown_pairing(repo: Path) -> None:
    edit(repo, "metrics/sae.yaml", "red: 95", "red: 94")
    assert "thresholds.red 95 -> 94" in run("HEAD", "--pairing", "acme-cro").stdout
    result = run("HEAD", "--pairing", "acme-crow")
    assert result.exit_code == 1
    assert "error: no pairing 'acme-crow' in HEAD (" in result.stderr and "(did you mean 'acme-cro'?)" in result.stderr


# -- errors ------------------------------------------------------------------------------------
def test_outside_a_git_repository_is_a_clear_usage_error(tmp_path: Path, monkeypatch) -> None:
    write_content(tmp_path / "plain" / "content", REVIEW_FILES)
    monkeypatch.chdir(tmp_path / "plain")
    result = CliRunner().invoke(diff, ["HEAD"])
    assert result.exit_code == 2
    assert result.stderr.startswith("playbook diff: error: not a git repository: ")
    assert "give two content folders to compare without git" in result.stderr and "Traceback" not in result.output


def test_an_unknown_revision_is_a_clear_usage_error(repo: Path) -> None:
    result = run("no-such-branch")
    assert result.exit_code == 2
    assert result.stderr.startswith("playbook diff: error: unknown revision 'no-such-branch' in the git repository")
    assert run("--", "--output=x").exit_code == 2  # never passed to git as an option


def test_a_content_folder_missing_at_a_revision(repo: Path) -> None:
    result = CliRunner().invoke(diff, ["HEAD", "--content", "elsewhere"])
    assert result.exit_code == 2
    assert "the content folder 'elsewhere' does not exist at revision 'HEAD'" in result.stderr


def test_invalid_content_in_either_revision_is_located(repo: Path) -> None:
    edit(repo, "metrics/sae.yaml", "red: 95", "red: 99")
    commit(repo, "A broken threshold")
    edit(repo, "metrics/sae.yaml", "red: 99", "red: 94")
    result = run("HEAD")
    assert result.exit_code == 1
    assert "HEAD:content/metrics/sae.yaml:10:30: error: metric 'sae-reporting-timeliness' is higher-is-better, " \
           "so red (99) must be below amber (98)" in result.stderr
    report = json.loads(run("HEAD", "--format", "json").stdout)
    assert report["ok"] is False and {d["file"] for d in report["diagnostics"]} == {"HEAD:content/metrics/sae.yaml"}
    working = run("HEAD~1", "HEAD~1", "--content", "content")
    assert working.exit_code == 0


# -- field-level differences -------------------------------------------------------------------
def test_lists_are_compared_by_id_when_items_have_ids_else_by_position() -> None:
    old = {"activities": [{"id": "a", "task": "One"}, {"id": "b", "task": "Two"}], "tags": ["x", "y", "z"]}
    new = {"activities": [{"id": "b", "task": "Two!"}, {"id": "c", "task": "Three"}], "tags": ["x", "z", "w"]}
    changes = [(c.dotted, c.op, c.old, c.new) for c in diff_values(old, new)]
    assert changes == [
        ("activities[a]", "removed", {"id": "a", "task": "One"}, None),
        ("activities[b].task", "changed", "Two", "Two!"),
        ("activities[c]", "added", None, {"id": "c", "task": "Three"}),
        ("tags[1]", "removed", "y", None),
        ("tags[2]", "added", None, "w"),
    ]
    reordered = diff_values([{"id": "a"}, {"id": "b"}], [{"id": "b"}, {"id": "a"}])
    assert [(c.op, c.old, c.new) for c in reordered] == [("reordered", ["a", "b"], ["b", "a"])]
    assert diff_values({"n": 95}, {"n": 95.0}) == [] and diff_values({"n": True}, {"n": 1}) != []
    assert isinstance(diff_values([{"id": "a", "v": 1}], [{"id": "a", "v": 2}])[0].path[0], ItemId)


def test_version_arithmetic() -> None:
    assert [bump_version("1.2.3", b) for b in ("major", "minor", "patch", "none")] == ["2.0.0", "1.3.0", "1.2.4", "1.2.3"]
    assert bump_version("0.9.0", "minor") == "0.10.0"


def test_each_document_with_a_version_of_its_own_gets_its_own_proposal(repo: Path) -> None:
    edit(repo, "roles.yaml", "purpose: Manages.", "purpose: Manages the study day to day.")
    report = json.loads(run("HEAD", "--format", "json").stdout)
    (pairing,) = report["pairings"]
    documents = {d["document"]: d for d in pairing["documents"]}
    assert documents["operating-manual"]["status"] == "changed"
    assert documents["quality-agreement"]["status"] == "unchanged"
    assert pairing["version"]["bump"] != "none" and pairing["version"]["proposed"] != "1.0.0"
    assert documents["quality-agreement"]["version"] == {"old": "1.0.0", "new": "1.0.0", "bump": "none",
                                                         "proposed": "1.0.0", "reason": ""}
