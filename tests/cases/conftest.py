from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from riskscreen.screening.engine import Engine

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
DATA = Path(__file__).resolve().parent / "data"
DESIGNATED_WATCHLIST = DATA / "designated-watchlist.yaml"
AS_OF = date(2026, 11, 22)


@pytest.fixture(scope="session")
def designated_engine() -> Iterator[Engine]:
    """The bundled pack plus the fictional designated-entity fixture watchlist."""
    with Engine.load(watchlists=[DESIGNATED_WATCHLIST]) as loaded:
        yield loaded
