"""Markdown reports (GitHub/GitLab flavoured) for one screening and for a register."""

from __future__ import annotations

from typing import Any

from riskscreen.models.register import RegisterReport
from riskscreen.models.result import ScreeningResult
from riskscreen.render.charts import text_bar
from riskscreen.render.options import RenderOptions
from riskscreen.render.templating import MdSafe
from riskscreen.render.view import (
    STATUS_TEXT,
    github_slug,
    references_text,
    render_report,
)

LEVEL_BOXES = {"none": "□□□", "low": "■□□", "medium": "■■□", "high": "■■■"}


def heading(level: int) -> MdSafe:
    """The ``#`` run for a heading level (capped at 6, the deepest Markdown allows)."""
    return MdSafe("#" * min(max(level, 1), 6))


def _extras() -> dict[str, Any]:
    return {
        "h": heading,
        "level_boxes": LEVEL_BOXES,
        "status_text": STATUS_TEXT,
        "refs": references_text,
        "md_anchor": lambda text: MdSafe(text),
        "text_bar": text_bar,
        "slug": github_slug,
    }


def render_screening(result: ScreeningResult, options: RenderOptions) -> str:
    return render_report("md", result, options, _extras())


def render_register(report: RegisterReport, options: RenderOptions) -> str:
    return render_report("md", report, options, _extras())


__all__ = ["render_register", "render_screening"]
