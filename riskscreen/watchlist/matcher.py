"""Screening names against a watchlist: a token index for candidates, then scoring and hits."""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from riskscreen.watchlist.model import WatchlistEntry, WatchlistHit
from riskscreen.watchlist.normalise import (
    NORMALISER_VERSION,
    NameForm,
    NormalisedName,
    normalise,
    token_weight,
)
from riskscreen.watchlist.scoring import DEFAULT_THRESHOLD, WEIGHTS, score_forms, token_similarity

PARENT_FIELD = "partner.parent"
MIN_FUZZY_TOKEN = 5  # shortest word indexed for typos (see scoring.allowed_edits)
WIDE_EXTRA = 20  # extra character-similar candidates considered by best_matches


@dataclass(frozen=True)
class _Form:
    entry: int
    matched_name: str
    form: NameForm


@dataclass(frozen=True)
class _Best:
    score: float
    form: int
    input_form: int
    parts: tuple[tuple[str, float], ...]


def _deletions(token: str) -> set[str]:
    return {token[:i] + token[i + 1 :] for i in range(len(token))}


def _round(value: float) -> float:
    return round(value + 0.0, 4)


class WatchlistMatcher:
    """Matches names to entries; build once per watchlist, then call :meth:`screen` many times."""

    def __init__(
        self,
        entries: Iterable[WatchlistEntry],
        threshold: float = DEFAULT_THRESHOLD,
        cache_size: int = 262_144,
    ) -> None:
        if not 0.0 < threshold <= 1.0:
            raise ValueError(f"threshold must be in (0, 1], got {threshold}")
        self.threshold = threshold
        self.entries: tuple[WatchlistEntry, ...] = tuple(sorted(entries, key=lambda e: e.id))
        self._forms: list[_Form] = []
        self._postings: dict[str, list[int]] = defaultdict(list)
        self._by_compact: dict[str, list[int]] = defaultdict(list)
        self._deletion_index: dict[str, set[str]] = defaultdict(set)
        self._build()
        self._compacts = [f.form.compact for f in self._forms]
        self._match_cached = lru_cache(maxsize=cache_size)(self._match)
        self._fuzzy_cached = lru_cache(maxsize=cache_size)(self._fuzzy_tokens)

    def _build(self) -> None:
        for index, entry in enumerate(self.entries):
            seen: set[str] = set()
            for name in entry.all_names:
                for form in normalise(name).forms:
                    if not form.compact or form.compact in seen:
                        continue
                    seen.add(form.compact)
                    form_id = len(self._forms)
                    self._forms.append(_Form(index, name, form))
                    self._by_compact[form.compact].append(form_id)
                    for token in dict.fromkeys(form.tokens):
                        self._postings[token].append(form_id)
        for token in self._postings:
            if len(token) >= MIN_FUZZY_TOKEN:
                self._deletion_index[token].add(token)
                for variant in _deletions(token):
                    self._deletion_index[variant].add(token)

    def _fuzzy_tokens(self, token: str) -> tuple[str, ...]:
        """Listed words within the allowed edits of ``token`` (1-deletion neighbourhood lookup)."""
        if len(token) < MIN_FUZZY_TOKEN:
            return ()
        found: set[str] = set()
        for variant in (token, *_deletions(token)):
            for listed in self._deletion_index.get(variant, ()):
                if listed != token and token_similarity(listed, token) > 0.0:
                    found.add(listed)
        return tuple(sorted(found))

    def _candidates(self, forms: tuple[NameForm, ...], wide: bool) -> set[int]:
        candidates: set[int] = set()
        for form in forms:
            candidates.update(self._by_compact.get(form.compact, ()))
            distinctive = [t for t in form.tokens if token_weight(t) >= 1.0]
            for token in form.tokens if wide or not distinctive else distinctive:
                candidates.update(self._postings.get(token, ()))
                for near in self._fuzzy_cached(token):
                    candidates.update(self._postings[near])
        return candidates

    def _match(self, forms: tuple[NameForm, ...], wide: bool = False) -> dict[int, _Best]:
        """Best scoring form per entry among the candidates for ``forms``."""
        candidates = self._candidates(forms, wide)
        if wide:
            for form in forms:
                extra = process.extract(
                    form.compact, self._compacts, scorer=fuzz.ratio, limit=WIDE_EXTRA
                )
                candidates.update(index for _choice, _score, index in extra)
        best: dict[int, _Best] = {}
        for form_id in sorted(candidates):
            listed = self._forms[form_id]
            for position, form in enumerate(forms):
                if form.native != listed.form.native:
                    continue
                score, parts = score_forms(form, listed.form)
                score = _round(score)
                current = best.get(listed.entry)
                if current is None or score > current.score:
                    rounded = tuple((k, _round(v)) for k, v in parts.items())
                    best[listed.entry] = _Best(score, form_id, position, rounded)
        return best

    def _hit(
        self, field: str, name: str, norm: NormalisedName, entry_index: int, best: _Best
    ) -> WatchlistHit:
        entry = self.entries[entry_index]
        listed = self._forms[best.form]
        via_parent = field == PARENT_FIELD or field.startswith(PARENT_FIELD + ".")
        return WatchlistHit(
            entry_id=entry.id,
            entry_name=entry.name,
            matched_name=listed.matched_name,
            input_field=field,
            input_name=name,
            normalised_input=norm.forms[best.input_form].text,
            normalised_match=listed.form.text,
            score=best.score,
            parts=dict(best.parts),
            threshold=self.threshold,
            tags=list(entry.tags),
            source=entry.source,
            via_parent=via_parent,
            country=entry.country,
            explanation=self._explain(field, name, entry, listed, best, via_parent),
        )

    def _explain(
        self,
        field: str,
        name: str,
        entry: WatchlistEntry,
        listed: _Form,
        best: _Best,
        via_parent: bool,
    ) -> str:
        what = f"'{listed.matched_name}'"
        if listed.matched_name != entry.name:
            what += f" (alias of '{entry.name}')"
        verdict = (
            f"score {best.score:.4f} >= threshold {self.threshold:g}"
            if best.score >= self.threshold
            else f"score {best.score:.4f} is below threshold {self.threshold:g}: not a match"
        )
        subject = f"The partner's parent '{name}'" if via_parent else f"'{name}'"
        text = f"{subject} ({field}) resembles {what}, watchlist entry {entry.id}; {verdict}."
        if via_parent and best.score >= self.threshold:
            text += " A parent match counts as a match on the partner (ownership chain)."
        if entry.tags:
            text += f" Tags: {', '.join(entry.tags)}."
        return text

    def screen(self, names: Sequence[tuple[str, str]]) -> list[WatchlistHit]:
        """Hits at or above the threshold, best per (entry, input field), sorted by id and field."""
        chosen: dict[tuple[str, str], WatchlistHit] = {}
        for field, name in names:
            norm = normalise(name)
            for entry_index, best in self._match_cached(norm.forms).items():
                if best.score < self.threshold:
                    continue
                hit = self._hit(field, name, norm, entry_index, best)
                key = (hit.entry_id, field)
                current = chosen.get(key)
                if current is None or (-hit.score, hit.input_name) < (
                    -current.score,
                    current.input_name,
                ):
                    chosen[key] = hit
        return sorted(chosen.values(), key=lambda h: (h.entry_id, h.input_field, h.input_name))

    def best_matches(self, name: str, limit: int = 5) -> list[WatchlistHit]:
        """The ``limit`` closest entries for ``name``, including those below the threshold."""
        norm = normalise(name)
        scored = self._match(norm.forms, wide=True)
        ranked = sorted(scored.items(), key=lambda kv: (-kv[1].score, self.entries[kv[0]].id))
        return [
            self._hit("check", name, norm, index, best)
            for index, best in ranked[: max(0, limit)]
            if best.score > 0.0
        ]

    def fingerprint(self) -> str:
        """sha256 of the normalised entries, threshold and scoring weights."""
        payload = {
            "normaliser": NORMALISER_VERSION,
            "threshold": self.threshold,
            "weights": WEIGHTS,
            "entries": [
                {
                    **entry.model_dump(mode="json"),
                    "normalised": [normalise(n).display for n in entry.all_names],
                }
                for entry in self.entries
            ],
        }
        text = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()
