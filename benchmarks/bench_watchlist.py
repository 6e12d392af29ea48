"""Benchmark: screen a synthetic 100,000-row register against a synthetic 20,000-entry watchlist.

Run:  python benchmarks/bench_watchlist.py [--entries 20000] [--rows 100000] [--seed 7]

Partners are drawn from a pool with repeats (as in real registers, where the same partner recurs
across many engagements); about 10% of pool names are variants of listed names (legal suffixes,
qualifiers, case, one-letter typos), the rest are unrelated names built from the same common words.
"""

from __future__ import annotations

import argparse
import random
import time

from riskscreen.watchlist import WatchlistEntry, WatchlistMatcher

SYLLABLES = [
    "ka",
    "lo",
    "mir",
    "zan",
    "tor",
    "vel",
    "dra",
    "pol",
    "sen",
    "gar",
    "rus",
    "tek",
    "nov",
    "bel",
    "sta",
    "chen",
    "hua",
    "xin",
    "long",
    "an",
    "dor",
    "mek",
    "rin",
    "sol",
    "var",
    "zet",
    "qua",
    "lin",
    "bor",
    "fen",
    "gul",
    "hak",
    "jin",
    "kor",
    "lum",
    "mar",
    "nel",
    "osk",
    "pra",
]
COMMON = [
    "Holdings",
    "Group",
    "International",
    "Trading",
    "Technologies",
    "Energy",
    "Bank",
    "Logistics",
    "Industries",
    "Capital",
    "Engineering",
    "Construction",
    "Shipping",
]
SUFFIXES = ["Ltd", "Limited", "LLC", "JSC", "PJSC", "GmbH", "SA", "Co., Ltd.", "Corp", "PLC", ""]


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()


def _name(rng: random.Random) -> str:
    words = [_word(rng) for _ in range(rng.randint(1, 2))]
    if rng.random() < 0.7:
        words.append(rng.choice(COMMON))
    return " ".join(words)


def _variant(rng: random.Random, name: str) -> str:
    choice = rng.randint(0, 3)
    if choice == 0:
        return f"{name} {rng.choice(SUFFIXES)}".strip()
    if choice == 1:
        return f"{name} (UK) Limited"
    if choice == 2:
        return name.upper()
    if len(name) >= 10:  # a one-letter typo in a distinctive word
        i = rng.randrange(1, len(name.split()[0]))
        return name[:i] + rng.choice("aeiou") + name[i + 1 :]
    return name.lower()


Register = list[list[tuple[str, str]]]


def build(entries: int, rows: int, seed: int) -> tuple[list[WatchlistEntry], Register]:
    rng = random.Random(seed)
    listed = []
    for number in range(entries):
        name = _name(rng)
        aliases = [_word(rng)] if rng.random() < 0.3 else []
        full = f"{name} {rng.choice(SUFFIXES)}".strip()
        listed.append(
            WatchlistEntry(
                id=f"E{number:05d}",
                name=full,
                aliases=aliases,
                tags=["sanctioned"],
                source="synthetic",
            )
        )
    pool = [
        _variant(rng, rng.choice(listed).name) if rng.random() < 0.1 else f"{_name(rng)} Ltd"
        for _ in range(30_000)
    ]
    weights = [1.0 / (rank + 1) ** 0.8 for rank in range(len(pool))]  # a few partners recur a lot
    register = []
    for _ in range(rows):
        partner = rng.choices(pool, weights)[0]
        names = [("partner.name", partner)]
        if rng.random() < 0.5:
            names.append(("partner.parent", rng.choice(pool)))
        if rng.random() < 0.3:
            names.append(("partner.aliases[0]", partner.split()[0]))
        register.append(names)
    return listed, register


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=20_000)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    listed, register = build(args.entries, args.rows, args.seed)
    names = sum(len(row) for row in register)
    started = time.perf_counter()
    matcher = WatchlistMatcher(listed)
    built = time.perf_counter() - started
    started = time.perf_counter()
    hits = sum(len(matcher.screen(row)) for row in register)
    screened = time.perf_counter() - started
    print(f"watchlist entries:   {len(listed):>9,}")
    print(f"register rows:       {len(register):>9,}")
    print(f"names screened:      {names:>9,}")
    print(f"hits:                {hits:>9,}")
    print(f"index build:         {built:>9.2f} s")
    print(f"screening:           {screened:>9.2f} s")
    print(f"names per second:    {names / screened:>9,.0f}")
    print(f"total:               {built + screened:>9.2f} s")


if __name__ == "__main__":
    main()
