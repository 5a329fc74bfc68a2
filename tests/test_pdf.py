"""The PDF writer: tagged PDF/UA by default, PDF/A with the attached manifest entry, reproducible bytes.

Read back with pikepdf (structure, XMP, attachments, fonts), poppler (pdfinfo, pdftotext) and qpdf.
"""

from __future__ import annotations

import collections
import io
import json
import re
import subprocess
from pathlib import Path

import pikepdf
import pypdf
import pytest

from builder.cli import main
from conftest import MINIMAL_FILES, write_content

ROOT = Path(__file__).resolve().parent.parent
PDF = Path("acme-cro") / "operating-manual.pdf"


def build_pdf(runner, project: Path, out: str, *extra: str) -> Path:
    result = runner.invoke(main, ["build", "--content", str(project / "content"), "--out", str(project / out),
                                  "--format", "pdf", "--document", "operating-manual", "--jobs", "1", *extra])
    assert result.exit_code == 0, result.output
    return project / out


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("pdf")
    write_content(root / "content", MINIMAL_FILES)
    return root


@pytest.fixture(scope="module")
def tagged(project: Path) -> Path:
    from click.testing import CliRunner

    return build_pdf(CliRunner(), project, "ua") / PDF


@pytest.fixture(scope="module")
def archived(project: Path) -> tuple[Path, Path]:
    """The same PDF/A-3u built twice, into two folders."""
    from click.testing import CliRunner

    return tuple(build_pdf(CliRunner(), project, out, "--pdf-variant", "pdf/a-3u") for out in ("a3", "a3-again"))


def pdfinfo(path: Path, *options: str) -> str:
    return subprocess.run(["pdfinfo", *options, str(path)], capture_output=True, text=True, check=True).stdout


def qpdf_check(path: Path) -> str:
    done = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def xmp(pdf: pikepdf.Pdf) -> dict[str, str | None]:
    with pdf.open_metadata() as meta:
        return {key: meta.get(key) for key in ("pdfaid:part", "pdfaid:conformance", "pdfuaid:part", "dc:title")}


def struct_elements(pdf: pikepdf.Pdf, tag: str) -> list[pikepdf.Dictionary]:
    return [o for o in pdf.objects if isinstance(o, pikepdf.Dictionary) and o.get("/S") == tag
            and o.get("/Type") == "/StructElem"]


def test_the_default_pdf_is_tagged_pdf_ua(tagged: Path) -> None:
    assert "Tagged:          yes" in pdfinfo(tagged)
    with pikepdf.open(tagged) as pdf:
        assert xmp(pdf)["pdfuaid:part"] == "1" and xmp(pdf)["dc:title"].startswith("Operating Manual")
        assert xmp(pdf)["pdfaid:part"] is None and "/OutputIntents" not in pdf.Root
        assert str(pdf.Root.Lang) == "en" and pdf.Root.ViewerPreferences.DisplayDocTitle
        headers = struct_elements(pdf, "/TH")
        assert headers and all("/Scope" in th.A for th in headers)
        ids = pdf.Root.StructTreeRoot.IDTree.Names
        assert {str(th.ID) for th in headers if "/ID" in th} == {str(key) for key in ids[::2]}
        links = [annot for page in pdf.pages for annot in page.get("/Annots", []) if annot.Subtype == "/Link"]
        assert links and all(not str(link.Contents).startswith(("sec-", "tbl-", "fig-")) for link in links)
        assert any(str(link.Contents).startswith("section") for link in links)  # a cross-reference, in words
    qpdf_check(tagged)


def test_running_headers_and_footers_are_artifacts_not_tags(tagged: Path) -> None:
    text = subprocess.run(["pdftotext", str(tagged), "-"], capture_output=True, text=True, check=True).stdout
    assert "Page 2 of" in text
    with pikepdf.open(tagged) as pdf:
        root = pdf.Root.StructTreeRoot
        in_tree, stack = set(), list(root.K)
        while stack:
            element = stack.pop()
            if isinstance(element, pikepdf.Dictionary) and element.objgen not in in_tree:
                in_tree.add(element.objgen)
                kids = element.get("/K", [])
                stack.extend(kids if isinstance(kids, pikepdf.Array) else [kids])
        nums = root.ParentTree.Nums
        marked = [element for elements in list(nums)[1::2] if isinstance(elements, pikepdf.Array) for element in elements]
        assert marked and all(element.objgen in in_tree for element in marked)  # no content tagged outside the tree
        body_page = pdf.pages[2]
        assert _text_in_artifacts(body_page) > 0  # the header and footer text, as artifacts


