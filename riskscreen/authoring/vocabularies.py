"""The vocabularies an engagement uses, as ``riskscreen vocab`` lists them."""

from __future__ import annotations

from dataclasses import dataclass

from riskscreen.errors import InputError, Problem
from riskscreen.inputs.suggest import did_you_mean
from riskscreen.inputs.taxonomy import Taxonomies

# vocabulary -> (the engagement fields that use it, what it is)
VOCABULARIES: dict[str, tuple[tuple[str, ...], str]] = {
    "lead_types": (("lead.type",), "Kinds of UK lead organisation"),
    "due_diligence": (("lead.due_diligence",), "Due-diligence checks a lead can record as done"),
    "approval_levels": (("lead.approval",), "Governance levels that approve an engagement"),
    "partner_types": (("partner.type",), "Kinds of overseas partner"),
    "countries": (("partner.country",), "Countries and territories (ISO 3166 alpha-2 codes)"),
    "agreement_types": (("agreement_type",), "Kinds of agreement"),
    "sectors": (("sectors",), "Sectors an engagement touches"),
    "involves": (("involves",), "What an engagement involves beyond its sectors"),
}


@dataclass(frozen=True)
class Term:
    id: str
    label: str
    description: str = ""


@dataclass(frozen=True)
class Vocabulary:
    name: str
    fields: tuple[str, ...]
    summary: str
    terms: tuple[Term, ...]


def _field_vocabulary() -> dict[str, str]:
    return {field: name for name, (fields, _) in VOCABULARIES.items() for field in fields}


FIELD_VOCABULARY: dict[str, str] = _field_vocabulary()


def vocabulary(taxonomies: Taxonomies, name: str) -> Vocabulary:
    """One vocabulary's ids, labels and descriptions, in the taxonomy's own order."""
    if name not in VOCABULARIES:
        raise InputError(
            Problem(
                "no such vocabulary",
                value=name,
                suggestion=did_you_mean(name, list(VOCABULARIES), "vocabularies"),
            )
        )
    fields, summary = VOCABULARIES[name]
    if name == "countries":
        resolver = taxonomies.country_resolver
        terms = tuple(
            Term(code, resolver.name(code), _country_note(taxonomies, code))
            for code in sorted(resolver.codes)
        )
    else:
        table = getattr(taxonomies, name)
        terms = tuple(
            Term(entry.id, entry.label, getattr(entry, "description", "") or "")
            for entry in table.values()
        )
    return Vocabulary(name, fields, summary, terms)


def _country_note(taxonomies: Taxonomies, code: str) -> str:
    entry = taxonomies.countries.get(code)
    if entry is None:
        return ""
    return f"sensitivity {entry.sensitivity.value}: " + "; ".join(r.note for r in entry.reasons)


def all_vocabularies(taxonomies: Taxonomies) -> list[Vocabulary]:
    return [vocabulary(taxonomies, name) for name in VOCABULARIES]
