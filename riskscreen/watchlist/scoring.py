"""Scoring two normalised name forms: a 0–1 score with a per-measure breakdown (yente-style).

score = 1.0 when the forms are identical once spaces are removed; otherwise

    0.75 × token_overlap + 0.15 × token_set + 0.10 × jaro_winkler

* token_overlap — IDF-like weighted token alignment: each token is paired with at most one token
  on the other side, exactly or — in names of ≥ 10 characters — within 1 edit (words of ≥ 6
  characters) or 2 edits (both ≥ 10). Distinctive words weigh 1.0, common words ("holdings",
  "bank", "university", one-word country names) 0.25, stopwords 0.1. The overlap is
  0.4 × (share of the input's weight paired) + 0.6 × (share of the listed name's weight paired),
  so extra generic words on the input cost little but a missing listed word costs a lot. It is
  halved when nothing distinctive is paired; names made only of common words take the smaller
  share instead.
* token_set — rapidfuzz ``token_set_ratio``: 1.0 when one name's words are a subset of the other's.
* jaro_winkler — character similarity of the space-free forms, rewarding a shared beginning.
"""

from __future__ import annotations

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA, JaroWinkler

from riskscreen.watchlist.normalise import NameForm, normalise, token_weight

DEFAULT_THRESHOLD = 0.85
WEIGHTS: dict[str, float] = {"token_overlap": 0.75, "token_set": 0.15, "jaro_winkler": 0.10}
PART_NAMES = ("exact", "token_overlap", "token_set", "jaro_winkler")
MIN_TYPO_NAME = 10  # typos inside words are tolerated only in names at least this long


def allowed_edits(a: str, b: str) -> int:
    """Typos tolerated inside one word: 1 when the longer has ≥ 6 characters, 2 when both ≥ 10."""
    if min(len(a), len(b)) >= 10:
        return 2
    return 1 if max(len(a), len(b)) >= 6 else 0


def token_similarity(a: str, b: str) -> float:
    """1 for equal words; 1 − edits/length within the allowed edits (a transposition is 1); else 0."""
    if a == b:
        return 1.0
    edits = allowed_edits(a, b)
    if edits == 0 or abs(len(a) - len(b)) > edits:
        return 0.0
    distance = OSA.distance(a, b, score_cutoff=edits)
    if distance > edits:
        return 0.0
    return 1.0 - distance / max(len(a), len(b))


def weighted_overlap(left: tuple[str, ...], right: tuple[str, ...], typos: bool = True) -> float:
    """Weighted share of each side's tokens paired with the other: 0.4 × input + 0.6 × listed."""
    if not left or not right:
        return 0.0
    pairs = sorted(
        (
            (-sim, i, j)
            for i, a in enumerate(left)
            for j, b in enumerate(right)
            if (sim := (token_similarity(a, b) if typos else float(a == b))) > 0.0
        )
    )
    used_left: set[int] = set()
    used_right: set[int] = set()
    got_left = got_right = 0.0
    distinctive_paired = False
    for neg_sim, i, j in pairs:
        if i in used_left or j in used_right:
            continue
        used_left.add(i)
        used_right.add(j)
        w_left, w_right = token_weight(left[i]), token_weight(right[j])
        got_left += -neg_sim * w_left
        got_right += -neg_sim * w_right
        distinctive_paired = distinctive_paired or max(w_left, w_right) >= 1.0
    total_left = sum(token_weight(t) for t in left)
    total_right = sum(token_weight(t) for t in right)
    has_distinctive = any(token_weight(t) >= 1.0 for t in (*left, *right))
    if not has_distinctive:
        # Names made only of common words: every missing word counts, on either side.
        return min(got_left / total_left, got_right / total_right)
    overlap = 0.4 * got_left / total_left + 0.6 * got_right / total_right
    if not distinctive_paired:
        overlap /= 2.0
    return min(1.0, overlap)


def score_forms(a: NameForm, b: NameForm) -> tuple[float, dict[str, float]]:
    """The score of input form ``a`` against listed form ``b``, and each measure (all in [0, 1])."""
    if not a.compact or not b.compact:
        return 0.0, dict.fromkeys(PART_NAMES, 0.0)
    exact = 1.0 if a.compact == b.compact else 0.0
    parts = {
        "exact": exact,
        "token_overlap": 1.0
        if exact
        else weighted_overlap(
            a.tokens, b.tokens, typos=min(len(a.compact), len(b.compact)) >= MIN_TYPO_NAME
        ),
        "token_set": fuzz.token_set_ratio(a.text, b.text) / 100.0,
        "jaro_winkler": JaroWinkler.similarity(a.compact, b.compact),
    }
    score = 1.0 if exact else sum(parts[name] * weight for name, weight in WEIGHTS.items())
    return min(1.0, max(0.0, score)), parts


def score_names(left: str, right: str) -> tuple[float, dict[str, float]]:
    """The best score over the comparable forms (Latin–Latin, native–native) of two names."""
    best: tuple[float, dict[str, float]] = (0.0, dict.fromkeys(PART_NAMES, 0.0))
    for a in normalise(left).forms:
        for b in normalise(right).forms:
            if a.native == b.native:
                score, parts = score_forms(a, b)
                if score > best[0]:
                    best = (score, parts)
    return round(best[0], 4), {k: round(v, 4) for k, v in best[1].items()}
