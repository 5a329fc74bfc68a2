"""Benchmark: how evenly `--shard K/N` splits a 100-pairing library.

Prints, for N = 2, 3, 4 and 8, the heaviest share's predicted cost against the ideal
(total / N; goal <= 1.15), the same for a split by count (round robin) for comparison, and,
for N = 4 with md+html+docx builds, the measured time of each shard against the ideal.

Run: python benchmarks/shards.py   (the measured part takes a few minutes)
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from library import add_pairing_copies, copy_example  # noqa: E402


def main() -> None:
    from builder.compose.check import check_content
    from builder.engine.build import BuildOptions, build
    from builder.engine.shards import Shard, pairing_cost, plan_shards

    formats = ("md", "html", "docx")
    with tempfile.TemporaryDirectory() as tmp:
        content = copy_example(Path(tmp) / "content")
        ids = add_pairing_copies(content, 100)
        checked = check_content(content)
        assert checked.ok, [str(d) for d in checked.diagnostics.errors[:5]]
        costs = {p: pairing_cost(checked.contexts[p], (), formats) for p in ids}
        ideal_total = sum(costs.values())
        print(f"{len(ids)} pairings, predicted costs from {min(costs.values()):.0f} to {max(costs.values()):.0f}")
        for count in (2, 3, 4, 8):
            shares = plan_shards(costs, count)
            heaviest = max(sum(costs[p] for p in share) for share in shares)
            by_count = [sorted(ids)[i::count] for i in range(count)]
            heaviest_count = max(sum(costs[p] for p in share) for share in by_count)
            ideal = ideal_total / count
            print(f"N={count}: heaviest share {heaviest / ideal:.3f} x ideal (goal <= 1.15); "
                  f"split by count would be {heaviest_count / ideal:.3f} x")
        seconds = []
        for k in range(1, 5):
            start = time.perf_counter()
            result = build(BuildOptions(content=content, out=Path(tmp) / f"s{k}", formats=formats, jobs=1,
                                        shard=Shard(k, 4)))
            assert result.ok
            seconds.append(time.perf_counter() - start)
        ideal = sum(seconds) / 4
        print("N=4 measured: " + ", ".join(f"{s:.1f} s" for s in seconds)
              + f"; slowest shard {max(seconds) / ideal:.3f} x the mean (goal <= 1.15)")


if __name__ == "__main__":
    main()
