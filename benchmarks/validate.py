"""Benchmark: validate 1,000 generated blocks (goal < 1 s) and `playbook --help` start-up (goal < 0.3 s).

Run: python benchmarks/validate.py
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROLES = 20
GOVERNANCE = 10


def generate(root: Path, blocks: int = 1000) -> int:
    """Write a coherent library of about ``blocks`` blocks; return how many were written."""
    (root / "roles").mkdir(parents=True)
    (root / "metrics").mkdir()
    (root / "governance").mkdir()
    (root / "raci").mkdir()
    for i in range(ROLES):
        party = "sponsor" if i % 2 == 0 else "provider"
        (root / "roles" / f"role-{i}.yaml").write_text(
            f"id: role-{i}\nkind: role\ntitle: Role {i}\nparty: {party}\npurpose: Does work {i}.\n"
            "qualifications: [Degree in life sciences, GCP training]\n"
        )
    for i in range(GOVERNANCE):
        (root / "governance" / f"body-{i}.yaml").write_text(
            f"id: body-{i}\nkind: governance\ntitle: Body {i}\ntier: operational\nmandate: Reviews.\n"
            f"chair: role-0\nmembers: [role-1, role-2, role-3]\nfrequency: monthly\n"
            "quorum: Chair and one member of each party.\ndecision-rights: [Corrective plans]\n"
        )
    written = ROLES + GOVERNANCE
    half = (blocks - written) // 2
    for i in range(half):
        (root / "metrics" / f"metric-{i}.yaml").write_text(
            f"id: metric-{i}\nkind: metric\ntype: KPI\ntitle: Metric {i}\ndefinition: Measures {i}.\n"
            "formula: a / b x 100\nunit: percent\ndirection: higher-is-better\ntarget: 95\n"
            "thresholds: {amber: 90, red: 80}\nfrequency: monthly\nsource: CTMS\n"
            f"owner: role-{i % ROLES}\nreviewed-by: body-{i % GOVERNANCE}\n"
        )
    for i in range(blocks - written - half):
        (root / "raci" / f"raci-{i}.yaml").write_text(
            f"id: raci-{i}\nkind: responsibility\ntitle: Area {i}\narea: monitoring\nactivities:\n"
            + "".join(
                f"  - id: act-{j}\n    task: Task {j}\n    raci: {{role-0: A, role-1: R, role-2: C, role-3: I}}\n"
                for j in range(4)
            )
        )
    return blocks


def time_validate(content: Path, repeat: int = 3) -> float:
    from builder.compose.check import check_content

    times, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = check_content(content)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        assert result.ok, [str(d) for d in result.diagnostics.errors[:5]]
    print(f"  (CPU time of the check: {min(cpu):.3f} s; wall time is longer when other work shares the cores)")
    return min(times)


def time_help(repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "builder", "--help"], check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def time_bare_python(repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        content = Path(tmp) / "content"
        count = generate(content)
        seconds = time_validate(content)
    help_seconds = time_help()
    bare = time_bare_python()
    print(f"validate {count} blocks: {seconds:.3f} s (goal < 1 s) -> {'OK' if seconds < 1 else 'OVER'}")
    print(f"playbook --help: {help_seconds:.3f} s (goal < 0.3 s) -> {'OK' if help_seconds < 0.3 else 'OVER'}; "
          f"bare python start-up {bare:.3f} s, ratio {help_seconds / bare:.2f}")


if __name__ == "__main__":
    main()
