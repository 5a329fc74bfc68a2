"""The loader keeps file:line:col of every value and reports unreadable files, located."""

from __future__ import annotations

from pathlib import Path

from builder.diagnostics import Diagnostics
from builder.content.loader import content_files, load_content, load_file, parse_blocks


def test_locations_of_keys_values_and_list_items(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_text("id: x\nkind: metric\nthresholds:\n  amber: 98\n  red: 95\nlist:\n  - a\n  - b\n")
    diagnostics = Diagnostics()
    (block,) = load_file(path, diagnostics)
    assert diagnostics.ok
    assert block.data["thresholds"] == {"amber": 98, "red": 95}
    assert (block.line, block.column) == (1, 1)
    red = block.locate(("thresholds", "red"))
    assert (red.line, red.column) == (5, 8)
    key = block.locate(("thresholds", "red"), key=True)
    assert (key.line, key.column) == (5, 3)
    item = block.locate(("list", 1))
    assert (item.line, item.column) == (8, 5)
    # a path below a located value falls back to its nearest located parent
    assert block.locate(("thresholds", "red", "deeper")).line == 5


def test_a_file_may_hold_a_list_of_blocks(tmp_path: Path) -> None:
    path = tmp_path / "terms.yaml"
    path.write_text("- {id: a, kind: term}\n- id: b\n  kind: term\n")
    blocks = load_file(path, Diagnostics())
    assert [b.data["id"] for b in blocks] == ["a", "b"]
    assert [b.line for b in blocks] == [1, 2]


def test_dates_stay_text_so_the_model_checks_them() -> None:
    (block,) = parse_blocks("effective: 2027-02-30\n", "f.yaml", Diagnostics())
    assert block.data["effective"] == "2027-02-30"


def test_yes_and_no_are_text_not_booleans() -> None:
    (block,) = parse_blocks("answer: no\n", "f.yaml", Diagnostics())
    assert block.data["answer"] == "no"


def test_files_are_read_recursively_in_stable_order(tmp_path: Path) -> None:
    for name in ["b/z.yaml", "a.yaml", "b/a.yml", ".hidden/x.yaml", "notes.txt"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("id: x\n")
    names = [p.relative_to(tmp_path).as_posix() for p in content_files(tmp_path)]
    assert names == ["a.yaml", "b/a.yml", "b/z.yaml"]


def test_list_item_that_is_not_a_mapping_is_located(tmp_path: Path) -> None:
    diagnostics = Diagnostics()
    blocks = parse_blocks("- {id: a, kind: term}\n- just text\n", "f.yaml", diagnostics)
    assert len(blocks) == 1
    (error,) = diagnostics.errors
    assert (error.location.line, error.code) == (2, "not-a-block")


def test_missing_content_folder_is_an_error(tmp_path: Path) -> None:
    diagnostics = Diagnostics()
    assert load_content(tmp_path / "nope", diagnostics) == []
    assert diagnostics.errors[0].code == "no-content"


def test_alias_bomb_is_stopped_by_the_node_limit() -> None:
    text = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    for level in "bcdefghij":
        previous = chr(ord(level) - 1)
        text += f"{level}: &{level} [*{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}]\n"
    diagnostics = Diagnostics()
    assert parse_blocks(text, "bomb.yaml", diagnostics) == []
    assert diagnostics.errors[0].code == "limit-exceeded"