def _text_in_artifacts(page: pikepdf.Page) -> int:
    """How many text-showing operators of a page are inside /Artifact marked content."""
    kinds, shown = [], 0
    for operands, operator in pikepdf.parse_content_stream(page):
        name = str(operator)
        if name in ("BMC", "BDC"):
            kinds.append(str(operands[0]))
        elif name == "EMC" and kinds:
            kinds.pop()
        elif name in ("Tj", "TJ") and "/Artifact" in kinds:
            shown += 1
    return shown


def test_pdf_a_3u_is_archival_accessible_and_carries_its_manifest_entry(archived: tuple[Path, Path]) -> None:
    folder = archived[0]
    path = folder / PDF
    assert "Tagged:          yes" in pdfinfo(path)
    qpdf_check(path)
    with pikepdf.open(path) as pdf:
        assert xmp(pdf) | {"dc:title": None} == {"pdfaid:part": "3", "pdfaid:conformance": "U", "pdfuaid:part": "1",
                                                  "dc:title": None}
        intent = pdf.Root.OutputIntents[0]
        assert intent.S == "/GTS_PDFA1" and "sRGB" in str(intent.OutputConditionIdentifier)
        fonts = {str(font.BaseFont).split("+")[-1]: font for page in pdf.pages
                 for font in page.Resources.Font.values()}
        assert fonts and all("/FontFile2" in font.DescendantFonts[0].FontDescriptor for font in fonts.values())
        assert list(pdf.attachments) == ["manifest.json"] and len(pdf.Root.AF) == 1
        attached = pdf.attachments["manifest.json"]
        assert attached.obj.AFRelationship == "/Data" and attached.get_file().mime_type == "application/json"
        record = json.loads(attached.get_file().read_bytes())
    manifest = json.loads((folder / "manifest.json").read_text())
    entry = next(e for e in manifest["outputs"] if e["path"] == PDF.as_posix())
    assert record["outputs"] == [{k: v for k, v in entry.items() if k not in ("size", "sha256")}]
    assert record["builder"] == manifest["builder"] and record["options"] == manifest["options"]
    assert record["options"]["pdf-variant"] == "pdf/a-3u"
    assert any(i["path"] == "content/pairings/acme-cro.yaml" for i in record["outputs"][0]["inputs"])


def test_pdf_a_is_the_same_bytes_every_time(archived: tuple[Path, Path]) -> None:
    first, second = (folder / PDF for folder in archived)
    assert first.read_bytes() == second.read_bytes()


def test_pdf_a_2u_cannot_embed_json_so_carries_no_attachment(runner, project: Path) -> None:
    path = build_pdf(runner, project, "a2", "--pdf-variant", "pdf/a-2u") / PDF
    qpdf_check(path)
    with pikepdf.open(path) as pdf:
        assert (xmp(pdf)["pdfaid:part"], xmp(pdf)["pdfaid:conformance"], xmp(pdf)["pdfuaid:part"]) == ("2", "U", "1")
        assert len(pdf.attachments) == 0 and "/AF" not in pdf.Root
    assert "Tagged:          yes" in pdfinfo(path)


def test_an_unknown_pdf_variant_is_a_usage_error(runner, project: Path) -> None:
    result = runner.invoke(main, ["build", "--content", str(project / "content"), "--out", str(project / "x"),
                                  "--pdf-variant", "pdf/a-1b"])
    assert result.exit_code == 2 and "pdf/a-3u" in result.output and "Traceback" not in result.output
    assert not (project / "x").exists()


def test_table_header_scopes_follow_the_row_group(tagged: Path) -> None:
    with pikepdf.open(tagged) as pdf:
        scopes = collections.Counter(str(th.A.Scope) for th in struct_elements(pdf, "/TH"))
    assert scopes["/Column"] > 0


