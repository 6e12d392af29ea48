from __future__ import annotations

from pathlib import Path

import pytest

from riskscreen.watchlist import WatchlistMatcher, load_watchlists

REPO = Path(__file__).resolve().parents[2]
TAXONOMIES = REPO / "taxonomies"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def bundled() -> WatchlistMatcher:
    return load_watchlists(TAXONOMIES)


@pytest.fixture()
def taxonomy_copy(tmp_path: Path) -> Path:
    """A taxonomy dir with the real tag vocabulary and no bundled watchlist."""
    directory = tmp_path / "tax"
    directory.mkdir()
    (directory / "watchlist_tags.yaml").write_text(
        (TAXONOMIES / "watchlist_tags.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    return directory
