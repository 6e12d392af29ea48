"""Self-contained HTML reports (inline CSS and SVG, no network) for one screening and a register."""

from __future__ import annotations

from typing import Any

from riskscreen.models.register import RegisterReport
from riskscreen.models.result import ScreeningResult
from riskscreen.render.charts import level_meter, tier_bars
from riskscreen.render.options import RenderOptions
from riskscreen.render.view import (
    STATUS_TEXT,
    heat_class,
    peak_of,
    references_text,
    render_report,
    tier_rank,
)


def _extras() -> dict[str, Any]:
    return {
        "level_meter": level_meter,
        "tier_bars": tier_bars,
        "status_text": STATUS_TEXT,
        "refs": references_text,
        "peak_of": peak_of,
        "heat_class": heat_class,
        "tier_rank": tier_rank,
    }


def render_screening(result: ScreeningResult, options: RenderOptions) -> str:
    return render_report("html", result, options, _extras())


def render_register(report: RegisterReport, options: RenderOptions) -> str:
    return render_report("html", report, options, _extras())


__all__ = ["render_register", "render_screening"]
