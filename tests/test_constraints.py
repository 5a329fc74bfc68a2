"""Reproducible installs: every declared library is pinned in constraints.txt, and installed as pinned."""

from __future__ import annotations

import re
import tomllib
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[; ]", requirement, maxsplit=1)[0].strip().lower().replace("_", "-").replace(".", "-")


def _pins() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, version = line.partition("==")
            assert version, f"not an exact pin: {line}"
            pins[_name(name)] = version.strip()
    return pins


def _declared() -> dict[str, list[str]]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    groups = {"dependencies": project["dependencies"], **project["optional-dependencies"]}
    return {group: [_name(r) for r in requirements if not r.startswith("playbook-builder")]
            for group, requirements in groups.items()}


def test_every_declared_library_is_pinned() -> None:
    pins = _pins()
    missing = {group: [name for name in names if name not in pins] for group, names in _declared().items()}
    assert all(not names for names in missing.values()), missing


def test_the_libraries_that_shape_outputs_are_installed_as_pinned() -> None:
    pins = _pins()
    wanted = _declared()["dependencies"] + _declared()["test"]
    installed = {name: metadata.version(name) for name in wanted}
    assert {name: version for name, version in installed.items() if pins[name] != version} == {}