def test_the_writer_refuses_an_unknown_variant_with_a_located_error() -> None:
    from builder.diagnostics import DiagnosticError
    from builder.writers.pdf_variants import pdf_variant

    with pytest.raises(DiagnosticError) as caught:
        pdf_variant("pdf/a-3")
    assert "did you mean 'pdf/a-3u'" in str(caught.value)


def test_the_attachment_is_only_for_outputs_of_a_build() -> None:
    from builder.tree import Document
    from builder.writers.pdf_archive import manifest_entry_json

    document = Document.__new__(Document)
    document.provenance = {}
    assert manifest_entry_json(document) is None
    document.provenance = {"builder": {"name": "b"}, "options": {}, "outputs": {"pdf": {"path": "p.pdf"}}}
    assert json.load(io.BytesIO(manifest_entry_json(document)))["outputs"] == [{"path": "p.pdf"}]


def test_a_page_template_that_breaks_pdf_ua_gets_a_warning(runner, project: Path) -> None:
    page = (ROOT / "templates" / "html" / "page.html").read_text()
    tpl = project / "no-lang"
    (tpl / "html").mkdir(parents=True)
    (tpl / "html" / "page.html").write_text(page.replace('<html lang="{{ meta.lang }}">', "<html>")
                                             .replace('alt="{{ logo_alt }}"', ""))
    (tpl / "theme.yaml").write_text("logo: logo.svg\n")  # a default theme with a logo, to lose its alt
    (tpl / "logo.svg").write_bytes((ROOT / "templates" / "themes" / "northwind" / "northwind-logo.svg").read_bytes())
    result = runner.invoke(main, ["build", "--content", str(project / "content"), "--out", str(project / "no-lang-out"),
                                  "--format", "pdf", "--document", "operating-manual", "--jobs", "1",
                                  "--templates", str(tpl)])
    assert result.exit_code == 0, result.output
    assert re.search(r"no-lang/html/page.html: warning: the tagged PDF is incomplete: Missing required \"lang\"",
                     result.output), result.output
    assert 'Image "data:..." has no required alt description' in result.output


def test_marked_content_outside_the_tree_becomes_artifacts_and_the_rest_is_renumbered() -> None:
    import pydyf

    from builder.writers.pdf_tags import _rewrite_marked_content

    def bdc(mcid: int) -> list:
        return ["/Span", pydyf.Dictionary({"MCID": mcid}), b"BDC", b"(text) Tj", b"EMC"]

    operations = bdc(0) + bdc(1) + bdc(2)  # MCID 1 (a running header) is not in the tree
    _rewrite_marked_content(operations, {0: 0, 2: 1}, artifacts=1)
    assert operations == bdc(0) + ["/Artifact", b"BMC", b"(text) Tj", b"EMC"] + bdc(1)
    operations = bdc(0) + bdc(1)  # the usual case: the margin boxes come last, nothing moves
    _rewrite_marked_content(operations, {0: 0}, artifacts=1)
    assert operations == bdc(0) + ["/Artifact", b"BMC", b"(text) Tj", b"EMC"]


def test_a_link_closed_by_punctuation_does_not_leave_one_word_on_a_line(tmp_path: Path) -> None:
    """WeasyPrint breaks an overfull line at its first opportunity when it ends with a link and a
    full stop; the writer gives it the opportunity it misses. Checked on the sentence where a
    reader found "plan its / meeting / for month 6" (the Álvarez Transition Plan)."""
    from builder.compose.check import check_content
    from builder.engine.pipeline import Pipeline

    context = check_content(Path(__file__).resolve().parent.parent / "content").contexts[
        "northwind-alvarez-medical-monitoring"]
    pdf = Pipeline.load().make(context, "transition-plan", ["pdf"])["pdf"]
    (tmp_path / "plan.pdf").write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "plan.pdf"), "-"], check=True,
                          capture_output=True, text=True).stdout
    lines = [" ".join(line.split()) for line in text.splitlines()]
    start = next(n for n, line in enumerate(lines) if line.startswith("The Medical Monitoring Contract Review meets"))
    paragraph = lines[start:lines.index("", start)]
    assert len(paragraph) >= 2 and all(len(line.split()) > 2 for line in paragraph), paragraph
    assert "\u200b" not in " ".join(page.extract_text() for page in pypdf.PdfReader(tmp_path / "plan.pdf").pages)
