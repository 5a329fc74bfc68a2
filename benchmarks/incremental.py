"""Benchmark: 100 pairings; the full build, then a no-op rebuild (goal < 1 s), and their ratio.

Run: python benchmarks/incremental.py [--formats md,html,docx,pdf] [--pairings 100]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from library import add_pairing_copies, copy_example  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pairings", type=int, default=100)
    parser.add_argument("--formats", default="md,html,docx,pdf")
    args = parser.parse_args()
    from builder.engine.build import BuildOptions, build

    with tempfile.TemporaryDirectory() as tmp:
        content = copy_example(Path(tmp) / "content")
        add_pairing_copies(content, args.pairings)
        options = BuildOptions(content=content, out=Path(tmp) / "out", formats=tuple(args.formats.split(",")),
                               jobs=os.cpu_count() or 1)
        start = time.perf_counter()
        full = build(options)
        full_s = time.perf_counter() - start
        assert full.ok, [str(d) for d in full.diagnostics.errors[:5]]
        start = time.perf_counter()
        noop = build(options)
        noop_s = time.perf_counter() - start
        assert not noop.built
    print(f"{args.pairings} pairings, formats {args.formats}: {len(full.built)} outputs")
    print(f"full build {full_s:.1f} s; no-op rebuild {noop_s:.2f} s (goal < 1 s); "
          f"ratio {noop_s / full_s:.4f} (goal <= 0.05)")


if __name__ == "__main__":
    main()
