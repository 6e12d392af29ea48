"""Self-contained HTML reports (inline CSS and SVG, no network) for one screening and a register."""

from __future__ import annotations

from typing import Any

from riskscreen.models.register import RegisterReport
from riskscreen.models.result import ScreeningResult
from riskscreen.render.charts import level_meter, tier_bars
from riskscreen.render.options import RenderOptions
from riskscreen.render.templating import render
from riskscreen.render.view import (
    STATUS_TEXT,
    Labels,
    heat_class,
    peak_of,
    references_text,
    register_view,
    screening_view,
    tier_rank,
)


def _context(options: RenderOptions) -> dict[str, Any]:
    return {
        "labels": Labels(options.engine.taxonomies if options.engine is not None else None),
        "level_meter": level_meter,
        "tier_bars": tier_bars,
        "status_text": STATUS_TEXT,
        "refs": references_text,
        "peak_of": peak_of,
        "heat_class": heat_class,
        "tier_rank": tier_rank,
    }


def render_screening(result: ScreeningResult, options: RenderOptions) -> str:
    context = _context(options)
    return render("html", "screening.html.j2", options.templates_dir,
                  v=screening_view(result, context["labels"]), **context)


def render_register(report: RegisterReport, options: RenderOptions) -> str:
    context = _context(options)
    return render("html", "register.html.j2", options.templates_dir,
                  r=register_view(report, context["labels"]), **context)


__all__ = ["render_register", "render_screening"]
