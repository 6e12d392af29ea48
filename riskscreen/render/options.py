"""What renderers may need beyond the result itself."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from riskscreen.screening.engine import Engine


@dataclass(frozen=True)
class RenderOptions:
    engine: Engine | None = None
    templates_dir: Path | None = None
    fail_on: str = "alignment"
    source: str | None = None  # the input file as the user named it
    color: bool = False
    detail: str = "failing"  # register reports: per-engagement detail for summary|failing|all
