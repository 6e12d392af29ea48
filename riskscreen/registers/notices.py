"""Notices a register report shows before anything else: limits of what the check covered."""

from __future__ import annotations

from riskscreen.models.result import Provenance

NO_SANCTIONS_LIST = (
    "No sanctions designations list loaded: partners were screened only against the bundled watchlist of "
    "state-linked actors, which is not a sanctions list. Import the UK Sanctions List with "
    "'riskscreen watchlist import' and pass it with --watchlist (docs/watchlists.md)."
)


def register_notices(provenance: Provenance) -> list[str]:
    """The notices for a check run with these rules, taxonomies and watchlists."""
    notices = []
    if getattr(provenance, "sanctions_list_loaded", True) is False:
        notices.append(NO_SANCTIONS_LIST)
    return notices
