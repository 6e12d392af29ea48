"""Load and screen the policy case set in tests/cases/policy/ (shared by its test and measure.py).

Each case file holds one engagement and the tier range a UK policy reviewer would accept, written
from policy before the case was ever screened. See tests/cases/policy/README.md.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from riskscreen import Engine
from riskscreen.errors import InputError
from riskscreen.models.base import TIER_ORDER

CASES_DIR = Path(__file__).resolve().parent / "policy"
FIXTURES_DIR = Path(__file__).resolve().parent / "data"
AS_OF = date(2026, 12, 1)
CATEGORIES = ("low", "middle", "hard")
REQUIRED_KEYS = frozenset(
    {"id", "category", "expect", "why", "uses_new_fields", "as_of", "engagement"}
)
OPTIONAL_KEYS = frozenset({"watchlists"})
# Input the pack is gaining (partner region and parent country, sovereign wealth funds, ports and
# logistics); a case that uses any of it says so with `uses_new_fields: true`.
NEW_PARTNER_FIELDS = ("region", "parent_country")
NEW_PARTNER_TYPES = ("sovereign_wealth_fund",)
NEW_SECTORS = ("ports", "logistics")


class MalformedCase(ValueError):
    """A case file that does not follow the case format; the message names the file and field."""


@dataclass(frozen=True)
class PolicyCase:
    path: Path
    id: str
    category: str
    min_tier: str
    max_tier: str
    why: str
    uses_new_fields: bool
    watchlists: tuple[Path, ...]
    as_of: date
    engagement: Mapping[str, Any]

    def accepts(self, tier: str) -> bool:
        low, high = TIER_ORDER.index(self.min_tier), TIER_ORDER.index(self.max_tier)
        return low <= TIER_ORDER.index(tier) <= high

    @property
    def expected(self) -> str:
        return (
            self.min_tier if self.min_tier == self.max_tier else f"{self.min_tier}..{self.max_tier}"
        )


@dataclass(frozen=True)
class Outcome:
    """What the pack made of a case: a tier and fired rules, or why the input could not be read."""

    tier: str | None
    rule_ids: tuple[str, ...]
    input_error: str | None = None

    @property
    def expressible(self) -> bool:
        return self.input_error is None


def new_fields_used(engagement: Mapping[str, Any]) -> list[str]:
    """Which of the not-yet-bundled fields and ids an engagement uses, as dotted names."""
    partner = engagement.get("partner") or {}
    used = [f"partner.{name}" for name in NEW_PARTNER_FIELDS if name in partner]
    if partner.get("type") in NEW_PARTNER_TYPES:
        used.append(f"partner.type={partner['type']}")
    used += [
        f"sectors={sector}" for sector in engagement.get("sectors") or [] if sector in NEW_SECTORS
    ]
    return used


def case_paths() -> list[Path]:
    return sorted(CASES_DIR.glob("*.yaml"))


def _fail(path: Path, field: str, problem: str) -> MalformedCase:
    return MalformedCase(f"{path.name}: {field}: {problem}")


def load_case(path: Path) -> PolicyCase:
    """Read one case file, checking its shape (not the engagement, which the pack validates)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise _fail(path, "(file)", "a case file must be a mapping")
    keys = set(data)
    if missing := REQUIRED_KEYS - keys:
        raise _fail(path, "(file)", f"missing keys {sorted(missing)}")
    if unknown := keys - REQUIRED_KEYS - OPTIONAL_KEYS:
        raise _fail(path, "(file)", f"unknown keys {sorted(unknown)}")
    if data["id"] != path.stem:
        raise _fail(path, "id", f"{data['id']!r} must equal the file name {path.stem!r}")
    if data["category"] not in CATEGORIES:
        raise _fail(path, "category", f"{data['category']!r} is not one of {CATEGORIES}")
    expect = data["expect"]
    if not isinstance(expect, dict) or set(expect) != {"min", "max"}:
        raise _fail(path, "expect", "must be a mapping with exactly 'min' and 'max'")
    for bound in ("min", "max"):
        if expect[bound] not in TIER_ORDER:
            raise _fail(path, f"expect.{bound}", f"{expect[bound]!r} is not a tier {TIER_ORDER}")
    if TIER_ORDER.index(expect["min"]) > TIER_ORDER.index(expect["max"]):
        raise _fail(path, "expect", f"min {expect['min']} is above max {expect['max']}")
    why = data["why"]
    if not isinstance(why, str) or not why.strip() or "\n" in why.strip():
        raise _fail(path, "why", "must be one non-empty line")
    if not isinstance(data["uses_new_fields"], bool):
        raise _fail(path, "uses_new_fields", "must be true or false")
    if data["as_of"] != AS_OF:
        raise _fail(path, "as_of", f"{data['as_of']!r} must be {AS_OF.isoformat()}")
    engagement = data["engagement"]
    if not isinstance(engagement, dict) or not engagement.get("id"):
        raise _fail(path, "engagement", "must be a mapping with an id")
    used = new_fields_used(engagement)
    if bool(used) != data["uses_new_fields"]:
        raise _fail(
            path, "uses_new_fields", f"is {data['uses_new_fields']} but new fields used: {used}"
        )
    names = data.get("watchlists", [])
    if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
        raise _fail(path, "watchlists", "must be a list of file names in tests/cases/data/")
    watchlists = tuple(FIXTURES_DIR / name for name in names)
    for watchlist in watchlists:
        if not watchlist.is_file():
            raise _fail(path, "watchlists", f"no fixture file {watchlist.name} in {FIXTURES_DIR}")
    return PolicyCase(
        path=path,
        id=data["id"],
        category=data["category"],
        min_tier=expect["min"],
        max_tier=expect["max"],
        why=why.strip(),
        uses_new_fields=data["uses_new_fields"],
        watchlists=watchlists,
        as_of=data["as_of"],
        engagement=engagement,
    )


class EngineCache:
    """One engine per distinct set of extra watchlists, built on first use."""

    def __init__(self) -> None:
        self._engines: dict[tuple[Path, ...], Engine] = {}

    def get(self, watchlists: Sequence[Path] = ()) -> Engine:
        key = tuple(watchlists)
        if key not in self._engines:
            self._engines[key] = Engine.load(watchlists=list(key))
        return self._engines[key]

    def close(self) -> None:
        for engine in self._engines.values():
            engine.close()
        self._engines.clear()


@contextmanager
def engines() -> Iterator[EngineCache]:
    cache = EngineCache()
    try:
        yield cache
    finally:
        cache.close()


def screen_case(cache: EngineCache, case: PolicyCase) -> Outcome:
    """Screen a case with the bundled pack; input the pack cannot express is reported, not raised."""
    engine = cache.get(case.watchlists)
    try:
        engagement = engine.validate(case.engagement, source=case.path.name)
    except InputError as exc:
        return Outcome(tier=None, rule_ids=(), input_error=str(exc))
    result = engine.screen(engagement, as_of=case.as_of)
    return Outcome(tier=result.tier, rule_ids=tuple(f.rule_id for f in result.findings))
