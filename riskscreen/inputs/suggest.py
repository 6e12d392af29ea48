"""'Did you mean …' suggestions for misspelt ids, field names and country names."""

from __future__ import annotations

from collections.abc import Iterable

from rapidfuzz import fuzz, process


def nearest(
    value: object, choices: Iterable[str], limit: int = 3, cutoff: float = 60.0
) -> list[str]:
    """The closest valid ids to ``value``, best first."""
    options = sorted(set(choices))
    if not options:
        return []
    found = process.extract(
        str(value), options, scorer=fuzz.WRatio, limit=limit, score_cutoff=cutoff
    )
    return [choice for choice, _score, _index in found]


def did_you_mean(value: object, choices: Iterable[str], what: str = "valid ids") -> str:
    """A suggestion sentence: the nearest ids, or a short list of what is valid."""
    options = sorted(set(choices))
    close = nearest(value, options)
    if close:
        return "did you mean " + " or ".join(f"'{c}'" for c in close) + "?"
    shown = ", ".join(options[:12]) + (", …" if len(options) > 12 else "")
    return f"{what}: {shown}"
