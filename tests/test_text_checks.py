"""Text the PDF cannot print well: characters the theme's fonts lack, tokens too long for a table
column. Located warnings, a build that still succeeds, and a PDF where nothing runs off the page."""

from __future__ import annotations

import re
import subprocess
import xml.etree.ElementTree as etree
from pathlib import Path

import pytest

from builder.cli import main
from builder.tree.tokens import long_tokens, wrapped_long_tokens
from conftest import MINIMAL_FILES, write_content

TOKEN = "NWT204" * 20  # 120 characters, no break opportunity
A4_WIDTH_PT, RIGHT_MARGIN_PT = 595.28, 22 / 25.4 * 72


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, str]:
    from click.testing import CliRunner

    root = tmp_path_factory.mktemp("text")
    files = dict(MINIMAL_FILES)
    files["roles.yaml"] = files["roles.yaml"].replace("title: Sponsor Lead,", "title: Sponsor Lead 李伟,")
    files["raci.yaml"] = files["raci.yaml"].replace("task: Process SAE reports", f"task: Process SAE reports in {TOKEN}")
    write_content(root / "content", files)
    result = CliRunner().invoke(
        main, ["build", "--content", str(root / "content"), "--out", str(root / "out"), "--format", "pdf",
               "--document", "operating-manual", "--jobs", "1"])
    assert result.exit_code == 0, result.output  # warnings only: the build succeeds
    return root, result.output


def test_a_character_the_fonts_lack_is_a_located_warning(built: tuple[Path, str]) -> None:
    root, output = built
    line = (root / "content" / "roles.yaml").read_text().splitlines()
    row = next(n for n, text in enumerate(line, start=1) if "李伟" in text)
    for char, point, column in (("李", "U+674E", line[row - 1].index("李") + 1),
                                ("伟", "U+4F1F", line[row - 1].index("伟") + 1)):
        found = re.search(rf"^(\S+):(\d+):(\d+): warning: character '{char}' \({re.escape(point)}, CJK UNIFIED "
                          rf"IDEOGRAPH-{point[2:]}\) is not in the body text font 'Carlito'.*fonts/ beside theme.yaml",
                          output, re.M)
        assert found, output
        assert found.group(1).endswith("roles.yaml") and (int(found.group(2)), int(found.group(3))) == (row, column)
    assert "Traceback" not in output


def test_an_overlong_token_in_a_table_is_a_located_warning_and_wraps(built: tuple[Path, str]) -> None:
    root, output = built
    raci = (root / "content" / "raci.yaml").read_text().splitlines()
    row = next(n for n, text in enumerate(raci, start=1) if TOKEN in text)
    column = raci[row - 1].index(TOKEN) + 1
    assert re.search(rf"raci.yaml:{row}:{column}: warning: 'NWT204NWT204.*' runs 120 characters without a space",
                     output), output
    pdf = root / "out" / "acme-cro" / "operating-manual.pdf"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    lines = [line for line in text.splitlines() if line.startswith(("NWT", "WT", "T2", "04", "20", "4N"))]
    assert len(lines) > 1 and TOKEN in "".join(lines)  # broken over several lines, nothing lost
    words = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    right_edges = [float(x) for x in re.findall(r'xMax="([\d.]+)"', words)]
    assert max(right_edges) <= A4_WIDTH_PT - RIGHT_MARGIN_PT + 1  # nothing runs into the margin


def test_a_token_is_long_only_without_break_opportunities() -> None:
    assert long_tokens(f"see {TOKEN} now", 40) == [TOKEN]
    assert long_tokens("https://example.com/a-very/long/address/that/breaks/after/every/slash", 40) == []
    assert long_tokens("临床负责人" * 20, 40) == []  # lines break between CJK characters
    assert long_tokens("inspection-readiness of the trial master file", 40) == []


def test_long_tokens_of_table_cells_are_wrapped_for_the_page() -> None:
    root = etree.fromstring(f"<div><p>{TOKEN}</p><table><tr><td>in {TOKEN} <em>x</em> {TOKEN[:35]} end</td></tr>"
                            "</table></div>")
    wrapped = wrapped_long_tokens(root)
    assert wrapped is not root and etree.tostring(root).count(b"long-token") == 0  # the tree is not changed
    html = etree.tostring(wrapped, encoding="unicode")
    assert html == (f'<div><p>{TOKEN}</p><table><tr><td>in <span class="long-token">{TOKEN}</span> <em>x</em> '
                    f'<span class="long-token">{TOKEN[:35]}</span> end</td></tr></table></div>')
    plain = etree.fromstring("<table><tr><td>short words only</td></tr></table>")
    assert wrapped_long_tokens(plain) is plain


def test_a_raci_matrix_too_crowded_to_fit_is_a_located_warning(runner, tmp_path: Path) -> None:
    words = ["Pharmacovigilance", "Immunohistochemistry", "Interdisciplinary", "Biostatistics", "Pharmacokinetics",
             "Epidemiology", "Bioinformatics", "Toxicology", "Radiopharmacy"]
    roles = "".join(f"\n- {{id: extra-{n}, kind: role, title: {word} Coordinator, party: provider, purpose: P., "
                    f"qualifications: [MSc]}}" for n, word in enumerate(words))
    raci = "".join(f", extra-{n}: C" for n in range(len(words)))
    files = dict(MINIMAL_FILES)
    files["roles.yaml"] = files["roles.yaml"].rstrip() + roles.replace("\n", "\n        ") + "\n"
    files["raci.yaml"] = files["raci.yaml"].replace("sponsor-lead: I}", "sponsor-lead: I" + raci + "}")
    write_content(tmp_path / "content", files)
    result = runner.invoke(main, ["build", "--content", str(tmp_path / "content"), "--out", str(tmp_path / "out"),
                                  "--format", "md", "--document", "operating-manual", "--jobs", "1"])
    assert result.exit_code == 0, result.output
    found = re.search(r"roles.yaml:(\d+):\d+: warning: Table \d+: RACI matrix — Safety: its 11 role columns need "
                      r"\d+ mm of the 166 mm page width.*'Immunohistochemistry Coordinator'", result.output)
    assert found, result.output
