"""Split the Trusts into a few shards so CI builds them in parallel jobs, not one job each.

GitHub caps a job matrix at 256 jobs, and a job per Trust would install everything 200 times.
`trustsite build --shard 2/4` (`make site SHARD=2/4`) builds the second of four shards.
"""

from __future__ import annotations

from typing import Sequence, TypeVar

T = TypeVar("T")


def shard(items: Sequence[T], number: int, count: int) -> list[T]:
    """The items in shard `number` (1..count): every count-th item, so shards differ by at
    most one item and together hold every item exactly once."""
    _check(number, count)
    return list(items[number - 1::count])


def _check(number: int, count: int) -> None:
    if count < 1 or not 1 <= number <= count:
        raise ValueError(f"shard {number}/{count}: give N/COUNT with 1 <= N <= COUNT")


def parse_shard(text: str) -> tuple[int, int]:
    """'2/4' as (2, 4), checked: 1 <= 2 <= 4."""
    number, _, count = text.partition("/")
    try:
        parsed = int(number), int(count)
    except ValueError:
        raise ValueError(f"shard '{text}': give N/COUNT, for example 2/4") from None
    _check(*parsed)
    return parsed
