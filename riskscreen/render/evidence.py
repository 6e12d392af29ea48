"""Evidence in plain English: "partner country: China (high sensitivity: …)", never ``fact = value``.

A finding's evidence lists the facts its rule tested. Facts are internal names over derived
values (ranks, tag lists); an officer needs the input they recognise and, where the taxonomy
says why it matters, that reason. Each fact has a phrase here; a fact added to the catalogue
later falls back to its catalogue description. A negative test over an empty list (no tags, no
flags) is not a reason and is left out; an optional field left blank reads "not recorded" with
the field to fill in.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from riskscreen.models.result import Evidence, Finding, ScreeningResult
from riskscreen.render.templating import money, years
from riskscreen.rulepack.facts_catalogue import ENGAGEMENT_FACTS

if TYPE_CHECKING:
    from riskscreen.inputs.taxonomy import Taxonomies
    from riskscreen.render.view import Labels

NOT_RECORDED = "not recorded"
SENSITIVITY_BY_RANK = {1: "low", 2: "moderate", 3: "high"}
COUNTRY_SENSITIVITY_BY_RANK = {0: "standard", 1: "elevated", 2: "high", 3: "severe"}
STATE_LINK_TAGS = frozenset({"state_linked", "state_owned"})
# Watchlist tags carry descriptions but no labels (taxonomies/watchlist_tags.yaml); these read better.
WATCHLIST_TAG_TEXT = {
    "sanctioned": "sanctions designation",
    "sanction_linked": "linked to a designated party",
    "state_linked": "state-linked",
    "state_owned": "state-owned",
    "military_linked": "military-linked",
    "telecoms_vendor_restricted": "telecoms vendor under UK security restrictions",
    "pep": "politically exposed person",
}


@dataclass(frozen=True)
class EvidenceView:
    fact: str
    label: str  # what the input is, in words: "partner country"
    value: str  # what it was, with the taxonomy's reason where there is one


def lower_first(text: str) -> str:
    """``Named as sensitive`` → ``named as sensitive``; ``UK sanctions regime`` stays as it is."""
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


# What to record for an optional input left out, in the officer's words (the field name follows).
RECORD_HINTS = {
    "lead.due_diligence": "record the checks you made",
    "lead.approval": "record who approved it",
    "lead.international_team_fte": "record the size of the international team",
    "lead.has_international_strategy": "record whether you have an international strategy",
    "partner.state_linked": "record whether a foreign state controls the partner",
    "partner.parent": "record the partner's ultimate owner",
    "value_gbp": "record the value",
    "term_years": "record the term",
    "binding": "record whether it is legally binding",
    "published": "record whether it will be published",
    "objectives_defined": "record whether objectives are defined",
    "review_date": "record a review date",
}


def not_recorded(field: str) -> str:
    """``not recorded — record the term (term_years)``: what is missing and where it goes."""
    return f"{NOT_RECORDED} — {RECORD_HINTS.get(field, 'record it')} ({field})"


class EvidenceWriter:
    """Phrases one result's evidence with the taxonomies it was screened with (labels only without)."""

    def __init__(self, result: ScreeningResult, labels: Labels) -> None:
        self.result = result
        self.e = result.engagement
        self.labels = labels
        self.tax: Taxonomies | None = labels.taxonomies
        self._phrases: dict[str, Callable[[Evidence], tuple[str, str] | None]] = {
            "lead_type": lambda ev: ("lead", labels("lead_types", ev.value)),
            "lead_international_team_fte": self._team,
            "lead_has_international_strategy": lambda ev: self._flag(
                ev, "international strategy", "in place", "not in place", "lead.has_international_strategy"
            ),
            "lead_due_diligence": self._due_diligence,
            "lead_approval": self._approval,
            "lead_approval_rank": self._approval,
            "partner_type": lambda ev: ("partner type", labels("partner_types", ev.value)),
            "partner_type_tags": self._partner_type_tags,
            "partner_country": self._country,
            "country_sensitivity": self._country,
            "country_sensitivity_rank": self._country,
            "country_tags": self._country,
            "partner_state_linked": lambda ev: self._flag(
                ev, "state control", "declared", "declared none", "partner.state_linked"
            ),
            "partner_state_linked_effective": self._state_linked,
            "partner_has_parent": lambda ev: (
                "owner",
                self.e.partner_parent if self.e.partner_parent else not_recorded("partner.parent"),
            ),
            "agreement_type": self._agreement,
            "agreement_tags": self._agreement,
            "agreement_sensitivity_rank": self._agreement,
            "sectors": lambda ev: ("sectors", labels.many("sectors", list(ev.value or []))),
            "sector_tags": self._sector_tags,
            "sector_max_sensitivity_rank": self._sector_rank,
            "nsi_areas": self._nsi_areas,
            "involves": self._involves,
            "involves_tags": self._involves,
            "exposure": self._exposure,
            "exposure_rank": self._exposure,
            "value_gbp": lambda ev: (
                "value", not_recorded("value_gbp") if ev.value is None else money(ev.value)
            ),
            "term_years": lambda ev: (
                "term", not_recorded("term_years") if ev.value is None else years(ev.value)
            ),
            "binding": self._binding,
            "published": lambda ev: self._flag(
                ev, "publication", "will be published", "will not be published", "published"
            ),
            "objectives_defined": lambda ev: self._flag(
                ev, "objectives and measures of success", "defined", "not defined",
                "objectives_defined",
            ),
            "has_review_date": self._review,
            "review_date_passed": self._review,
            "review_due_within_90_days": self._review,
            "watchlist_hit": self._watchlist,
            "watchlist_tags": self._watchlist,
            "watchlist_via_parent": self._watchlist,
        }

    def for_finding(self, finding: Finding) -> list[EvidenceView]:
        """The finding's reasons, one line per input (facts about the same input merge)."""
        seen: dict[str, EvidenceView] = {}
        for item in finding.evidence:
            view = self.describe(item)
            if view is not None and view.label not in seen:
                seen[view.label] = view
        return list(seen.values())

    def describe(self, item: Evidence) -> EvidenceView | None:
        phrase = self._phrases.get(item.fact, self._fallback)
        said = phrase(item)
        if said is None:
            return None
        return EvidenceView(fact=item.fact, label=said[0], value=said[1])

    # -- phrases ------------------------------------------------------------------------

    def _fallback(self, ev: Evidence) -> tuple[str, str] | None:
        spec = ENGAGEMENT_FACTS.get(ev.fact)
        label = lower_first(spec.description) if spec else ev.fact.replace("_", " ")
        # Drop a scale note such as "(0 standard … 3 severe)": the number alone means nothing.
        label = re.sub(r"\s*\([^)]*…[^)]*\)", "", label)
        if ev.value is None:
            field = spec.inputs[0] if spec and len(spec.inputs) == 1 else None
            return label, not_recorded(field) if field else NOT_RECORDED
        if ev.value in ([], ""):
            return None
        return label, self.labels.value(spec.vocabulary if spec else None, ev.value)

    @staticmethod
    def _flag(ev: Evidence, label: str, yes: str, no: str, field: str) -> tuple[str, str]:
        if ev.value is None:
            return label, not_recorded(field)
        return label, yes if ev.value else no

    def _team(self, ev: Evidence) -> tuple[str, str]:
        if ev.value is None:
            return "international team", not_recorded("lead.international_team_fte")
        fte = float(ev.value)
        shown = str(int(fte)) if fte.is_integer() else f"{fte:g}"
        return "international team", "no dedicated staff" if fte == 0 else f"{shown} full-time equivalent"

    def _due_diligence(self, ev: Evidence) -> tuple[str, str]:
        done = list(ev.value or [])
        if not done:
            return "due diligence", not_recorded("lead.due_diligence")
        return "due diligence recorded", self.labels.many("due_diligence", done)

    def _approval(self, ev: Evidence) -> tuple[str, str]:
        level = ev.inputs.get("lead.approval")
        if level is None:
            return "approval", not_recorded("lead.approval")
        return "approval", self.labels("approval_levels", str(level))

    def _partner_type_tags(self, ev: Evidence) -> tuple[str, str] | None:
        if not ev.value:
            return None
        tags = "; ".join(lower_first(self.labels("tags", t)) for t in ev.value)
        return "partner type", f"{self.labels('partner_types', self.e.partner_type)} ({tags})"

    def _country(self, ev: Evidence) -> tuple[str, str]:
        name = self.e.country_name
        entry = self.tax.countries.get(self.e.country) if self.tax is not None else None
        if entry is None:
            level = (
                self.tax.default_country_sensitivity.value
                if self.tax is not None
                else COUNTRY_SENSITIVITY_BY_RANK.get(_rank(ev), "")
            )
            if ev.fact == "country_tags" and ev.value:  # rendered without the taxonomies
                reasons = "; ".join(lower_first(self.labels("tags", t)) for t in ev.value)
                return "partner country", f"{name} ({reasons})"
            return "partner country", f"{name} ({level} sensitivity)" if level else name
        reasons = "; ".join(
            dict.fromkeys(lower_first(self.labels("tags", r.tag)) for r in entry.reasons)
        )
        return "partner country", f"{name} ({entry.sensitivity.value} sensitivity: {reasons})"

    def _state_linked(self, ev: Evidence) -> tuple[str, str]:
        if not ev.value:
            return "state control", "none known"
        why: list[str] = []
        if ev.inputs.get("partner.state_linked"):
            why.append("declared")
        partner_type = self.tax.partner_types.get(self.e.partner_type) if self.tax else None
        if partner_type is not None and partner_type.state_linked_default:
            why.append(f"a {lower_first(partner_type.label)}")
        names = [
            str(hit.get("entry_name")) for hit in self.result.watchlist_hits
            if STATE_LINK_TAGS & set(hit.get("tags", []))
        ]
        if names:
            why.append("on the watchlist as " + ", ".join(dict.fromkeys(names)))
        return "state control", "yes" + (f" ({'; '.join(why)})" if why else "")

    def _agreement(self, ev: Evidence) -> tuple[str, str] | None:
        if ev.fact == "agreement_tags" and not ev.value:
            return None
        label = self.labels("agreement_types", self.e.agreement_type)
        if ev.fact == "agreement_tags":
            return "agreement", f"{label} ({'; '.join(lower_first(self.labels('tags', t)) for t in ev.value)})"
        if ev.fact == "agreement_sensitivity_rank":
            return "agreement", f"{label} ({SENSITIVITY_BY_RANK.get(_rank(ev), '')} sensitivity)"
        return "agreement", label

    def _sector_tags(self, ev: Evidence) -> tuple[str, str] | None:
        if not ev.value:
            return None
        parts = []
        for tag in ev.value:
            with_tag = [
                s for s in self.e.sectors
                if self.tax is not None and s in self.tax.sectors and tag in self.tax.sectors[s].tags
            ]
            tag_label = lower_first(self.labels("tags", tag))
            parts.append(
                f"{self.labels.many('sectors', with_tag)} ({tag_label})" if with_tag else tag_label
            )
        return "sectors", "; ".join(parts)

    def _sector_rank(self, ev: Evidence) -> tuple[str, str]:
        level = SENSITIVITY_BY_RANK.get(_rank(ev), "")
        top = [
            s for s in self.e.sectors
            if self.tax is not None and s in self.tax.sectors
            and self.tax.sectors[s].sensitivity.rank == _rank(ev)
        ]
        shown = self.labels.many("sectors", top) if top else self.labels.many("sectors", self.e.sectors)
        return "most sensitive sector", f"{shown} ({level} sensitivity)"

    def _nsi_areas(self, ev: Evidence) -> tuple[str, str] | None:
        if not ev.value:
            return None
        return "NSI Act mandatory areas", ", ".join(str(v).replace("_", " ") for v in ev.value)

    def _involves(self, ev: Evidence) -> tuple[str, str] | None:
        if not ev.value:
            return None  # "involves nothing of the kind" is not a reason
        if ev.fact == "involves":
            return "involves", self.labels.many("involves", list(ev.value))
        flagged = [
            i for i in self.e.involves
            if self.tax is not None and i in self.tax.involves
            and set(ev.value) & set(self.tax.involves[i].tags)
        ]
        tags = "; ".join(lower_first(self.labels("tags", t)) for t in ev.value)
        if not flagged:
            return "involves", tags
        return "involves", f"{self.labels.many('involves', flagged)} ({tags})"

    def _exposure(self, ev: Evidence) -> tuple[str, str]:
        rank = _rank(ev) if ev.fact == "exposure_rank" else {"low": 1, "moderate": 2, "high": 3}.get(
            str(ev.value), 0
        )
        level = SENSITIVITY_BY_RANK.get(rank, str(ev.value))
        drivers: list[str] = []
        if self.tax is not None:
            agreement = self.tax.agreement_types.get(self.e.agreement_type)
            drivers += [self.labels("sectors", s) for s in self.e.sectors
                        if s in self.tax.sectors and self.tax.sectors[s].sensitivity.rank == rank]
            if agreement is not None and agreement.sensitivity.rank == rank:
                drivers.append(agreement.label)
            drivers += [self.labels("involves", i) for i in self.e.involves
                        if i in self.tax.involves and self.tax.involves[i].sensitivity.rank == rank]
        return "exposure", f"{level}" + (f" (from {', '.join(drivers)})" if drivers else "")

    def _binding(self, ev: Evidence) -> tuple[str, str]:
        said = "yes" if ev.value else "no"
        if "binding" not in ev.inputs:
            said += " (usual for this kind of agreement; binding not recorded)"
        return "legally binding", said

    def _review(self, ev: Evidence) -> tuple[str, str]:
        when = self.e.review_date
        if when is None or (ev.fact == "has_review_date" and not ev.value):
            return "review date", not_recorded("review_date")
        if ev.fact == "review_date_passed":
            return "review date", f"{when.isoformat()}, already passed"
        if ev.fact == "review_due_within_90_days":
            return "review date", f"{when.isoformat()}, due within 90 days"
        return "review date", when.isoformat()

    def _watchlist(self, ev: Evidence) -> tuple[str, str] | None:
        hits = self.result.watchlist_hits
        if ev.fact == "watchlist_via_parent":
            hits = [h for h in hits if h.get("via_parent")]
        if ev.fact == "watchlist_tags":
            if not ev.value:
                return None
            hits = [h for h in hits if set(ev.value) & set(h.get("tags", []))]
        if not hits or not ev.value:
            return None
        parts = []
        for hit in hits:
            listed, named = str(hit.get("entry_name")), str(hit.get("input_name"))
            who = listed if named == listed else f"{named} matches {listed}"
            if hit.get("via_parent"):
                who += " (through the owner)"
            tags = ", ".join(watchlist_tag_text(str(t)) for t in hit.get("tags", []))
            parts.append(f"{who}" + (f" ({tags})" if tags else ""))
        return "watchlist", "; ".join(parts)


def watchlist_tag_text(tag: str) -> str:
    """``sanctioned`` → ``sanctions designation``; ``regime_russia`` → ``russia regime``."""
    if tag in WATCHLIST_TAG_TEXT:
        return WATCHLIST_TAG_TEXT[tag]
    if tag.startswith("regime_"):
        return tag.removeprefix("regime_").replace("_", " ") + " regime"
    return tag.replace("_", " ")


def _rank(ev: Evidence) -> int:
    try:
        return int(ev.value)
    except (TypeError, ValueError):
        return -1


__all__ = ["NOT_RECORDED", "EvidenceView", "EvidenceWriter", "lower_first"]
