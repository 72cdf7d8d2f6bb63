"""Split the Trusts into a few shards so CI builds them in parallel jobs, not one job each.

GitHub caps a job matrix at 256 jobs, and a job per Trust would install everything 200 times.
`python -m trustsite.shards 2/4 build --out dist` runs `trustsite build` for the second of
four shards (the command gets the slugs as arguments, never through a shell).
"""

from __future__ import annotations

import sys

from trustsite.locale import locale_paths


def shard(slugs: list[str], number: int, count: int) -> list[str]:
    """The slugs in shard `number` (1..count): every count-th slug, so shards differ by at most
    one Trust and together hold every slug exactly once."""
    if count < 1 or not 1 <= number <= count:
        raise ValueError(f"shard {number}/{count}: give N/COUNT with 1 <= N <= COUNT")
    return slugs[number - 1::count]


def parse_shard(text: str) -> tuple[int, int]:
    """'2/4' as (2, 4)."""
    number, _, count = text.partition("/")
    try:
        return int(number), int(count)
    except ValueError:
        raise ValueError(f"shard '{text}': give N/COUNT, for example 2/4") from None


def main(argv: list[str]) -> int:
    from trustsite.cli import main as trustsite_main

    if len(argv) < 2:
        print("usage: python -m trustsite.shards N/COUNT COMMAND [OPTIONS]", file=sys.stderr)
        return 2
    try:
        slugs = shard([path.stem for path in locale_paths()], *parse_shard(argv[0]))
    except ValueError as error:
        print(f"shards: {error}", file=sys.stderr)
        return 2
    if not slugs:
        print(f"shards: shard {argv[0]} has no Trusts; nothing to do.", file=sys.stderr)
        return 0
    return trustsite_main([argv[1], *slugs, *argv[2:]])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
