"""Hostile or oversized content: answered with located errors, or rendered harmless; nothing escapes."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.cli import main
from conftest import MINIMAL_FILES, write_content, write_templates

PAIRING = MINIMAL_FILES["pairings/acme-cro.yaml"].rstrip(" ")


@pytest.fixture
def project(tmp_path: Path, monkeypatch) -> Path:
    write_content(tmp_path / "content", MINIMAL_FILES)
    write_templates(tmp_path / "tpl")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def build_args(*formats: str) -> list[str]:
    args = ["build", "--content", "content", "--out", "out", "--templates", "tpl", "--jobs", "1"]
    for fmt in formats or ("md", "html"):
        args += ["--format", fmt]
    return args


def with_rationale(text: str) -> str:
    return PAIRING.replace("rationale: One CRO runs the study.", f"rationale: {text!r}")


def outputs(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def alias_bomb() -> str:
    lines = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for level in "bcdefghi":
        previous = chr(ord(level) - 1)
        lines.append(f"{level}: &{level} [" + ", ".join([f"*{previous}"] * 9) + "]")
    return "\n".join(lines) + "\nid: bomb\nkind: term\n"


OVERSIZED = [
    ("alias-expansion", {"bomb.yaml": alias_bomb()}, "bomb.yaml", "alias expansion"),
    ("deep-nesting", {"deep.yaml": "id: deep\nkind: term\ntitle: " + "[" * 200 + "]" * 200 + "\n"}, "deep.yaml:3", "nested deeper"),
    ("long-string", {"long.yaml": "id: long\nkind: term\ntitle: x\ndefinition: " + "a" * 300_000 + "\n"}, "long.yaml:4", "characters long"),
    ("huge-file", {"huge.yaml": "# " + "x" * 2_100_000 + "\nid: huge\n"}, "huge.yaml:1", "limited to"),
    ("id-with-dots", {"terms.yaml": "id: ../../etc\nkind: term\ntitle: T\ndefinition: D.\n"}, "terms.yaml:1", "not a valid id"),
    ("id-with-slash", {"terms.yaml": "id: a/b\nkind: term\ntitle: T\ndefinition: D.\n"}, "terms.yaml:1", "not a valid id"),
    ("absolute-id", {"terms.yaml": "id: /etc/passwd\nkind: term\ntitle: T\ndefinition: D.\n"}, "terms.yaml:1", "not a valid id"),
    ("control-character-id", {"terms.yaml": 'id: "sae\\u0007"\nkind: term\ntitle: T\ndefinition: D.\n'}, "terms.yaml:1", "not a valid id"),
    ("pairing-id-escaping-out", {"pairings/acme-cro.yaml": PAIRING.replace("id: acme-cro", "id: ../../outside")}, "pairings/acme-cro.yaml:1", "not a valid id"),
]

REFUSED_URLS = [
    ("image-file-url", "![passwd](file:///etc/passwd)", "file:///etc/passwd"),
    ("image-http", "![tracker](http://example.invalid/pixel.png)", "http://example.invalid/pixel.png"),
    ("image-relative-escape", "![up](../../../../etc/passwd)", "../../../../etc/passwd"),
    ("javascript-link", "[click](javascript:alert(1))", "javascript:alert(1)"),
]


@pytest.mark.parametrize("case, files, where, words", OVERSIZED, ids=[c[0] for c in OVERSIZED])
def test_oversized_or_traversing_input_fails_cleanly_and_keeps_outputs(project: Path, runner, case, files, where, words) -> None:
    assert runner.invoke(main, build_args()).exit_code == 0
    before = outputs(project / "out")
    write_content(project / "content", files)
    result = runner.invoke(main, build_args())
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert any(line.startswith(f"content/{where}") and words in line for line in result.output.splitlines()), result.output
    assert outputs(project / "out") == before
    assert not (project.parent / "outside").exists()


@pytest.mark.parametrize("case, markdown, url", REFUSED_URLS, ids=[c[0] for c in REFUSED_URLS])
def test_urls_outside_the_document_are_refused_with_a_location(project: Path, runner, case, markdown, url) -> None:
    assert runner.invoke(main, build_args("md", "html", "pdf")).exit_code == 0
    before = outputs(project / "out")
    write_content(project / "content", {"pairings/acme-cro.yaml": with_rationale(f"See {markdown} now.")})
    result = runner.invoke(main, build_args("md", "html", "pdf"))
    assert result.exit_code == 1, result.output
    line = next(line for line in result.output.splitlines() if "refused" in line)
    assert line.startswith("content/pairings/acme-cro.yaml:7:") and url[:40] in line
    assert outputs(project / "out") == before


def test_raw_html_in_content_is_shown_as_text_never_run(project: Path, runner) -> None:
    hostile = ('<script>alert(1)</script> <img src=x onerror="alert(2)"> '
               '<iframe src="http://example.invalid"></iframe> <object data="x.swf"></object>')
    write_content(project / "content", {"pairings/acme-cro.yaml": with_rationale(hostile)})
    result = runner.invoke(main, build_args("md", "html", "pdf"))
    assert result.exit_code == 0, result.output
    html = (project / "out" / "acme-cro" / "operating-manual.html").read_text()
    elements = _elements(html)
    assert not {"script", "iframe", "object", "embed"} & {tag for tag, _ in elements}
    assert not [name for _, attrs in elements for name, _ in attrs if name.startswith("on")]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    from pypdf import PdfReader

    text = " ".join(page.extract_text() for page in PdfReader(project / "out" / "acme-cro" / "operating-manual.pdf").pages)
    assert "<script>alert(1)</script>" in text


def test_jinja_syntax_in_content_appears_literally(project: Path, runner) -> None:
    write_content(project / "content", {"pairings/acme-cro.yaml": with_rationale("Uses {{ 7 * 7 }} and {% if true %}x{% endif %} and {# c #}.")})
    result = runner.invoke(main, build_args("md"))
    assert result.exit_code == 0, result.output
    markdown = (project / "out" / "acme-cro" / "operating-manual.md").read_text()
    assert "Uses {{ 7 * 7 }} and {% if true %}x{% endif %} and {# c #}." in markdown
    assert "49" not in markdown


def test_templates_run_sandboxed(project: Path, runner) -> None:
    template = project / "tpl" / "operating-manual" / "document.md.j2"
    template.write_text("# A\n\n{{ ctx.__class__.__init__.__globals__ }}\n")
    result = runner.invoke(main, build_args("md"))
    assert result.exit_code == 1
    assert "operating-manual/document.md.j2" in result.output and "unsafe" in result.output.lower()
    assert "Traceback" not in result.output


def test_control_characters_in_file_names_are_escaped_in_messages(project: Path, runner) -> None:
    (project / "content" / "bad\x1bname.yaml").write_text("id: x\nkind: nope\n")
    result = runner.invoke(main, ["validate"])
    assert result.exit_code == 1
    assert "content/bad\\x1bname.yaml:2" in result.output and "\x1b" not in result.output


def _elements(html: str) -> list[tuple[str, list]]:
    from html.parser import HTMLParser

    found = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, attrs))

    Collector().feed(html)
    return found


@pytest.mark.parametrize("url", ["file:///etc/passwd", "http://example.invalid/font.woff", "../../../../etc/hostname"])
def test_stylesheet_urls_outside_the_templates_are_refused(project: Path, runner, url) -> None:
    from builder.render.folders import SHIPPED_TEMPLATES

    css = (SHIPPED_TEMPLATES / "print.css").read_text() + f'\nbody {{ background: url("{url}"); }}\n'
    (project / "tpl" / "print.css").write_text(css)
    result = runner.invoke(main, build_args("pdf"))
    assert result.exit_code == 1, result.output
    line = next(line for line in result.output.splitlines() if "refused to fetch" in line)
    assert line.startswith("tpl/print.css:") and "Traceback" not in result.output


def test_unknown_cross_reference_in_a_template_is_located(project: Path, runner) -> None:
    template = project / "tpl" / "quality-agreement" / "document.md.j2"
    template.write_text("# Parties {#sec-parties}\n\n§ See [@clause-nowhere] and [@sec-partie].\n")
    result = runner.invoke(main, build_args("md"))
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if "cross-reference" in line]
    assert lines[0].startswith("tpl/quality-agreement/document.md.j2:3:7: error: cross-reference [@clause-nowhere]")
    assert "did you mean 'sec-parties'" in lines[1]


def test_unknown_cross_reference_in_content_is_located(project: Path, runner) -> None:
    write_content(project / "content", {"pairings/acme-cro.yaml": with_rationale("See [@sec-nowhere].")})
    result = runner.invoke(main, build_args("md"))
    assert result.exit_code == 1
    assert any(line.startswith("content/pairings/acme-cro.yaml:7:") and "[@sec-nowhere]" in line
               for line in result.output.splitlines()), result.output
