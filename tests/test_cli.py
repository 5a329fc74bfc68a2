"""The command-line contract: exit codes, JSON shape, schema, start-up without WeasyPrint."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from builder.cli import main
from builder.content.model import KIND_MODELS


def test_validate_ok_exits_zero_with_a_summary(minimal_content: Path, runner) -> None:
    result = runner.invoke(main, ["validate", "--content", str(minimal_content)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == "ok: 14 blocks in 10 files, 1 pairing composed, 2 notes"


def test_validate_lists_roles_the_pairing_pulls_in_as_notes(minimal_content: Path, runner) -> None:
    result = runner.invoke(main, ["validate", "--content", str(minimal_content), "--format", "json"])
    notes = [d for d in json.loads(result.output)["diagnostics"] if d["level"] == "note"]
    assert [n["code"] for n in notes] == ["pulled-in", "pulled-in"]
    assert "uses role 'cro-safety-lead', named by responsibility 'raci-safety'" in notes[0]["message"]
    assert notes[0]["file"].endswith("pairings/acme-cro.yaml") and notes[0]["line"] == 17


def test_validate_json_shape(minimal_content: Path, runner) -> None:
    result = runner.invoke(main, ["validate", "--content", str(minimal_content), "--format", "json"])
    report = json.loads(result.output)
    assert set(report) == {"ok", "blocks", "diagnostics"}
    assert report["ok"] is True and [d for d in report["diagnostics"] if d["level"] != "note"] == []
    assert set(report["blocks"]) == set(KIND_MODELS)
    assert report["blocks"]["role"] == 4 and report["blocks"]["pairing"] == 1


def test_json_diagnostic_fields(minimal_content: Path, runner) -> None:
    (minimal_content / "terms.yaml").write_text("id: x\nkind: term\ntitle: A\ntitle: B\n")
    result = runner.invoke(main, ["validate", "--content", str(minimal_content), "--format", "json"])
    assert result.exit_code == 1
    (diagnostic,) = [d for d in json.loads(result.output)["diagnostics"] if d["file"].endswith("terms.yaml")]
    assert set(diagnostic) == {"file", "line", "column", "level", "code", "message"}
    assert (diagnostic["line"], diagnostic["column"], diagnostic["level"], diagnostic["code"]) == (4, 1, "error", "duplicate-key")


def test_usage_error_exits_two(runner) -> None:
    assert runner.invoke(main, ["validate", "--format", "xml"]).exit_code == 2
    assert runner.invoke(main, ["no-such-command"]).exit_code == 2


def test_missing_content_folder_exits_one(tmp_path: Path, runner) -> None:
    result = runner.invoke(main, ["validate", "--content", str(tmp_path / "none")])
    assert result.exit_code == 1 and "content folder not found" in result.output


def test_schema_names_every_kind_and_is_valid_json(tmp_path: Path, runner) -> None:
    out = tmp_path / "schema" / "playbook.schema.json"
    assert runner.invoke(main, ["schema", "--out", str(out)]).exit_code == 0
    schema = json.loads(out.read_text())
    kinds = {d["properties"]["kind"]["const"] for d in schema["$defs"].values()
             if "kind" in d.get("properties", {}) and "const" in d["properties"]["kind"]}
    assert kinds == set(KIND_MODELS)
    metric = schema["$defs"]["Metric"]
    assert metric["additionalProperties"] is False and "reviewed-by" in metric["properties"]


def test_schema_accepts_valid_blocks_and_rejects_typos(minimal_content: Path, runner) -> None:
    import jsonschema
    from ruamel.yaml import YAML

    schema = json.loads(runner.invoke(main, ["schema"]).output)
    validator = jsonschema.Draft202012Validator(schema)
    yaml = YAML(typ="safe")
    yaml.constructor.yaml_constructors["tag:yaml.org,2002:timestamp"] = yaml.constructor.yaml_constructors["tag:yaml.org,2002:str"]
    for path in sorted(minimal_content.rglob("*.yaml")):
        assert not list(validator.iter_errors(yaml.load(path.read_text()))), path
    bad = yaml.load((minimal_content / "metrics" / "sae.yaml").read_text().replace("reviewed-by", "reviwed-by"))
    assert list(validator.iter_errors(bad))


def test_help_and_validate_do_not_import_weasyprint(minimal_content: Path) -> None:
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from builder.cli import main\n"
        f"r = CliRunner().invoke(main, ['validate', '--content', {str(minimal_content)!r}])\n"
        "assert r.exit_code == 0, r.output\n"
        "CliRunner().invoke(main, ['--help'])\n"
        "heavy = [m for m in ('weasyprint', 'docx', 'fontTools', 'builder.render.figures') if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_python_dash_m_builder_works() -> None:
    out = subprocess.run([sys.executable, "-m", "builder", "--version"], capture_output=True, text=True)
    assert out.returncode == 0 and "playbook" in out.stdout
