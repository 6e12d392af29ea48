"""'Did you mean …' suggestions for misspelt ids, field names and country names.

Suggestions come, in order, from synonyms (words people write for an id, kept in the
taxonomies), then from edit distance (a typo within two edits of an id names that id first),
then from rapidfuzz's weighted ratio (a part of an id, words in another order). No id is
suggested twice. A hint lists every valid value when there are few; otherwise it names the
closest ones and the command that lists them all — it never cuts a list off.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

# Up to this many valid values, a hint lists them all.
LIST_ALL_UP_TO = 12
SUGGESTIONS = 3
MAX_EDITS = 2
FUZZY_CUTOFF = 70.0
# Suggesting from longer text is pointless and its cost would grow with the input.
MAX_SUGGEST_LENGTH = 100

_SEPARATORS = re.compile(r"[\s\-/.]+")


def normalise_id(value: object) -> str:
    """How a typed id compares with vocabulary ids: case-folded, spaces and hyphens as '_'."""
    return _SEPARATORS.sub("_", str(value).strip().casefold())


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def rank(
    value: object,
    choices: Iterable[str],
    synonyms: Mapping[str, Sequence[str]] | None = None,
    limit: int = SUGGESTIONS,
) -> list[str]:
    """The valid ids closest to ``value``, best first, without repeats."""
    options = sorted(set(choices))
    key = normalise_id(value)
    if not options or not key or len(key) > MAX_SUGGEST_LENGTH:
        return []
    found: list[str] = []
    if key in options:
        found.append(key)
    meant = [i for i in (synonyms or {}).get(key, ()) if i in options]
    found.extend(meant)
    if meant:  # a word people use for these ids: spelling neighbours would only mislead
        return _unique(found)[:limit]
    by_edits = sorted(
        (Levenshtein.distance(key, option, score_cutoff=MAX_EDITS), option) for option in options
    )
    typos = [option for edits, option in by_edits if edits <= MAX_EDITS]
    found.extend(typos)
    if not typos:  # a near spelling is a confident answer; loose matches would only distract
        fuzzy = process.extract(
            key, options, scorer=fuzz.WRatio, limit=limit + len(found), score_cutoff=FUZZY_CUTOFF
        )
        found.extend(choice for choice, _score, _index in fuzzy)
    return _unique(found)[:limit]


def nearest(
    value: object, choices: Iterable[str], limit: int = SUGGESTIONS, cutoff: float = 60.0
) -> list[str]:
    """The closest valid ids to ``value``, best first (no synonyms)."""
    del cutoff  # kept for callers written against the older signature
    return rank(value, choices, limit=limit)


def quoted(items: Iterable[str]) -> str:
    return " or ".join(f"'{item}'" for item in items)


def did_you_mean(
    value: object,
    choices: Iterable[str],
    what: str = "valid ids",
    *,
    synonyms: Mapping[str, Sequence[str]] | None = None,
    command: str | None = None,
) -> str:
    """A hint: the nearest ids, and every valid id when few (else the command that lists them)."""
    options = list(choices) if isinstance(choices, (list, tuple)) else sorted(set(choices))
    close = rank(value, options, synonyms)
    guess = f"did you mean {quoted(close)}?" if close else ""
    if len(options) <= LIST_ALL_UP_TO or command is None:
        listing = f"{what}: {', '.join(options)}"
        return f"{guess} {listing}" if guess else listing
    if guess:
        return f"{guess} (all {len(options)} {what}: {command})"
    return f"none is close; list all {len(options)} {what} with: {command}"
