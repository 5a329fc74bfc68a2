"""Extension points: a document, an output format and a block kind are each declared in one place."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

from builder.cli import main
from builder.content.model import BLOCK_KINDS, INCLUDE_GROUPS, Kind
from builder.content.model.common import BlockBase
from builder.content.model.pairing import include_model
from builder.engine.build import BuildOptions, build
from builder.writers import FORMATS, Format, register, unregister
from conftest import MINIMAL_FILES, write_content

ROOT = Path(__file__).resolve().parent.parent
BRIEF_YAML = """
    # A one-page brief for the provider's operations team: no Python involved.
    title: Oversight Brief
    order: 30
    numbering: section
    toc-depth: 1
    kicker: Provider operations
"""
BRIEF_TEMPLATE = """
    # Who oversees {#sec-who}

    {{ ctx.sponsor.title }} oversees {{ ctx.provider.title }} through
    {% for body in ctx.governance %}{{ body.title }} ({{ body.frequency | words }}){% endfor %}.

    # Metrics {#sec-metrics}

    {% for m in ctx.metrics %}
    - {{ m.title | inline }}: red below {{ m.thresholds.red | number }}
    {% endfor %}
"""


def brief_templates(root: Path) -> Path:
    folder = root / "oversight-brief"
    folder.mkdir(parents=True)
    (folder / "document.yaml").write_text(textwrap.dedent(BRIEF_YAML).lstrip())
    (folder / "document.md.j2").write_text(textwrap.dedent(BRIEF_TEMPLATE).lstrip())
    return root


@pytest.fixture
def brief_project(tmp_path: Path) -> Path:
    pairing = MINIMAL_FILES["pairings/acme-cro.yaml"].replace(
        "documents: [operating-manual, quality-agreement]", "documents: [operating-manual, quality-agreement, oversight-brief]")
    write_content(tmp_path / "content", {**MINIMAL_FILES, "pairings/acme-cro.yaml": pairing})
    brief_templates(tmp_path / "tpl")
    return tmp_path


def test_a_templates_folder_declares_a_new_document_built_in_every_format(brief_project: Path, runner) -> None:
    from pypdf import PdfReader
    import docx

    out = brief_project / "out"
    result = runner.invoke(main, ["build", "--content", str(brief_project / "content"), "--out", str(out),
                                  "--templates", str(brief_project / "tpl"), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    brief = out / "acme-cro" / "oversight-brief"
    assert {p.suffix for p in brief.parent.glob("oversight-brief.*")} == {".pdf", ".docx", ".html", ".md"}
    text = " ".join(page.extract_text() for page in PdfReader(f"{brief}.pdf").pages)
    assert "Oversight Brief" in text and "PROVIDER OPERATIONS" in text  # the cover kicker, in capitals
    assert "Acme Bio oversees Good CRO through Joint Operations Committee (monthly)" in " ".join(text.split())
    word = docx.Document(f"{brief}.docx")
    assert any(p.text == "Who oversees" and p.style.name == "Heading 1" for p in word.paragraphs)
    manifest = json.loads((out / "manifest.json").read_text())
    inputs = {i["path"] for e in manifest["outputs"] if e["path"] == "acme-cro/oversight-brief.md" for i in e["inputs"]}
    assert any(path.endswith("oversight-brief/document.yaml") for path in inputs)


def test_a_pairing_naming_an_undeclared_document_is_a_located_error(brief_project: Path, runner) -> None:
    result = runner.invoke(main, ["build", "--content", str(brief_project / "content"),
                                  "--out", str(brief_project / "out"), "--format", "md"])
    assert result.exit_code == 1
    assert "acme-cro.yaml:" in result.output and "no document 'oversight-brief' is declared" in result.output
    assert "Traceback" not in result.output


def test_a_new_document_is_diffed_and_redlined_like_the_shipped_ones(brief_project: Path, runner) -> None:
    old = brief_project / "old"
    write_content(old, {**MINIMAL_FILES, "pairings/acme-cro.yaml": (brief_project / "content" / "pairings" /
                                                                   "acme-cro.yaml").read_text()})
    sae = brief_project / "content" / "metrics" / "sae.yaml"
    sae.write_text(sae.read_text().replace("red: 95", "red: 94"))
    result = runner.invoke(main, ["diff", str(old), str(brief_project / "content"), "--templates",
                                  str(brief_project / "tpl"), "--redline", "--out", str(brief_project / "rl"),
                                  "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    documents = {d["document"]: d["status"] for d in report["pairings"][0]["documents"]}
    assert documents["oversight-brief"] == "changed"
    redline = zipfile.ZipFile(brief_project / "rl" / "acme-cro" / "oversight-brief.redline.docx")
    assert "<w:del " in redline.read("word/document.xml").decode()
    assert (brief_project / "rl" / "acme-cro" / "oversight-brief.redline.pdf").read_bytes().startswith(b"%PDF")


def test_a_broken_document_declaration_is_a_located_error(brief_project: Path, runner) -> None:
    (brief_project / "tpl" / "oversight-brief" / "document.yaml").write_text("title: Brief\ntoc-depht: 2\n")
    result = runner.invoke(main, ["build", "--content", str(brief_project / "content"),
                                  "--out", str(brief_project / "out"), "--templates", str(brief_project / "tpl")])
    assert result.exit_code == 1
    assert "document.yaml:2:1: error:" in result.output and "did you mean 'toc-depth'" in result.output


PLAIN_WRITER = '''
from builder.tree import Document, element_text


def write(document: Document, assets) -> bytes:
    """Plain text: one line per block of the tree."""
    lines = [document.meta.title.upper()] + [element_text(element) for element in document.tree.root]
    return "\\n".join(lines).encode("utf-8")
'''


def test_a_registered_writer_is_a_new_format_for_build_and_manifest(brief_project: Path, tmp_path: Path,
                                                                    monkeypatch, runner) -> None:
    (tmp_path / "plugins").mkdir()
    (tmp_path / "plugins" / "plain_writer.py").write_text(PLAIN_WRITER)
    monkeypatch.syspath_prepend(str(tmp_path / "plugins"))
    register(Format("txt", "txt", "plain_writer", assets=("print.css",), description="plain text"))
    try:
        out = brief_project / "out"
        result = runner.invoke(main, ["build", "--content", str(brief_project / "content"), "--out", str(out),
                                      "--templates", str(brief_project / "tpl"), "--format", "txt"])
        assert result.exit_code == 0, result.output
        text = (out / "acme-cro" / "oversight-brief.txt").read_text()
        assert text.startswith("OVERSIGHT BRIEF\n1 Who oversees")
        manifest = json.loads((out / "manifest.json").read_text())
        entry = next(e for e in manifest["outputs"] if e["path"] == "acme-cro/oversight-brief.txt")
        assert entry["format"] == "txt" and any(i["path"] == "templates/print.css" for i in entry["inputs"])
    finally:
        unregister("txt")
    assert "txt" not in FORMATS


def test_include_groups_derive_from_the_kinds_table_even_with_two_word_groups() -> None:
    class QualityClause(BlockBase):
        kind: str
        text: str

    kinds = (*BLOCK_KINDS, Kind("quality-clause", QualityClause, "quality-clauses"))
    include = include_model(kinds)
    parsed = include.model_validate({"quality-clauses": ["audit-rights"], "metrics": ["m"]})
    assert parsed.quality_clauses == ["audit-rights"]
    assert Kind("quality-clause", QualityClause, "quality-clauses").attribute == "quality_clauses"
    assert set(INCLUDE_GROUPS) == {kind.group for kind in BLOCK_KINDS if kind.group}
    assert "quality-clauses" in include.model_json_schema(by_alias=True)["properties"]


def test_writers_do_not_import_the_content_layer() -> None:
    code = ("import sys, builder.writers.docx, builder.writers.pdf, builder.writers.html, builder.writers.markdown\n"
            "print(sorted(m for m in sys.modules if m.startswith('builder.') and m.split('.')[1] in "
            "('content', 'compose', 'render', 'engine', 'review', 'cli')))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"


def _imports(path: Path, package: str) -> set[str]:
    """The builder modules a module imports (at any depth of its code, except type-checking blocks)."""
    tree = ast.parse(path.read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            node.body = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("builder"):
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("builder"))
    return found


def test_no_import_cycle_between_builder_modules() -> None:
    package = ROOT / "builder"
    modules = {}
    for path in package.rglob("*.py"):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        modules[name] = path

    def resolve(name: str) -> str | None:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    graph = {name: {resolve(i) for i in _imports(path, name)} - {None, name} for name, path in modules.items()}
    # a package's __init__ re-exporting its own modules is not a cycle of the pipeline
    graph = {name: {d for d in deps if not (d.startswith(name + ".") or name.startswith(d + ".") and
                                            modules[d].name == "__init__.py")} for name, deps in graph.items()}
    visiting, done, cycles = set(), set(), []

    def visit(node: str, trail: list[str]) -> None:
        if node in done:
            return
        if node in visiting:
            cycles.append(trail[trail.index(node):] + [node])
            return
        visiting.add(node)
        for dep in sorted(graph.get(node, ())):
            visit(dep, trail + [node])
        visiting.discard(node)
        done.add(node)

    for name in sorted(graph):
        visit(name, [])
    assert cycles == []
    importers = [name for name, deps in graph.items() if any(d.startswith("builder.cli") for d in deps)
                 and not name.startswith(("builder.cli", "builder.__main__"))]
    assert importers == [], "nothing imports the command line"


def test_pdf_and_word_shade_raci_cells_with_the_same_theme_colours(tmp_path: Path) -> None:
    from builder.compose.check import check_content
    from builder.engine.pipeline import Pipeline

    theme = tmp_path / "tpl" / "themes" / "northwind" / "theme.yaml"  # the example sponsor's theme
    theme.parent.mkdir(parents=True)
    theme.write_text('colours:\n  raci:\n    A: {fill: "#123456", text: "#FEDCBA"}\n')
    context = check_content(ROOT / "content").contexts["northwind-meridian-phase3-oncology"]
    files = Pipeline.load(tmp_path / "tpl").make(context, "operating-manual", ["html", "docx"])
    html = files["html"].decode()
    assert "--raci-A-fill: #123456; --raci-A-text: #FEDCBA;" in html and 'data-raci="A"' in html
    xml = zipfile.ZipFile(__import__("io").BytesIO(files["docx"])).read("word/document.xml").decode()
    assert 'w:fill="123456"' in xml and 'w:val="FEDCBA"' in xml


def test_an_upgraded_output_library_rebuilds_everything(brief_project: Path, monkeypatch) -> None:
    import builder.engine.manifest as manifest

    options = BuildOptions(content=brief_project / "content", out=brief_project / "out",
                           templates=brief_project / "tpl", formats=("md",))
    assert build(options).ok and len(build(options).up_to_date) == 3
    versions = manifest.library_versions()
    monkeypatch.setattr(manifest, "library_versions", lambda: {**versions, "weasyprint": "999.0"})
    manifest.builder_fingerprint.cache_clear()
    try:
        rebuilt = build(options)
        assert len(rebuilt.built) == 3 and not rebuilt.up_to_date
        recorded = json.loads((brief_project / "out" / "manifest.json").read_text())["builder"]["libraries"]
        assert recorded["weasyprint"] == "999.0"
    finally:
        manifest.builder_fingerprint.cache_clear()
