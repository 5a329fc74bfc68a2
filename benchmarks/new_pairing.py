"""Benchmark: starting a pairing with `playbook new pairing`, then `playbook validate` (goal: under 1 s).

Each command is timed as a whole process (start-up included), best of five, on a copy of the
example library; the baseline is `playbook --help` (the start-up alone) in the same run.
Two cases: a machine where playbook never ran (an empty store of parsed files, see
builder/content/file_blocks.py), and one where the library was validated before (the store
holds its files; the usual case for an author). Python keeps bytecode caches, as it does after
an install (PYTHONDONTWRITEBYTECODE is cleared for the timed commands).

Run: python benchmarks/new_pairing.py
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import os
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLAYBOOK = [sys.executable, "-m", "builder"]


def run(args: list[str], cwd: Path, store: Path) -> tuple[float, float]:
    """Wall and CPU seconds of one command (its own process), with its store of parsed files."""
    start = time.perf_counter()
    before = time.process_time(), _children()
    done = subprocess.run(PLAYBOOK + args, cwd=cwd, capture_output=True, text=True,
                          env=_environment(store))
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return wall, _children() - before[1]


def _environment(store: Path) -> dict[str, str]:
    environment = {**os.environ, "PLAYBOOK_CACHE_DIR": str(store)}
    environment.pop("PYTHONDONTWRITEBYTECODE", None)
    return environment


def _children() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    best: dict[str, list[tuple[float, float]]] = {}
    for attempt in range(5):
        for case in ("cold", "warm"):
            with tempfile.TemporaryDirectory() as scratch:
                folder, store = Path(scratch), Path(scratch) / "store"
                shutil.copytree(ROOT / "content", folder / "content")
                if case == "warm":
                    run(["validate"], folder, store)
                best.setdefault(f"{case} new", []).append(run(
                    ["new", "pairing", f"acme-{attempt}", "--provider-name", "Acme Clinical Monitoring",
                     "--model", "functional"], folder, store))
                best.setdefault(f"{case} validate", []).append(run(["validate"], folder, store))
                best.setdefault("help", []).append(run(["--help"], folder, store))
    start = min(best["help"])[0]
    for case, told in (("cold", "playbook never ran on this machine"), ("warm", "library validated before")):
        new, validate = min(best[f"{case} new"]), min(best[f"{case} validate"])
        total = new[0] + validate[0]
        print(f"{told}:")
        print(f"  playbook new pairing: {new[0]:.2f} s wall ({new[1]:.2f} s CPU)")
        print(f"  playbook validate:    {validate[0]:.2f} s wall ({validate[1]:.2f} s CPU)")
        print(f"  new + validate: {total:.2f} s (goal < 1 s) -> {'OK' if total < 1 else 'OVER'}; "
              f"ratio to start-up alone (playbook --help, {start:.2f} s) {total / start:.1f}")


if __name__ == "__main__":
    main()
