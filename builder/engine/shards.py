"""Shards: a deterministic, cost-balanced share of the pairings for one of N CI runners.

Every runner computes the same plan from the same content: pairings are sorted by predicted
cost (then id) and each goes to the share with the least cost so far (longest processing
time first), so the heaviest share stays close to the ideal total / N.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from builder.compose.context import Context
from builder.engine.plan import document_cost

SHARD_SPEC = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")


@dataclass(frozen=True)
class Shard:
    """Share ``index`` (1-based) of ``count``."""

    index: int
    count: int

    @classmethod
    def parse(cls, text: str) -> "Shard":
        """``K/N`` with 1 <= K <= N; a ValueError says what is wrong."""
        match = SHARD_SPEC.match(text)
        if not match:
            raise ValueError(f"'{text}' is not K/N (for example 2/4)")
        index, count = int(match.group(1)), int(match.group(2))
        if count < 1 or not 1 <= index <= count:
            raise ValueError(f"'{text}': K must be between 1 and N, and N at least 1")
        return cls(index, count)

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


def pairing_cost(context: Context, documents: tuple[str, ...], formats: tuple[str, ...]) -> float:
    """The predicted cost of building one pairing's documents in the given formats."""
    wanted = [d for d in context.pairing.documents if not documents or d in documents]
    return sum(document_cost(context, list(formats)) for _ in wanted)


def plan_shards(costs: dict[str, float], count: int) -> list[list[str]]:
    """Split pairings into ``count`` shares of nearly equal total cost, deterministically."""
    shares: list[list[str]] = [[] for _ in range(count)]
    loads = [0.0] * count
    for pairing in sorted(costs, key=lambda p: (-costs[p], p)):
        lightest = min(range(count), key=lambda i: (loads[i], i))
        shares[lightest].append(pairing)
        loads[lightest] += costs[pairing]
    return [sorted(share) for share in shares]


def shard_pairings(contexts: dict[str, Context], pairings: list[str], documents: tuple[str, ...],
                   formats: tuple[str, ...], shard: Shard) -> list[str]:
    """The pairings that shard ``K/N`` builds."""
    costs = {p: pairing_cost(contexts[p], documents, formats) for p in pairings}
    return plan_shards(costs, shard.count)[shard.index - 1]
