"""The bibliography (``taxonomies/sources.yaml``): loading it and resolving references by key.

Rules and taxonomies cite documents as ``{source: <key>, section: ...}``. Resolution checks each
key (an unknown one is a located error with a "did you mean") and copies the document's title,
author, year and URL onto the reference so renderers can show them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from riskscreen.errors import InputError, Location, Problem, RulePackError, display_path
from riskscreen.inputs.suggest import did_you_mean
from riskscreen.inputs.validation import problems_from
from riskscreen.inputs.yamlio import LineList, load_yaml_file
from riskscreen.models.taxonomy import Reference, SourceEntry, VocabularyFile

SOURCES_FILE = "sources.yaml"


def load_sources(path: Path) -> dict[str, SourceEntry]:
    """The bibliography in ``path``, keyed; duplicate keys and bad entries are located errors."""
    shown = display_path(path)
    try:
        data = load_yaml_file(path)
    except InputError as exc:
        raise RulePackError(exc.problems) from None
    try:
        VocabularyFile.model_validate(data)
    except ValidationError as exc:
        raise RulePackError(problems_from(exc, data, VocabularyFile, shown)) from None
    raw_entries = data["entries"]
    problems: list[Problem] = []
    entries: dict[str, SourceEntry] = {}
    for index, raw in enumerate(raw_entries):
        line = raw_entries.item_lines[index] if isinstance(raw_entries, LineList) else None
        try:
            entry = SourceEntry.model_validate(raw)
        except ValidationError as exc:
            problems.extend(problems_from(exc, raw, SourceEntry, shown, prefix=("entries", index)))
            continue
        if entry.key in entries:
            problems.append(Problem(f"duplicate source key '{entry.key}'", Location(shown, line=line)))
        entries[entry.key] = entry
    if problems:
        raise RulePackError(problems)
    return entries


def resolve(
    reference: Reference, sources: dict[str, SourceEntry], where: Location, problems: list[Problem]
) -> Reference:
    """The reference with its document's details, or the reference unchanged plus a problem."""
    entry = sources.get(reference.source)
    if entry is None:
        problems.append(
            Problem(
                "unknown source key (cite documents by their key in taxonomies/sources.yaml)",
                where,
                value=reference.source,
                suggestion=did_you_mean(reference.source, sources, "source keys"),
            )
        )
        return reference
    return entry.resolve(reference)


def resolve_all(
    references: list[Reference],
    sources: dict[str, SourceEntry],
    where: Location,
    problems: list[Problem],
) -> list[Reference]:
    return [resolve(ref, sources, where, problems) for ref in references]


def bibliography_markdown(sources: dict[str, SourceEntry], as_of: Any = None) -> str:
    """docs/sources.md: every document by key (generated, so it never drifts from the data)."""
    lines = [
        "# Sources",
        "",
        "Every document the rule pack and taxonomies cite, by key. Rules and taxonomy entries refer to",
        "these keys (`references: [{source: commission-2026, section: \"...\"}]`); an unknown key fails",
        "the load with its file and line. Each loaded reference carries the title, author, year and URL",
        "below, so reports can show them.",
        "",
        "Generated from `taxonomies/sources.yaml` by `python scripts/sources_md.py`; edit the YAML, not this file.",
    ]
    if as_of is not None:
        lines += ["", f"Checked as of {as_of}."]
    for key in sorted(sources):
        entry = sources[key]
        lines += ["", f"## `{key}`", ""]
        lines.append(f"- **Title:** {entry.title}")
        lines.append(f"- **Author:** {entry.author}")
        lines.append(f"- **Year:** {entry.year if entry.year is not None else 'undated'}")
        lines.append(f"- **URL:** {entry.url if entry.url else 'no public URL confirmed'}")
        lines.append(f"- **Sections cited as:** {entry.sections}")
        if entry.note:
            lines.append(f"- **Note:** {entry.note}")
    return "\n".join(lines) + "\n"
