"""GitHub Actions workflow commands: ``::error`` annotations on the register file and line.

Results at or above ``--fail-on`` (and not waived or accepted by the baseline) are errors; results
below it that still call for advice are warnings; waived findings are notices with their reason.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

from riskscreen.models.base import TIER_ORDER
from riskscreen.render.sarif import artifact_uri
from riskscreen.render.stream import RegisterContext, RegisterWriter

if TYPE_CHECKING:
    from riskscreen.registers.pipeline import RegisterEntry, RegisterOutcome


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(kind: str, message: str, **properties: str | int) -> str:
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items())
    return f"::{kind} {props}::{escape_data(message)}"


class GithubWriter(RegisterWriter):
    def __init__(self, context: RegisterContext) -> None:
        super().__init__(context)
        self._uri = artifact_uri(context.register_path)
        engine = context.options.engine
        self._rules = {r.rule_id: r for r in engine.rule_catalogue()} if engine is not None else {}

    def add(self, entry: RegisterEntry) -> None:
        line = entry.location.line or entry.location.row or 1
        engagement = entry.result.engagement_id
        advice = TIER_ORDER.index("advice")
        for finding in entry.result.findings:
            rule = self._rules.get(finding.rule_id)
            title = f"{finding.rule_id} ({engagement})"
            message = (f"{engagement}: {rule.title if rule else finding.rule_id} [{finding.tier}]. "
                       f"{rule.advice if rule else ''}").rstrip()
            if finding.waiver is not None:
                self.body.write(command("notice", f"{message} Waived by {finding.waiver.approved_by} until "
                                        f"{finding.waiver.expires.isoformat()}: {finding.waiver.reason}",
                                        file=self._uri, line=line, title=f"waived: {title}") + "\n")
            elif entry.failing:
                self.body.write(command("error", message, file=self._uri, line=line, title=title) + "\n")
            elif TIER_ORDER.index(entry.effective_tier) >= advice:
                self.body.write(command("warning", message, file=self._uri, line=line, title=title) + "\n")

    def finish(self, outcome: RegisterOutcome, out: TextIO) -> None:
        self.body.copy_to(out)
        for note in outcome.waiver_notes:
            file, _, line_text = note.source.rpartition(":")
            place: dict[str, str | int] = ({"file": artifact_uri(file), "line": int(line_text)}
                                           if line_text.isdigit() else {})
            out.write(command("warning", note.message, **place, title=f"waiver {note.kind.replace('_', ' ')}") + "\n")
        s = outcome.summary
        out.write(f"riskscreen: {s.total} engagement(s), {s.failing} failing at or above '{s.fail_on}', "
                  f"{s.waived} waived, {s.expired_waivers} expired waiver(s)\n")
