"""Benchmark: starting a pairing with `playbook new pairing`, then `playbook validate` (goal: under 1 s).

Each command is timed as a whole process (start-up included), best of five, on a copy of the
example library; the baseline is `playbook --help` (the start-up alone) in the same run.

Run: python benchmarks/new_pairing.py
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLAYBOOK = [sys.executable, "-m", "builder"]


def run(args: list[str], cwd: Path) -> tuple[float, float]:
    """Wall and CPU seconds of one command (its own process)."""
    start = time.perf_counter()
    before = time.process_time(), _children()
    done = subprocess.run(PLAYBOOK + args, cwd=cwd, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return wall, _children() - before[1]


def _children() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    best = {"new": [], "validate": [], "help": []}
    for attempt in range(5):
        with tempfile.TemporaryDirectory() as scratch:
            folder = Path(scratch)
            shutil.copytree(ROOT / "content", folder / "content")
            best["new"].append(run(["new", "pairing", f"acme-{attempt}", "--provider-name", "Acme Clinical Monitoring",
                                    "--model", "functional"], folder))
            best["validate"].append(run(["validate"], folder))
            best["help"].append(run(["--help"], folder))
    new, validate, start = (min(best[key]) for key in ("new", "validate", "help"))
    print(f"playbook new pairing: {new[0]:.2f} s wall ({new[1]:.2f} s CPU)")
    print(f"playbook validate:    {validate[0]:.2f} s wall ({validate[1]:.2f} s CPU)")
    total = new[0] + validate[0]
    print(f"new + validate: {total:.2f} s (goal < 1 s) -> {'OK' if total < 1 else 'OVER'}; "
          f"start-up alone (playbook --help) {start[0]:.2f} s, ratio {total / start[0]:.1f}")


if __name__ == "__main__":
    main()
