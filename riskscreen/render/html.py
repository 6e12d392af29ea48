"""Self-contained HTML reports (inline CSS and SVG, no network) for one screening and a register."""

from __future__ import annotations

import io
from typing import Any

from riskscreen.models.compact import compact_of
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
    """A register report already held in memory, through the same writer ``check`` streams to."""
    from riskscreen.registers.pipeline import RegisterEntry, RegisterOutcome, Tally
    from riskscreen.render.register_html import HtmlWriter
    from riskscreen.render.stream import RegisterContext

    writer = HtmlWriter(RegisterContext(report.register_path, report.as_of, report.fail_on, options,
                                        options.detail))  # type: ignore[arg-type]
    tally = Tally(report.fail_on, report.as_of)
    try:
        for index, r in enumerate(report.results, start=1):
            entry = RegisterEntry(index=index, result=compact_of(r.result), location=r.location,
                                  effective_tier=r.effective_tier, waived=r.waived, failing=r.failing,
                                  baseline=r.baseline)
            tally.add(entry)
            writer.add(entry)
        outcome = RegisterOutcome(register_path=report.register_path, as_of=report.as_of, fail_on=report.fail_on,
                                  summary=report.summary, waiver_notes=report.waiver_notes,
                                  provenance=report.provenance, tally=tally, warnings=report.warnings)
        out = io.StringIO()
        writer.finish(outcome, out)
        return out.getvalue()
    finally:
        writer.close()


__all__ = ["render_register", "render_screening"]
