"""A lawyer's round on a built DOCX, done on its XML: untracked edits, tracked insertions and
deletions with an author and date, a comment, an edit of template text, a new paragraph."""

from __future__ import annotations

import copy
import shutil
import subprocess
import zipfile
from pathlib import Path

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
Q = f"{{{W}}}"
REL = "http://schemas.openxmlformats.org/package/2006/relationships"
COMMENTS_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"
COMMENTS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"
AUTHOR, DATE = "Ann Counsel", "2027-01-10T09:30:00Z"


class WordFile:
    """A DOCX opened for editing its body."""

    def __init__(self, path: Path):
        self.path = path
        with zipfile.ZipFile(path) as archive:
            self.parts = {name: archive.read(name) for name in archive.namelist()}
        self.document = etree.fromstring(self.parts["word/document.xml"])
        self.comments: list[tuple[int, str]] = []

    def paragraphs(self) -> list[etree._Element]:
        return list(self.document.iter(f"{Q}p"))

    @staticmethod
    def text(paragraph: etree._Element) -> str:
        return "".join(t.text or "" for t in paragraph.iter(f"{Q}t"))

    def find(self, words: str, marked: bool | None = None) -> etree._Element:
        """The first paragraph holding ``words`` (and a source bookmark, or none, if asked)."""
        for paragraph in self.paragraphs():
            has_mark = any((b.get(f"{Q}name") or "").startswith("_pb_") for b in paragraph.iter(f"{Q}bookmarkStart"))
            if words in self.text(paragraph) and (marked is None or has_mark == marked):
                return paragraph
        raise AssertionError(f"no paragraph with {words!r}")

    def _run_with(self, paragraph: etree._Element, words: str) -> tuple[etree._Element, etree._Element]:
        for run in paragraph.iter(f"{Q}r"):
            t = run.find(f"{Q}t")
            if t is not None and words in (t.text or ""):
                return run, t
        raise AssertionError(f"no run with {words!r} in {self.text(paragraph)!r}")

    def replace(self, paragraph: etree._Element, old: str, new: str) -> None:
        """An edit made without Track Changes."""
        _, t = self._run_with(paragraph, old)
        t.text = t.text.replace(old, new, 1)
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")

    def track(self, paragraph: etree._Element, old: str, new: str) -> None:
        """An edit made with Track Changes on: ``old`` deleted, ``new`` inserted, by the lawyer."""
        run, t = self._run_with(paragraph, old)
        before, _, after = (t.text or "").partition(old)
        pieces = []
        for text, wrapper in ((before, None), (old, "del"), (new, "ins"), (after, None)):
            if not text:
                continue
            piece = copy.deepcopy(run)
            for child in list(piece):
                if child.tag != f"{Q}rPr":
                    piece.remove(child)
            node = etree.SubElement(piece, f"{Q}delText" if wrapper == "del" else f"{Q}t")
            node.text = text
            node.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            if wrapper:
                holder = etree.Element(f"{Q}{wrapper}", {f"{Q}id": str(900 + len(pieces)), f"{Q}author": AUTHOR,
                                                        f"{Q}date": DATE})
                holder.append(piece)
                piece = holder
            pieces.append(piece)
        for piece in pieces:
            run.addprevious(piece)
        run.getparent().remove(run)

    def comment(self, paragraph: etree._Element, text: str) -> None:
        """A comment on the whole paragraph."""
        number = len(self.comments)
        start = etree.Element(f"{Q}commentRangeStart", {f"{Q}id": str(number)})
        end = etree.Element(f"{Q}commentRangeEnd", {f"{Q}id": str(number)})
        reference = etree.Element(f"{Q}r")
        etree.SubElement(reference, f"{Q}commentReference", {f"{Q}id": str(number)})
        properties = paragraph.find(f"{Q}pPr")
        (properties.addnext if properties is not None else lambda e: paragraph.insert(0, e))(start)
        paragraph.append(end)
        paragraph.append(reference)
        self.comments.append((number, text))

    def append(self, paragraph: etree._Element, text: str) -> None:
        """Words typed at the end of a paragraph, without Track Changes."""
        run = etree.SubElement(paragraph, f"{Q}r")
        node = etree.SubElement(run, f"{Q}t")
        node.text = text
        node.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")

    def template_clause(self) -> etree._Element:
        """A clause the template writes whole (no source mark), short enough for the import's listing
        to quote it whole (it quotes the first 160 characters), so that an edit at its end shows."""
        for paragraph in self.paragraphs():
            style = paragraph.find(f"{Q}pPr/{Q}pStyle")
            marked = any((b.get(f"{Q}name") or "").startswith("_pb_") for b in paragraph.iter(f"{Q}bookmarkStart"))
            if not marked and style is not None and style.get(f"{Q}val") == "Clause2" and 40 < len(self.text(paragraph)) <= 140:
                return paragraph
        raise AssertionError("no template clause")

    def add_paragraph_after(self, paragraph: etree._Element, text: str) -> None:
        """A paragraph the lawyer typed, with no source."""
        new = etree.Element(f"{Q}p")
        run = etree.SubElement(new, f"{Q}r")
        etree.SubElement(run, f"{Q}t").text = text
        paragraph.addnext(new)

    def delete(self, paragraph: etree._Element) -> None:
        paragraph.getparent().remove(paragraph)

    def save(self, path: Path) -> Path:
        self.parts["word/document.xml"] = etree.tostring(self.document, xml_declaration=True, encoding="UTF-8",
                                                          standalone=True)
        if self.comments:
            self._add_comments()
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in self.parts.items():
                archive.writestr(name, data)
        return path

    def _add_comments(self) -> None:
        root = etree.Element(f"{Q}comments", nsmap={"w": W})
        for number, text in self.comments:
            comment = etree.SubElement(root, f"{Q}comment", {f"{Q}id": str(number), f"{Q}author": AUTHOR,
                                                             f"{Q}date": DATE, f"{Q}initials": "AC"})
            etree.SubElement(etree.SubElement(etree.SubElement(comment, f"{Q}p"), f"{Q}r"), f"{Q}t").text = text
        self.parts["word/comments.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        types = etree.fromstring(self.parts["[Content_Types].xml"])
        namespace = types.nsmap[None]
        if not any(o.get("PartName") == "/word/comments.xml" for o in types):
            etree.SubElement(types, f"{{{namespace}}}Override", PartName="/word/comments.xml", ContentType=COMMENTS_TYPE)
        self.parts["[Content_Types].xml"] = etree.tostring(types, xml_declaration=True, encoding="UTF-8", standalone=True)
        rels = etree.fromstring(self.parts["word/_rels/document.xml.rels"])
        etree.SubElement(rels, f"{{{REL}}}Relationship", Id="rIdComments1", Type=COMMENTS_REL, Target="comments.xml")
        self.parts["word/_rels/document.xml.rels"] = etree.tostring(rels, xml_declaration=True, encoding="UTF-8",
                                                                     standalone=True)


def save_through_libreoffice(source: Path, folder: Path) -> Path:
    """Open and save the file with LibreOffice (as a lawyer on LibreOffice would)."""
    folder.mkdir(parents=True, exist_ok=True)
    profile = (folder / "lo-profile").as_uri()
    subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to",
                    "docx:MS Word 2007 XML", "--outdir", str(folder), str(source)],
                   check=True, capture_output=True, timeout=240)
    shutil.rmtree(folder / "lo-profile", ignore_errors=True)
    return folder / source.name


def paragraph_texts(path: Path) -> list[str]:
    """Every paragraph's text with tracked changes accepted."""
    with zipfile.ZipFile(path) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    texts = []
    for paragraph in root.iter(f"{Q}p"):
        parts = []
        for node in paragraph.iter(f"{Q}t"):
            if not any(a.tag == f"{Q}del" for a in node.iterancestors()):
                parts.append(node.text or "")
        texts.append(" ".join("".join(parts).split()))
    return texts
