"""Loading and checking ``synonyms.yaml`` (optional in a taxonomies directory).

Vocabulary synonyms feed the "did you mean" suggestions; country aliases extend the names the
country resolver accepts (or, when ``suggest_only``, only suggests).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from riskscreen.errors import InputError, Location, Problem, RulePackError, display_path
from riskscreen.inputs.suggest import did_you_mean, normalise_id
from riskscreen.inputs.validation import line_for, problems_from
from riskscreen.inputs.yamlio import load_yaml_file
from riskscreen.models.synonyms import CountryAlias, SynonymsFile

SYNONYMS_FILE = "synonyms.yaml"


@dataclass(frozen=True)
class Synonyms:
    """Per vocabulary: normalised word -> ids to suggest, best first."""

    words: Mapping[str, Mapping[str, tuple[str, ...]]] = field(default_factory=dict)
    countries: tuple[CountryAlias, ...] = ()

    def for_vocabulary(self, vocabulary: str) -> Mapping[str, tuple[str, ...]]:
        return self.words.get(vocabulary, {})


def load_synonyms(
    directory: Path,
    vocabularies: Mapping[str, frozenset[str]],
    is_country: Callable[[str], bool],
) -> Synonyms:
    """Read ``synonyms.yaml`` if present; every target must name a loaded id or country."""
    path = directory / SYNONYMS_FILE
    if not path.is_file():
        return Synonyms()
    shown = display_path(path)
    try:
        data = load_yaml_file(path)
    except InputError as exc:
        raise RulePackError(exc.problems) from None
    try:
        parsed = SynonymsFile.model_validate(data)
    except ValidationError as exc:
        raise RulePackError(problems_from(exc, data, SynonymsFile, shown)) from None

    problems: list[Problem] = []
    words: dict[str, dict[str, tuple[str, ...]]] = {}
    for vocabulary, entries in parsed.vocabularies.items():
        where = ("vocabularies", vocabulary)
        if vocabulary not in vocabularies:
            problems.append(
                Problem(
                    "unknown vocabulary",
                    Location(shown, line=line_for(data, where), field=f"vocabularies.{vocabulary}"),
                    suggestion=did_you_mean(vocabulary, vocabularies, "vocabularies"),
                )
            )
            continue
        valid = vocabularies[vocabulary]
        table: dict[str, tuple[str, ...]] = {}
        for index, entry in enumerate(entries):
            location = Location(
                shown,
                line=line_for(data, (*where, index)),
                field=f"vocabularies.{vocabulary}[{index}].ids",
            )
            present = tuple(i for i in entry.ids if i in valid)
            if not present:
                problems.append(
                    Problem(
                        f"none of these ids is in {vocabulary}",
                        location,
                        value=", ".join(entry.ids),
                        suggestion=did_you_mean(entry.ids[0], valid, vocabulary),
                    )
                )
                continue
            for word in entry.words:
                key = normalise_id(word)
                if key in valid:
                    continue  # the word has become an id of its own: an exact match wins
                if key in table and table[key] != present:
                    problems.append(
                        Problem(
                            f"word is listed twice in {vocabulary} with different ids",
                            location,
                            value=word,
                        )
                    )
                table[key] = present
        words[vocabulary] = table
    for index, alias in enumerate(parsed.countries):
        if not is_country(alias.code):
            problems.append(
                Problem(
                    "not an ISO 3166 alpha-2 code",
                    Location(shown, line=line_for(data, ("countries", index)), field="countries"),
                    value=alias.code,
                )
            )
    if problems:
        raise RulePackError(problems)
    return Synonyms(words=words, countries=tuple(parsed.countries))
