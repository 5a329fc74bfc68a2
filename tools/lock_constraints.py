"""Regenerate constraints.txt: install the project with every extra in a fresh virtual
environment and record the exact version of each library it pulled in.

    python tools/lock_constraints.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADER = """\
# Exact versions of every library playbook-builder installs (runtime, test and dev extras).
# The README's commands and CI install with: pip install -c constraints.txt ...
# Regenerate after changing pyproject.toml: python tools/lock_constraints.py
"""


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="playbook-lock-") as scratch:
        venv.create(scratch, with_pip=True)
        pip = [str(Path(scratch) / "bin" / "python"), "-m", "pip"]
        subprocess.run([*pip, "install", "-q", "--upgrade", "pip"], check=True)
        subprocess.run([*pip, "install", "-q", f"{ROOT}[dev]"], check=True)
        frozen = subprocess.run([*pip, "freeze", "--exclude-editable"], check=True, capture_output=True,
                                text=True).stdout
    pins = sorted((line for line in frozen.splitlines() if line and not line.startswith("playbook-builder")),
                  key=str.lower)
    (ROOT / "constraints.txt").write_text(HEADER + "\n".join(pins) + "\n", encoding="utf-8")
    print(f"wrote constraints.txt ({len(pins)} pins)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
