"""Stands in for the md/html register renderers to test that `check` calls through the table."""

from __future__ import annotations

from riskscreen.models.register import RegisterReport
from riskscreen.render.options import RenderOptions


def render_register(report: RegisterReport, options: RenderOptions) -> str:
    ids = ",".join(r.result.engagement_id for r in report.results)
    return f"fake register: {report.register_path} {ids} fail_on={options.fail_on}\n"
