"""Partner screening against watchlists: fuzzy, explainable name matching."""

from riskscreen.watchlist.loader import load_tag_vocabulary, load_watchlist_file, load_watchlists
from riskscreen.watchlist.matcher import WatchlistMatcher
from riskscreen.watchlist.model import WatchlistEntry, WatchlistHit
from riskscreen.watchlist.normalise import NormalisedName, normalise
from riskscreen.watchlist.scoring import DEFAULT_THRESHOLD

__all__ = [
    "DEFAULT_THRESHOLD",
    "NormalisedName",
    "WatchlistEntry",
    "WatchlistHit",
    "WatchlistMatcher",
    "load_tag_vocabulary",
    "load_watchlist_file",
    "load_watchlists",
    "normalise",
]
