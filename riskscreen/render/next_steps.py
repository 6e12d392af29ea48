"""What to do next: the part of a screening report an officer reads first, right under the tier.

Whom to contact first and by when, each with a one-line reason; a plain statement when a body
(the Devolved Diplomacy Unit) is only a proposal, with the interim route in the same place; and
a warning when no list of sanctions designations was loaded, with the command that imports one.
Every report format renders this same structure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from riskscreen.models.result import EscalationEntry, ScreeningResult

DEADLINES = {
    "before_negotiation": "Before negotiation continues",
    "before_signing": "Before signing",
}
SANCTIONS_LIST_URL = "https://www.gov.uk/government/publications/the-uk-sanctions-list"
IMPORT_COMMAND = (
    "riskscreen watchlist import UK_Sanctions_List.csv --format uk-sanctions-csv -o uk-sanctions.yaml"
)
WATCHLIST_OPTION = "--watchlist uk-sanctions.yaml"


@dataclass(frozen=True)
class Contact:
    body: str
    name: str  # without the qualifier after " — " (the escalation table gives the full name)
    why: str  # one line: the first finding that names the body, and how many more
    proposed: bool  # the body does not exist yet (the Commission's proposal)
    interim: str | None


@dataclass(frozen=True)
class Deadline:
    by_when: str
    label: str
    contacts: list[Contact]


@dataclass(frozen=True)
class ProposedBody:
    name: str
    interim: str

    @property
    def short_name(self) -> str:
        return _stem(self.name)


@dataclass(frozen=True)
class SanctionsNotice:
    headline: str = "No list of sanctions designations was loaded"
    detail: str = "so a designation of the partner or its owner cannot have been found."
    how: str = f"Download the UK Sanctions List (CSV) from {SANCTIONS_LIST_URL}, import it with"
    command: str = IMPORT_COMMAND
    then: str = "and screen again adding"
    option: str = WATCHLIST_OPTION


@dataclass(frozen=True)
class NextSteps:
    headline: str  # the tier's next step from taxonomies/tiers.yaml
    deadlines: list[Deadline]
    proposed: list[ProposedBody]
    checklist_outstanding: int
    sanctions: SanctionsNotice | None
    first: list[Contact] = field(default_factory=list)  # the contacts of the earliest deadline


def one_line_why(entry: EscalationEntry) -> str:
    if not entry.why:
        return ""
    more = len(entry.why) - 1
    return entry.why[0] + (f" (and {more} more finding{'s' if more > 1 else ''})" if more else "")


def _stem(name: str) -> str:
    """``Devolved Diplomacy Unit (Cabinet Office) — proposed`` → ``Devolved Diplomacy Unit``."""
    return re.split(r" \(| — ", name, maxsplit=1)[0]


def next_steps(result: ScreeningResult, proposed_bodies: dict[str, tuple[str, str]]) -> NextSteps:
    """``proposed_bodies``: id → (name, interim route) of every body the taxonomies mark as proposed."""
    contacts = [
        Contact(
            body=x.body, name=x.name.split(" — ", 1)[0], why=one_line_why(x), proposed=x.kind == "proposed",
            interim=x.interim,
        )
        for x in result.escalation
    ]
    deadlines = [
        Deadline(by_when=key, label=label, contacts=[c for c, x in zip(contacts, result.escalation, strict=True)
                                                     if x.by_when == key])
        for key, label in DEADLINES.items()
    ]
    deadlines = [d for d in deadlines if d.contacts]
    # A proposed body is explained wherever the report sends the reader to it: in the escalation,
    # or in the tier's own next step ("Refer to the Devolved Diplomacy Unit …").
    proposed: dict[str, ProposedBody] = {
        c.body: ProposedBody(c.name, c.interim) for c in contacts if c.proposed and c.interim
    }
    for body, (name, interim) in proposed_bodies.items():
        if body not in proposed and _stem(name) in result.next_steps:
            proposed[body] = ProposedBody(name, interim)
    return NextSteps(
        headline=result.next_steps,
        deadlines=deadlines,
        proposed=list(proposed.values()),
        checklist_outstanding=sum(1 for item in result.checklist if item.status == "outstanding"),
        sanctions=None if result.provenance.sanctions_list_loaded else SanctionsNotice(),
        first=deadlines[0].contacts if deadlines else [],
    )


__all__ = ["DEADLINES", "IMPORT_COMMAND", "Contact", "Deadline", "NextSteps", "SanctionsNotice", "next_steps"]
