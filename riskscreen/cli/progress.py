"""The progress bar of ``check`` on a terminal (tqdm): rows done of total, rate and ETA."""

from __future__ import annotations

import sys

from tqdm import tqdm


class RowsBar(tqdm):  # type: ignore[misc]  # tqdm ships no type hints
    def __init__(self, total: int | None, desc: str) -> None:
        super().__init__(total=total, unit=" rows", file=sys.stderr, leave=False, mininterval=0.5,
                         desc=desc, dynamic_ncols=True)

    def update_to(self, done: int) -> None:
        """Move the bar to ``done`` rows (the pipeline reports a running count)."""
        self.update(done - self.n)
