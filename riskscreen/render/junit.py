"""JUnit XML (Apache Ant schema): one testcase per engagement, a failure for each failing one.

``classname`` is the register file and ``name`` the engagement id (unique in a register), so CI
test history follows each engagement. The timestamp is the --as-of date, keeping output stable.
"""

from __future__ import annotations

from xml.etree import ElementTree as ET

from riskscreen.models.register import RegisterReport, RegisterResult
from riskscreen.render.options import RenderOptions


def _failure_body(result: RegisterResult, register: str, fail_on: str) -> str:
    loc = result.location
    lines = [f"{result.result.engagement_id} is '{result.effective_tier}' at {register}:"
             f"{loc.line or loc.row}; the check fails at '{fail_on}' or above"]
    for finding in result.result.findings:
        waived = f" [waived: {finding.waiver.reason}]" if finding.waiver else ""
        lines.append(f"- {finding.rule_id} [{finding.tier}] {finding.risk_type}: {finding.title}{waived}")
        lines.append(f"  advice: {finding.advice}")
    return "\n".join(lines) + "\n"


def render_register(report: RegisterReport, options: RenderOptions) -> str:
    s = report.summary
    suite = ET.Element("testsuite", {
        "name": f"riskscreen {report.register_path}",
        "timestamp": f"{report.as_of.isoformat()}T00:00:00",
        "hostname": "localhost",
        "tests": str(s.total),
        "failures": str(s.failing),
        "errors": "0",
        "skipped": "0",
        "time": "0",
    })
    properties = ET.SubElement(suite, "properties")
    for name, value in (("fail_on", report.fail_on), ("as_of", report.as_of.isoformat()),
                        ("rule_pack", f"{report.provenance.rule_pack.name} {report.provenance.rule_pack.version}"),
                        ("waived", str(s.waived)), ("expired_waivers", str(s.expired_waivers))):
        ET.SubElement(properties, "property", {"name": name, "value": value})
    for r in report.results:
        case = ET.SubElement(suite, "testcase", {"classname": report.register_path, "name": r.result.engagement_id,
                                                 "time": "0"})
        if r.failing:
            failure = ET.SubElement(case, "failure", {
                "message": f"tier {r.effective_tier} is at or above {report.fail_on}",
                "type": r.effective_tier,
            })
            failure.text = _failure_body(r, report.register_path, report.fail_on)
    out = ET.SubElement(suite, "system-out")
    out.text = "\n".join(f"{n.kind}: {n.message} ({n.source})" for n in report.waiver_notes)
    ET.SubElement(suite, "system-err")
    ET.indent(suite)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suite, encoding="unicode") + "\n"
