"""GitHub Actions workflow commands: ``::error`` annotations on the register file and line.

Results at or above ``--fail-on`` (and not waived or accepted by the baseline) are errors; results
below it that still call for advice are warnings; waived findings are notices with their reason.
"""

from __future__ import annotations

from riskscreen.models.base import TIER_ORDER
from riskscreen.models.register import RegisterReport
from riskscreen.render.options import RenderOptions
from riskscreen.render.sarif import artifact_uri


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(kind: str, message: str, **properties: str | int) -> str:
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items())
    return f"::{kind} {props}::{escape_data(message)}"


def render_register(report: RegisterReport, options: RenderOptions) -> str:
    lines: list[str] = []
    uri = artifact_uri(report.register_path)
    advice = TIER_ORDER.index("advice")
    for r in report.results:
        line = r.location.line or r.location.row or 1
        engagement = r.result.engagement_id
        for finding in r.result.findings:
            title = f"{finding.rule_id} ({engagement})"
            message = f"{engagement}: {finding.title} [{finding.tier}]. {finding.advice}"
            if finding.waiver is not None:
                lines.append(command("notice", f"{message} Waived by {finding.waiver.approved_by} until "
                                     f"{finding.waiver.expires.isoformat()}: {finding.waiver.reason}",
                                     file=uri, line=line, title=f"waived: {title}"))
            elif r.failing:
                lines.append(command("error", message, file=uri, line=line, title=title))
            elif TIER_ORDER.index(r.effective_tier) >= advice:
                lines.append(command("warning", message, file=uri, line=line, title=title))
    for note in report.waiver_notes:
        file, _, line_text = note.source.rpartition(":")
        place: dict[str, str | int] = {"file": artifact_uri(file), "line": int(line_text)} if line_text.isdigit() else {}
        lines.append(command("warning", note.message, **place, title=f"waiver {note.kind.replace('_', ' ')}"))
    s = report.summary
    lines.append(f"riskscreen: {s.total} engagement(s), {s.failing} failing at or above '{s.fail_on}', "
                 f"{s.waived} waived, {s.expired_waivers} expired waiver(s)")
    return "\n".join(lines) + "\n"
