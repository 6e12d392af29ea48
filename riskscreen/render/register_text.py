"""A compact terminal table for a register: one line per engagement, then the summary."""

from __future__ import annotations

from riskscreen.models.register import RegisterReport, RegisterResult
from riskscreen.render.options import RenderOptions


def _status(result: RegisterResult) -> str:
    if result.failing:
        return "FAIL"
    if result.waived:
        return "waived"
    if result.baseline == "known" and result.effective_tier != "autonomy":
        return "baseline"
    return "ok"


def _place(result: RegisterResult) -> str:
    loc = result.location
    return f"line {loc.line}" if loc.row is None else f"row {loc.row}"


PARTNER_WIDTH = 28


def _partner(result: RegisterResult) -> str:
    name = result.result.engagement.partner_name
    return name if len(name) <= PARTNER_WIDTH else name[: PARTNER_WIDTH - 1] + "…"


def render_register(report: RegisterReport, options: RenderOptions) -> str:
    rows = [("ENGAGEMENT", "TIER", "EFFECTIVE", "PARTNER", "COUNTRY", "FINDINGS", "WHERE", "STATUS")]
    for r in report.results:
        waived = sum(f.waiver is not None for f in r.result.findings)
        count = f"{len(r.result.findings)}" + (f" ({waived} waived)" if waived else "")
        rows.append((r.result.engagement_id, r.result.tier, r.effective_tier, _partner(r),
                     r.result.engagement.country, count, _place(r), _status(r)))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [f"{report.register_path} (as of {report.as_of.isoformat()}, fail on {report.fail_on})", ""]
    lines += ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
              for row in rows]
    failing = [r for r in report.results if r.failing]
    if failing:
        lines += ["", "Failing"]
        for r in failing:
            lines.append(f"  {r.result.engagement_id} [{r.effective_tier}] {report.register_path}:"
                         f"{r.location.line or r.location.row}")
            lines += [f"    - {f.rule_id} [{f.tier}]: {f.title}" for f in r.result.findings if f.waiver is None]
    if report.waiver_notes:
        lines += ["", "Waivers"]
        lines += [f"  {note.kind.replace('_', ' ')}: {note.message} ({note.source})"
                  for note in report.waiver_notes]
    lines += [""] + [f"warning: {w}" for w in report.warnings]
    s = report.summary
    tiers = ", ".join(f"{tier} {count}" for tier, count in s.by_effective_tier.items())
    lines.append(f"{s.total} engagement(s): {tiers}. {s.failing} failing at or above '{s.fail_on}'; "
                 f"{s.waived} waived ({s.waived_findings} finding(s)); {s.expired_waivers} expired waiver(s); "
                 f"{s.waiver_warnings} waiver warning(s)" + (f"; {s.baselined} in baseline" if s.baselined else ""))
    return "\n".join(lines) + "\n"
