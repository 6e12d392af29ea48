"""Importing official lists into watchlist YAML: the UK Sanctions List CSV and OpenSanctions FtM.

UK Sanctions List (FCDO) CSV layout, as published at
https://www.gov.uk/government/publications/the-uk-sanctions-list and read by OpenSanctions'
``gb_fcdo_sanctions`` crawler: line 1 is a report-date line, line 2 the headers, then one row per
*name* of a designation. Rows sharing a "Unique ID" form one designation.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

from riskscreen.errors import InputError, Location, Problem, display_path
from riskscreen.inputs.yamlio import read_text
from riskscreen.watchlist.model import WatchlistEntry, normalise_country, slugify

FORMATS = ("uk-sanctions-csv", "opensanctions-ftm")

# Our field → the published column heading. Name 1..5 are given names for people and usually
# empty for entities; Name 6 is the family name or the organisation's name.
UK_COLUMNS: dict[str, str] = {
    "unique_id": "Unique ID",
    "name6": "Name 6",
    "name_type": "Name type",
    "regime": "Regime Name",
    "designation_type": "Designation Type",
    "name1": "Name 1",
    "name2": "Name 2",
    "name3": "Name 3",
    "name4": "Name 4",
    "name5": "Name 5",
    "non_latin": "Name non-latin script",
    "last_updated": "Last Updated",
    "country": "Address Country",
}
UK_REQUIRED = ("unique_id", "name6", "name_type", "regime", "designation_type")
UK_PRIMARY = "primary name"
UK_DATE_FORMATS = ("%d/%m/%Y", "%d-%b-%Y", "%d %B %Y", "%Y-%m-%d", "%d-%m-%Y")

# Regime name → tag, first match wins (so "Iran (Nuclear)" is tried before "Iran"). The FCDO's
# exact regime spellings are not all verified, so matching is on lower-case fragments.
UK_REGIME_TAGS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("regime_global_human_rights", ("global human rights",)),
    ("regime_global_anti_corruption", ("anti-corruption", "anti corruption")),
    ("regime_global_irregular_migration", ("irregular migration", "trafficking")),
    ("regime_isil_al_qaida", ("isil", "al-qaida", "al qaida", "da'esh")),
    ("regime_counter_terrorism", ("counter-terrorism", "counter terrorism")),
    ("regime_chemical_weapons", ("chemical weapons",)),
    ("regime_cyber", ("cyber",)),
    ("regime_iran_nuclear", ("iran (nuclear)", "iran nuclear")),
    ("regime_iran", ("iran",)),
    ("regime_russia", ("russia",)),
    ("regime_belarus", ("belarus",)),
    ("regime_dprk", ("korea", "dprk")),
    ("regime_drc", ("congo",)),
    ("regime_guinea_bissau", ("guinea-bissau", "guinea bissau")),
    ("regime_guinea", ("guinea",)),
    ("regime_south_sudan", ("south sudan",)),
    ("regime_sudan", ("sudan",)),
    ("regime_myanmar", ("myanmar", "burma")),
    ("regime_bosnia_and_herzegovina", ("bosnia",)),
    ("regime_central_african_republic", ("central african",)),
    ("regime_afghanistan", ("afghanistan",)),
    ("regime_burundi", ("burundi",)),
    ("regime_haiti", ("haiti",)),
    ("regime_iraq", ("iraq",)),
    ("regime_lebanon", ("lebanon",)),
    ("regime_libya", ("libya",)),
    ("regime_mali", ("mali",)),
    ("regime_nicaragua", ("nicaragua",)),
    ("regime_somalia", ("somalia",)),
    ("regime_syria", ("syria",)),
    ("regime_venezuela", ("venezuela",)),
    ("regime_yemen", ("yemen",)),
    ("regime_zimbabwe", ("zimbabwe",)),
)

# OpenSanctions topic → our tag; topics not listed here are dropped. Prefixes end with ".".
FTM_TOPIC_TAGS: dict[str, str] = {
    "sanction": "sanctioned",
    "sanction.linked": "sanction_linked",
    "sanction.counter": "counter_sanctioned",
    "gov.soe": "state_owned",
    "gov.": "state_linked",
    "gov": "state_linked",
    "mil": "military_linked",
    "role.pep": "pep",
    "role.rca": "pep_associate",
    "export.control": "export_controlled",
    "debarment": "debarred",
    "crime": "crime",
    "crime.": "crime",
    "wanted": "crime",
    "reg.action": "regulatory_action",
    "reg.warn": "regulatory_action",
}
FTM_ORGANISATIONS = ("Organization", "Company", "LegalEntity", "PublicBody")
FTM_PEOPLE = ("Person",)


@dataclass
class _Draft:
    id: str
    name: str | None = None
    aliases: list[str] = field(default_factory=list)
    name_types: dict[str, str] = field(default_factory=dict)
    tags: list[str] = field(default_factory=list)
    regimes: list[str] = field(default_factory=list)
    country: str | None = None
    first_row: int = 0

    def add_name(self, name: str, name_type: str, primary: bool) -> None:
        if not name:
            return
        if primary and self.name is None:
            self.name = name
        elif name != self.name and name not in self.aliases:
            self.aliases.append(name)
        self.name_types.setdefault(name, name_type)


def uk_regime_tag(regime: str) -> str:
    text = regime.casefold()
    for tag, fragments in UK_REGIME_TAGS:
        if any(fragment in text for fragment in fragments):
            return tag
    return "regime_other"


def _parse_date(text: str) -> date | None:
    for match in re.finditer(r"\d{1,4}[/\- ][0-9A-Za-z]{1,9}[/\- ]\d{2,4}", text):
        for fmt in UK_DATE_FORMATS:
            try:
                return datetime.strptime(match.group(0), fmt).date()
            except ValueError:
                continue
    return None


def _country(value: str) -> str | None:
    try:
        return normalise_country(value) if value.strip() else None
    except ValueError:
        return None  # free-text address countries ("Russia/Ukraine") are not worth failing on


def import_uk_sanctions_csv(path: Path, include_individuals: bool = False) -> list[WatchlistEntry]:
    """Entries (entities; people too on request) from the FCDO UK Sanctions List CSV export."""
    shown = display_path(path)
    lines = read_text(path).splitlines()
    header_at = next((i for i, line in enumerate(lines[:5]) if "Unique ID" in line), None)
    if header_at is None:
        raise InputError(
            Problem(
                "not a UK Sanctions List CSV: no header line with 'Unique ID' in the first 5 lines",
                Location(shown, line=1),
                suggestion="download the CSV export of the UK Sanctions List",
            )
        )
    report_date = _parse_date(" ".join(lines[:header_at])) if header_at else None
    reader = csv.DictReader(io.StringIO("\n".join(lines[header_at:])))
    headers = [h.strip() for h in reader.fieldnames or []]
    reader.fieldnames = headers
    missing = [UK_COLUMNS[key] for key in UK_REQUIRED if UK_COLUMNS[key] not in headers]
    if missing:
        raise InputError(
            Problem(
                f"missing column(s) {', '.join(repr(m) for m in missing)}",
                Location(shown, line=header_at + 1),
                suggestion="is this the UK Sanctions List CSV?",
            )
        )
    drafts: dict[str, _Draft] = {}
    latest: date | None = None
    wanted = {"entity"} | ({"individual"} if include_individuals else set())
    for number, row in enumerate(reader, start=header_at + 2):

        def cell(key: str, row: dict[str, Any] = row) -> str:
            return " ".join(str(row.get(UK_COLUMNS[key]) or "").split())

        if cell("designation_type").casefold() not in wanted:
            continue
        unique_id = cell("unique_id")
        if not unique_id:
            raise InputError(
                Problem("empty Unique ID", Location(shown, line=number, field="Unique ID"))
            )
        name = " ".join(cell(k) for k in ("name1", "name2", "name3", "name4", "name5", "name6"))
        name = " ".join(name.split())
        draft = drafts.setdefault(unique_id, _Draft(id=unique_id, first_row=number))
        name_type = cell("name_type") or "Alias"
        draft.add_name(name, name_type, name_type.casefold() == UK_PRIMARY)
        draft.add_name(cell("non_latin"), "Non-Latin script", primary=False)
        regime = cell("regime")
        if regime and regime not in draft.regimes:
            draft.regimes.append(regime)
        draft.country = draft.country or _country(cell("country"))
        updated = _parse_date(cell("last_updated"))
        latest = max(latest, updated) if latest and updated else (latest or updated)
    as_of = report_date or latest
    entries = []
    for draft in drafts.values():
        if draft.name is None:
            if not draft.aliases:
                raise InputError(
                    Problem(
                        f"designation {draft.id} has no name",
                        Location(shown, line=draft.first_row, field="Name 6"),
                    )
                )
            draft.name = draft.aliases.pop(0)  # no row typed "Primary Name": first name given
        tags = ["sanctioned", *dict.fromkeys(uk_regime_tag(r) for r in draft.regimes)]
        entries.append(
            WatchlistEntry(
                id=draft.id,
                name=draft.name,
                aliases=draft.aliases,
                country=draft.country,
                tags=tags,
                source=f"UK Sanctions List (FCDO), {'; '.join(draft.regimes) or 'no regime'}",
                as_of=as_of,
                name_types=draft.name_types,
            )
        )
    return sorted(entries, key=lambda e: e.id)


def ftm_topic_tags(topics: Iterable[str]) -> list[str]:
    tags: list[str] = []
    for topic in topics:
        tag = FTM_TOPIC_TAGS.get(topic)
        if tag is None:
            prefix = topic.split(".", 1)[0] + "."
            tag = FTM_TOPIC_TAGS.get(prefix) if "." in topic else None
        if tag and tag not in tags:
            tags.append(tag)
    return tags


def _strings(value: Any) -> list[str]:
    if not isinstance(value, list):
        return []
    return [" ".join(v.split()) for v in value if isinstance(v, str) and v.strip()]


def import_opensanctions_ftm(
    path: Path, include_individuals: bool = False, schemas: Iterable[str] = ()
) -> list[WatchlistEntry]:
    """Entries from OpenSanctions FollowTheMoney JSON lines (``entities.ftm.json``)."""
    shown = display_path(path)
    allowed = set(schemas) or set(FTM_ORGANISATIONS) | (
        set(FTM_PEOPLE) if include_individuals else set()
    )
    entries: dict[str, WatchlistEntry] = {}
    for number, line in enumerate(read_text(path).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(
                Problem(f"invalid JSON: {exc.msg}", Location(shown, line=number))
            ) from None
        if not isinstance(record, dict) or not isinstance(record.get("properties"), dict):
            raise InputError(
                Problem(
                    "expected an FtM entity with 'id', 'schema' and 'properties'",
                    Location(shown, line=number),
                )
            )
        if record.get("schema") not in allowed:
            continue
        entity_id = record.get("id")
        if not isinstance(entity_id, str) or not entity_id:
            raise InputError(Problem("entity has no 'id'", Location(shown, line=number)))
        props = record["properties"]
        names = _strings(props.get("name"))
        if not names:
            raise InputError(
                Problem("entity has no name", Location(shown, line=number, field="properties.name"))
            )
        aliases = [
            n
            for n in dict.fromkeys(
                names[1:]
                + _strings(props.get("alias"))
                + _strings(props.get("previousName"))
                + _strings(props.get("weakAlias"))
            )
            if n != names[0]
        ]
        countries = [
            c
            for c in map(
                _country, _strings(props.get("country")) + _strings(props.get("jurisdiction"))
            )
            if c
        ]
        datasets = _strings(record.get("datasets"))
        changed = record.get("last_change") or record.get("last_seen")
        as_of = _parse_iso_date(changed) if isinstance(changed, str) else None
        entry_id = entity_id if re.match(r"^[A-Za-z0-9]", entity_id) else slugify(entity_id)
        if entry_id in entries:
            raise InputError(
                Problem(
                    f"duplicate entity id '{entity_id}'", Location(shown, line=number, field="id")
                )
            )
        entries[entry_id] = WatchlistEntry(
            id=entry_id,
            name=names[0],
            aliases=aliases,
            country=countries[0] if countries else None,
            tags=ftm_topic_tags(_strings(props.get("topics"))),
            source=f"OpenSanctions ({', '.join(datasets) or 'unknown dataset'})",
            as_of=as_of,
        )
    return [entries[key] for key in sorted(entries)]


def _parse_iso_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def import_file(
    path: Path, fmt: str, include_individuals: bool = False, schemas: Iterable[str] = ()
) -> list[WatchlistEntry]:
    if fmt == "uk-sanctions-csv":
        return import_uk_sanctions_csv(path, include_individuals)
    if fmt == "opensanctions-ftm":
        return import_opensanctions_ftm(path, include_individuals, schemas)
    raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")


def to_yaml(entries: Iterable[WatchlistEntry], description: str) -> str:
    """Watchlist YAML for ``entries``, sorted by id, byte-for-byte deterministic."""
    items = []
    for entry in sorted(entries, key=lambda e: e.id):
        data = entry.model_dump(mode="json", exclude_defaults=True)
        data = {"id": entry.id, **{k: v for k, v in data.items() if k != "id"}}
        items.append(data)
    document = {"description": description, "entries": items}
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)
