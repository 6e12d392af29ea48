"""Properties of the suggestions: a typo names its id first, and nothing is suggested twice."""

from __future__ import annotations

from hypothesis import assume, given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import Levenshtein

from riskscreen.inputs.resources import bundled_dir
from riskscreen.inputs.suggest import did_you_mean, rank
from riskscreen.inputs.taxonomy import INPUT_VOCABULARIES, load_taxonomies

TAXONOMIES = load_taxonomies(bundled_dir("taxonomies"))
ALPHABET = "abcdefghijklmnopqrstuvwxyz_"


@st.composite
def misspelling(draw: st.DrawFn) -> tuple[str, str, str]:
    """(vocabulary, id, the id after one or two random edits)."""
    vocabulary = draw(st.sampled_from(INPUT_VOCABULARIES))
    target = draw(st.sampled_from(sorted(TAXONOMIES.ids(vocabulary))))
    text = target
    for _ in range(draw(st.integers(1, 2))):
        kind = draw(st.sampled_from(["insert", "delete", "replace", "swap"]))
        at = draw(st.integers(0, max(len(text) - 1, 0)))
        letter = draw(st.sampled_from(ALPHABET))
        if kind == "insert":
            text = text[:at] + letter + text[at:]
        elif kind == "delete" and len(text) > 1:
            text = text[:at] + text[at + 1:]
        elif kind == "replace":
            text = text[:at] + letter + text[at + 1:]
        elif kind == "swap" and at + 1 < len(text):
            text = text[:at] + text[at + 1] + text[at] + text[at + 2:]
    return vocabulary, target, text


@settings(max_examples=400, deadline=None)
@given(misspelling())
def test_a_typo_within_two_edits_suggests_its_id_first(case: tuple[str, str, str]) -> None:
    vocabulary, target, typo = case
    ids = TAXONOMIES.ids(vocabulary)
    synonyms = TAXONOMIES.synonyms.for_vocabulary(vocabulary)
    distance = Levenshtein.distance(typo, target)
    # a word people write for another id is a deliberate synonym, not a typo
    assume(typo not in ids and typo not in synonyms and distance <= 2)
    suggested = rank(typo, ids, synonyms)
    assert suggested, typo
    first = suggested[0]
    assert first == target or Levenshtein.distance(typo, first) <= distance, (typo, target, suggested)
    assert target in suggested or sum(Levenshtein.distance(typo, s) <= distance for s in suggested) == 3


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(INPUT_VOCABULARIES), st.text(max_size=40))
def test_no_suggestion_is_made_twice_and_lists_are_never_cut(vocabulary: str, value: str) -> None:
    ids = list(getattr(TAXONOMIES, vocabulary))
    synonyms = TAXONOMIES.synonyms.for_vocabulary(vocabulary)
    suggested = rank(value, ids, synonyms)
    assert len(suggested) == len(set(suggested)) <= 3
    assert set(suggested) <= set(ids)
    hint = did_you_mean(value, ids, vocabulary, synonyms=synonyms, command=f"riskscreen vocab {vocabulary}")
    assert "…" not in hint and "..." not in hint
    if len(ids) <= 12:
        assert hint.endswith(f"{vocabulary}: " + ", ".join(ids))
    else:
        assert hint.endswith(f"riskscreen vocab {vocabulary})") or hint.endswith(f"riskscreen vocab {vocabulary}")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=30))
def test_country_suggestions_name_each_country_once(value: str) -> None:
    codes = TAXONOMIES.country_resolver.suggestion_codes(value)
    assert len(codes) == len(set(codes)) <= 3
