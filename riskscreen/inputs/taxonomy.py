"""Loading and cross-checking the YAML vocabularies in a taxonomies directory."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from riskscreen.errors import InputError, Location, Problem, RulePackError, display_path
from riskscreen.inputs.countries import CountryResolver, iso_codes
from riskscreen.inputs.hashing import directory_hash
from riskscreen.inputs.regions import RegionResolver, is_region_code
from riskscreen.inputs.resources import bundled_dir
from riskscreen.inputs.sources import SOURCES_FILE, load_sources, resolve, resolve_all
from riskscreen.inputs.suggest import did_you_mean
from riskscreen.inputs.synonyms import Synonyms, load_synonyms
from riskscreen.inputs.validation import problems_from
from riskscreen.inputs.yamlio import LineDict, LineList, load_yaml_file
from riskscreen.models.base import RISK_TYPES, TIER_ORDER, CountrySensitivity
from riskscreen.models.taxonomy import (
    AgreementTypeEntry,
    ApprovalEntry,
    ChecklistItem,
    CountriesFile,
    CountryEntry,
    DueDiligenceEntry,
    EscalationBody,
    InvolvesEntry,
    LeadTypeEntry,
    PartnerTypeEntry,
    RiskTypeEntry,
    SectorEntry,
    SourceEntry,
    TagEntry,
    TerritoryEntry,
    TierEntry,
    VocabularyFile,
)

EntryT = TypeVar("EntryT", bound=BaseModel)

# The ids fixed by the public contract (DESIGN.md); a taxonomy directory must define them all.
REQUIRED_IDS: dict[str, tuple[str, ...]] = {
    "agreement_types": (
        "twinning",
        "sister_city",
        "friendship_agreement",
        "mou",
        "letter_of_intent",
        "cooperation_partnership",
        "trade_mission",
        "delegation_visit",
        "investment",
        "joint_venture",
        "research_collaboration",
        "student_exchange",
        "cultural_exchange",
        "funding",
        "procurement",
        "data_sharing",
        "overseas_office",
        "network_membership",
    ),
    "sectors": (
        "culture",
        "heritage",
        "sport",
        "tourism",
        "education",
        "higher_education",
        "research",
        "health",
        "life_sciences",
        "climate",
        "environment",
        "agriculture",
        "creative_industries",
        "trade_promotion",
        "financial_services",
        "property",
        "construction",
        "manufacturing",
        "advanced_manufacturing",
        "automotive",
        "aerospace",
        "defence",
        "energy",
        "civil_nuclear",
        "water",
        "transport",
        "telecommunications",
        "digital_infrastructure",
        "data_infrastructure",
        "artificial_intelligence",
        "computing_hardware",
        "semiconductors",
        "quantum",
        "cryptography",
        "advanced_materials",
        "robotics",
        "synthetic_biology",
        "space",
        "smart_city",
        "emergency_services",
        "humanitarian",
    ),
    "involves": (
        "personal_data",
        "sensitive_research",
        "ip_transfer",
        "critical_infrastructure",
        "site_access",
        "dual_use",
        "foreign_funding",
        "low_cost_financing",
        "political_statement",
        "sovereignty_recognition",
        "exclusivity",
        "elected_member_travel",
        "media_profile",
        "equity_stake",
        "land_or_property",
    ),
    "lead_types": (
        "strategic_authority",
        "local_authority",
        "university",
        "growth_company",
        "cultural_institution",
        "business_body",
        "other",
    ),
    "partner_types": (
        "city_government",
        "regional_government",
        "national_government",
        "state_owned_enterprise",
        "private_company",
        "university",
        "research_institute",
        "cultural_body",
        "ngo",
        "diaspora_network",
        "other",
    ),
    "due_diligence": (
        "sanctions",
        "ownership",
        "financial",
        "reputational",
        "legal",
        "security",
        "data_protection",
    ),
    "approval_levels": ("none", "officer", "committee", "cabinet", "board"),
    "risk_types": RISK_TYPES,
    "tiers": TIER_ORDER,
}

VOCABULARY_FILES: dict[str, type[BaseModel]] = {
    "risk_types": RiskTypeEntry,
    "tiers": TierEntry,
    "agreement_types": AgreementTypeEntry,
    "sectors": SectorEntry,
    "partner_types": PartnerTypeEntry,
    "lead_types": LeadTypeEntry,
    "involves": InvolvesEntry,
    "due_diligence": DueDiligenceEntry,
    "approval_levels": ApprovalEntry,
    "tags": TagEntry,
    "escalation_bodies": EscalationBody,
    "checklist": ChecklistItem,
}

# Which tagged vocabulary may use which tags (TagEntry.applies_to).
TAGGED = {
    "sectors": "sector",
    "agreement_types": "agreement_type",
    "partner_types": "partner_type",
    "involves": "involves",
}


# The vocabularies an engagement's fields use (what ``riskscreen vocab`` lists and synonyms serve).
INPUT_VOCABULARIES = (
    "lead_types",
    "due_diligence",
    "approval_levels",
    "partner_types",
    "agreement_types",
    "sectors",
    "involves",
)


@dataclass
class Taxonomies:
    """Every vocabulary of one taxonomies directory, validated and indexed by id."""

    directory: Path
    risk_types: dict[str, RiskTypeEntry]
    tiers: dict[str, TierEntry]
    agreement_types: dict[str, AgreementTypeEntry]
    sectors: dict[str, SectorEntry]
    partner_types: dict[str, PartnerTypeEntry]
    lead_types: dict[str, LeadTypeEntry]
    involves: dict[str, InvolvesEntry]
    due_diligence: dict[str, DueDiligenceEntry]
    approval_levels: dict[str, ApprovalEntry]
    tags: dict[str, TagEntry]
    escalation_bodies: dict[str, EscalationBody]
    checklist: dict[str, ChecklistItem]
    countries: dict[str, CountryEntry]
    default_country_sensitivity: CountrySensitivity
    country_resolver: CountryResolver
    version: str
    digest: str
    sources: dict[str, SourceEntry] = field(default_factory=dict)
    territories: dict[str, TerritoryEntry] = field(default_factory=dict)
    region_resolver: RegionResolver = field(default_factory=lambda: RegionResolver({}))
    extra_vocabularies: dict[str, frozenset[str]] = field(default_factory=dict)
    synonyms: Synonyms = field(default_factory=Synonyms)
    _ids_cache: dict[str, frozenset[str]] = field(default_factory=dict, repr=False)

    def ids(self, vocabulary: str) -> frozenset[str]:
        """The valid ids of a named vocabulary (as used by the rule and fact validators)."""
        cached = self._ids_cache.get(vocabulary)
        if cached is None:
            cached = self._ids_cache[vocabulary] = self._ids(vocabulary)
        return cached

    def _ids(self, vocabulary: str) -> frozenset[str]:
        if vocabulary in self.extra_vocabularies:
            return self.extra_vocabularies[vocabulary]
        if vocabulary == "countries":
            return self.country_resolver.codes
        if vocabulary == "country_sensitivity":
            return frozenset(s.value for s in CountrySensitivity)
        if vocabulary in ("sensitivity", "exposure"):
            return frozenset(("low", "moderate", "high"))
        if vocabulary.endswith("_tags"):
            kind = vocabulary[: -len("_tags")]
            return frozenset(t.id for t in self.tags.values() if kind in t.applies_to)
        table = getattr(self, vocabulary, None)
        if not isinstance(table, dict):
            raise KeyError(vocabulary)
        return frozenset(table)

    def country_sensitivity(self, code: str) -> CountrySensitivity:
        entry = self.countries.get(code)
        return entry.sensitivity if entry else self.default_country_sensitivity


def _located(path: Path) -> str:
    return display_path(path)


def _read(path: Path) -> Any:
    if not path.is_file():
        raise RulePackError(Problem("taxonomy file is missing", Location(_located(path))))
    try:
        return load_yaml_file(path)
    except InputError as exc:
        raise RulePackError(exc.problems) from None


def _entries(
    path: Path, model: type[EntryT], envelope: type[BaseModel] = VocabularyFile
) -> tuple[BaseModel, list[EntryT], dict[str, int | None]]:
    """The file's envelope, its entries, and each entry's id (or code, or region) → its line."""
    data = _read(path)
    shown = _located(path)
    try:
        wrapper = envelope.model_validate(data)
    except ValidationError as exc:
        raise RulePackError(problems_from(exc, data, envelope, shown)) from None
    raw_entries = data["entries"]
    problems: list[Problem] = []
    entries: list[EntryT] = []
    seen: dict[str, int | None] = {}
    for index, raw in enumerate(raw_entries):
        try:
            entry = model.model_validate(raw)
        except ValidationError as exc:
            problems.extend(problems_from(exc, raw, model, shown, prefix=("entries", index)))
            continue
        key = str(
            getattr(entry, "id", None) or getattr(entry, "code", None) or getattr(entry, "region", "")
        )
        line = raw_entries.item_lines[index] if isinstance(raw_entries, LineList) else None
        if key in seen:
            problems.append(
                Problem(
                    f"duplicate id '{key}' (first defined on line {seen[key]})",
                    Location(shown, line=line),
                )
            )
        seen[key] = line
        entries.append(entry)
    if problems:
        raise RulePackError(problems)
    return wrapper, entries, seen


def _entry_lines(path: Path) -> dict[str, int | None]:
    """Entry id (or code, or region) → the line it starts on."""
    entries = _read(path).get("entries", [])
    lines: dict[str, int | None] = {}
    for index, raw in enumerate(entries):
        if isinstance(raw, LineDict):
            line = entries.item_lines[index] if isinstance(entries, LineList) else raw.line
            for key in (raw.get("id"), raw.get("code"), raw.get("region")):
                if isinstance(key, str):
                    lines.setdefault(key, line)
    return lines


def _line_of_entry(path: Path, entry_id: str) -> int | None:
    """The line an entry starts on; parses the file, so only for reporting a problem."""
    return _entry_lines(path).get(entry_id)


def load_taxonomies(directory: Path) -> Taxonomies:
    """Load and cross-check every vocabulary in ``directory``; errors name file and line."""
    if not directory.is_dir():
        raise RulePackError(
            Problem("taxonomies directory not found", Location(_located(directory)))
        )
    tables: dict[str, dict[str, Any]] = {}
    lines: dict[str, dict[str, int | None]] = {}  # file name → entry → line, for later problems
    for name, model in VOCABULARY_FILES.items():
        _, entries, lines[name] = _entries(directory / f"{name}.yaml", model)
        tables[name] = {e.id: e for e in entries}  # type: ignore[attr-defined]

    countries_path = directory / "countries.yaml"
    countries_file, country_entries, lines["countries"] = _entries(
        countries_path, CountryEntry, CountriesFile
    )
    assert isinstance(countries_file, CountriesFile)

    meta = _read(directory / "meta.yaml")
    version = str(meta.get("version", "unversioned")) if isinstance(meta, dict) else "unversioned"

    # A taxonomies directory without its own bibliography cites the bundled one.
    sources_path = directory / SOURCES_FILE
    if not sources_path.is_file():
        sources_path = bundled_dir("taxonomies") / SOURCES_FILE
    sources = load_sources(sources_path)

    problems = _check_required(directory, tables)
    problems += _check_tags(directory, tables)
    if problems:  # synonyms are checked against complete vocabularies only
        raise RulePackError(problems)
    synonyms = load_synonyms(
        directory,
        {name: frozenset(tables[name]) for name in INPUT_VOCABULARIES},
        iso_codes().__contains__,
    )
    # synonyms.yaml may add country names: accepted ones resolve, suggest-only ones are hints
    resolver = CountryResolver(
        {
            **countries_file.aliases,
            **{a.name: a.code for a in synonyms.countries if not a.suggest_only},
        },
        [(a.name, a.code, a.note) for a in synonyms.countries if a.suggest_only],
    )
    problems = _check_countries(
        countries_path, country_entries, countries_file, resolver, tables["tags"]
    )
    country_entries = _resolve_references(
        directory, tables, lines, country_entries, sources, problems
    )
    territories = _territories(directory, resolver, sources, problems)
    if problems:
        raise RulePackError(problems)
    from riskscreen.watchlist import load_tag_vocabulary  # the watchlist owns its tag vocabulary

    return Taxonomies(
        directory=directory,
        extra_vocabularies={"watchlist_tags": frozenset(load_tag_vocabulary(directory))},
        countries={c.code: c for c in country_entries},
        default_country_sensitivity=countries_file.default_sensitivity,
        country_resolver=resolver,
        synonyms=synonyms,
        version=version,
        digest=directory_hash(directory),
        sources=sources,
        territories=territories,
        region_resolver=RegionResolver(territories),
        **tables,
    )


def _check_required(directory: Path, tables: dict[str, dict[str, Any]]) -> list[Problem]:
    problems = []
    for name, required in REQUIRED_IDS.items():
        missing = [r for r in required if r not in tables[name]]
        if missing:
            problems.append(
                Problem(
                    f"required ids missing: {', '.join(missing)}",
                    Location(_located(directory / f"{name}.yaml")),
                    suggestion="the public contract (DESIGN.md) fixes these ids; add entries for them",
                )
            )
    return problems


def _check_tags(directory: Path, tables: dict[str, dict[str, Any]]) -> list[Problem]:
    problems = []
    tags: dict[str, TagEntry] = tables["tags"]
    for name, kind in TAGGED.items():
        valid = [t.id for t in tags.values() if kind in t.applies_to]
        for entry in tables[name].values():
            for tag in entry.tags:
                if tag not in valid:
                    path = directory / f"{name}.yaml"
                    problems.append(
                        Problem(
                            f"entry '{entry.id}' uses unknown tag",
                            Location(
                                _located(path), line=_line_of_entry(path, entry.id), field="tags"
                            ),
                            value=tag,
                            suggestion=did_you_mean(tag, valid, f"tags for {kind}"),
                        )
                    )
    return problems


def _check_countries(
    path: Path,
    entries: list[CountryEntry],
    file: CountriesFile,
    resolver: CountryResolver,
    tags: dict[str, TagEntry],
) -> list[Problem]:
    problems = []
    valid_tags = [t.id for t in tags.values() if "country" in t.applies_to]
    for entry in entries:
        if entry.code in resolver.codes and all(r.tag in valid_tags for r in entry.reasons):
            continue
        where = Location(_located(path), line=_line_of_entry(path, entry.code), field="code")
        if entry.code not in resolver.codes:
            problems.append(Problem("not an ISO 3166 alpha-2 code", where, value=entry.code))
        for reason in entry.reasons:
            if reason.tag not in valid_tags:
                problems.append(
                    Problem(
                        f"country '{entry.code}' uses unknown tag",
                        where,
                        value=reason.tag,
                        suggestion=did_you_mean(reason.tag, valid_tags, "country tags"),
                    )
                )
    for alias, code in file.aliases.items():
        if code not in resolver.codes:
            problems.append(
                Problem(
                    f"alias '{alias}' points at an unknown code",
                    Location(_located(path), field="aliases"),
                    value=code,
                )
            )
    return problems


def _resolve_references(
    directory: Path,
    tables: dict[str, dict[str, Any]],
    lines: dict[str, dict[str, int | None]],
    countries: list[CountryEntry],
    sources: dict[str, SourceEntry],
    problems: list[Problem],
) -> list[CountryEntry]:
    """Resolve every citation in the taxonomies against the bibliography (in place for tables)."""

    def where(name: str, key: str, field_name: str) -> Location:
        path = directory / f"{name}.yaml"
        return Location(_located(path), line=lines[name].get(key), field=field_name)

    for name in ("risk_types", "escalation_bodies", *TAGGED):
        for key, entry in tables[name].items():
            tables[name][key] = entry.model_copy(
                update={
                    "references": resolve_all(
                        entry.references, sources, where(name, key, "references"), problems
                    )
                }
            )
    for key, item in tables["checklist"].items():
        tables["checklist"][key] = item.model_copy(
            update={"source": resolve(item.source, sources, where("checklist", key, "source"), problems)}
        )
    resolved = []
    for country in countries:
        reasons = [
            reason.model_copy(
                update={
                    "source": resolve(
                        reason.source, sources, where("countries", country.code, "reasons"), problems
                    )
                }
            )
            for reason in country.reasons
        ]
        resolved.append(country.model_copy(update={"reasons": reasons}))
    return resolved


TERRITORIES_FILE = "territories.yaml"


def _territories(
    directory: Path,
    resolver: CountryResolver,
    sources: dict[str, SourceEntry],
    problems: list[Problem],
) -> dict[str, TerritoryEntry]:
    """The optional territories taxonomy (regions under another state's control), checked."""
    path = directory / TERRITORIES_FILE
    if not path.is_file():
        return {}
    _, entries, lines = _entries(path, TerritoryEntry)
    territories: dict[str, TerritoryEntry] = {}
    for entry in entries:
        where = Location(_located(path), line=lines.get(entry.region), field="region")
        if not is_region_code(entry.region):
            problems.append(Problem("not an ISO 3166-2 region code", where, value=entry.region))
        for code in (entry.country, entry.controlled_by):
            if code not in resolver.codes:
                problems.append(Problem("not an ISO 3166 alpha-2 code", where, value=code))
        source = resolve(entry.source, sources, where, problems)
        territories[entry.region] = entry.model_copy(update={"source": source})
    return territories
