"""JUnit XML (Apache Ant schema): one testcase per engagement, a failure for each failing one.

``classname`` is the register file and ``name`` the engagement id (unique in a register), so CI
test history follows each engagement. A failure carries what a CI viewer shows: the tier, where
the engagement is, and one line per finding. The timestamp is the --as-of date, keeping output
stable. Test cases are written as they come; the suite's counts go in its tag at the end.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO
from xml.sax.saxutils import escape, quoteattr

from riskscreen.render.stream import RegisterContext, RegisterWriter

if TYPE_CHECKING:
    from riskscreen.registers.pipeline import RegisterEntry, RegisterOutcome


def _failure_body(entry: RegisterEntry, register: str, fail_on: str, titles: dict[str, str]) -> str:
    loc = entry.location
    lines = [f"{entry.result.engagement_id} is '{entry.effective_tier}' at {register}:"
             f"{loc.line or loc.row}; the check fails at '{fail_on}' or above"]
    for finding in entry.result.findings:
        waived = f" [waived: {finding.waiver.reason}]" if finding.waiver else ""
        title = titles.get(finding.rule_id, finding.rule_id)
        lines.append(f"- {finding.rule_id} [{finding.tier}] {finding.risk_type}: {title}{waived}")
    return "\n".join(lines) + "\n"


class JUnitWriter(RegisterWriter):
    def __init__(self, context: RegisterContext) -> None:
        super().__init__(context)
        engine = context.options.engine
        self._titles = {r.rule_id: r.title for r in engine.rule_catalogue()} if engine is not None else {}
        self._classname = quoteattr(context.register_path)

    def add(self, entry: RegisterEntry) -> None:
        name = quoteattr(entry.result.engagement_id)
        if not entry.failing:
            self.body.write(f'  <testcase classname={self._classname} name={name} time="0" />\n')
            return
        message = quoteattr(f"tier {entry.effective_tier} is at or above {self.context.fail_on}")
        body = escape(_failure_body(entry, self.context.register_path, self.context.fail_on, self._titles))
        self.body.write(f'  <testcase classname={self._classname} name={name} time="0">\n'
                        f'    <failure message={message} type={quoteattr(entry.effective_tier)}>{body}</failure>\n'
                        "  </testcase>\n")

    def finish(self, outcome: RegisterOutcome, out: TextIO) -> None:
        s = outcome.summary
        as_of = outcome.as_of.isoformat()
        attributes = {"name": f"riskscreen {outcome.register_path}", "timestamp": f"{as_of}T00:00:00",
                      "hostname": "localhost", "tests": str(s.total), "failures": str(s.failing),
                      "errors": "0", "skipped": "0", "time": "0"}
        pack = outcome.provenance.rule_pack
        properties = (("fail_on", outcome.fail_on), ("as_of", as_of), ("rule_pack", f"{pack.name} {pack.version}"),
                      ("waived", str(s.waived)), ("expired_waivers", str(s.expired_waivers)))
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n<testsuite '
                  + " ".join(f"{k}={quoteattr(v)}" for k, v in attributes.items()) + ">\n  <properties>\n")
        out.writelines(f"    <property name={quoteattr(k)} value={quoteattr(v)} />\n" for k, v in properties)
        out.write("  </properties>\n")
        self.body.copy_to(out)
        notes = "\n".join(f"{n.kind}: {n.message} ({n.source})" for n in outcome.waiver_notes)
        out.write(f"  <system-out>{escape(notes)}</system-out>\n" if notes else "  <system-out />\n")
        out.write("  <system-err />\n</testsuite>\n")
