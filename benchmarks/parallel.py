"""Benchmark: the speed-up of --jobs 2 over --jobs 1 on the example library (goal >= 1.8x).

Run: python benchmarks/parallel.py [--formats md,html,docx,pdf]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from library import copy_example  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--formats", default="md,html,docx,pdf")
    args = parser.parse_args()
    from builder.engine.build import BuildOptions, build

    timings = {}
    with tempfile.TemporaryDirectory() as tmp:
        content = copy_example(Path(tmp) / "content")
        for jobs in (1, 2):
            options = BuildOptions(content=content, out=Path(tmp) / f"out-{jobs}", jobs=jobs,
                                   formats=tuple(args.formats.split(",")), force=True)
            start = time.perf_counter()
            result = build(options)
            timings[jobs] = time.perf_counter() - start
            assert result.ok, [str(d) for d in result.diagnostics.errors[:5]]
        outputs = len(result.built)
        same = all((Path(tmp) / "out-1" / p.relative_to(Path(tmp) / "out-2")).read_bytes() == p.read_bytes()
                   for p in result.built)
    print(f"{outputs} outputs: --jobs 1 {timings[1]:.1f} s, --jobs 2 {timings[2]:.1f} s, "
          f"speed-up {timings[1] / timings[2]:.2f}x (goal >= 1.8x); identical bytes: {same}")


if __name__ == "__main__":
    main()
