"""Plain-text screening report for terminals."""

from __future__ import annotations

import textwrap

from riskscreen.models.result import ScreeningResult
from riskscreen.render.options import RenderOptions

WIDTH = 88
LEVEL_BARS = {"none": "·····", "low": "■····", "medium": "■■■··", "high": "■■■■■"}
STATUS_MARK = {"done": "[x]", "outstanding": "[ ]", "not_applicable": "[-]"}


def _wrap(text: str, indent: str = "    ") -> str:
    return textwrap.fill(text, WIDTH, initial_indent=indent, subsequent_indent=indent)


def _money(value: float | None) -> str:
    return "—" if value is None else f"£{value:,.0f}"


def render_screening(result: ScreeningResult, options: RenderOptions) -> str:
    e = result.engagement
    lines = [
        f"{result.engagement_id}: {e.title or ''}".rstrip(": "),
        f"TIER: {result.tier.upper()} — {result.tier_label}",
        _wrap(result.tier_meaning, "  "),
        _wrap("Next: " + result.next_steps, "  "),
        "",
        f"  Lead      {e.lead_name} ({e.lead_type})",
        f"  Partner   {e.partner_name} ({e.partner_type}), {e.country_name} [{e.country}]"
        + (f"; parent {e.partner_parent}" if e.partner_parent else ""),
        f"  Agreement {e.agreement_type}; sectors {', '.join(e.sectors)}",
        f"  Value     {_money(e.value_gbp)}; term {e.term_years or '—'} years",
        "",
        "Risk profile" + (" (institutional amplifier applied)" if result.amplifier_applied else ""),
    ]
    for entry in result.risk_profile:
        mark = " ↑ amplified" if entry.amplified else ""
        lines.append(
            f"  {entry.label:<14} {LEVEL_BARS[entry.level]} {entry.level:<6} "
            f"{entry.finding_count} finding(s){mark}"
        )
    lines.append("")
    lines.append(f"Findings ({len(result.findings)})")
    if not result.findings:
        lines.append("  None.")
    for finding in result.findings:
        waived = f" [WAIVED: {finding.waiver.reason}]" if finding.waiver else ""
        lines.append(
            f"  [{finding.tier}] {finding.rule_id} ({finding.risk_type}; impact {finding.impact}, "
            f"likelihood {finding.likelihood}){waived}"
        )
        lines.append(_wrap(finding.title))
        for item in finding.evidence:
            source = ", ".join(f"{k}={v}" for k, v in item.inputs.items())
            lines.append(
                f"      because {item.fact} = {item.value}"
                + (f"  (from {source})" if source else "")
            )
        lines.append(_wrap("Why: " + finding.rationale, "      "))
        lines.append(_wrap("Do: " + finding.advice, "      "))
        refs = "; ".join(r.citation() for r in finding.references)
        lines.append(_wrap("Source: " + refs, "      "))
    lines.append("")
    lines.append("Escalation")
    if not result.escalation:
        lines.append("  No referral needed.")
    for body in result.escalation:
        lines.append(f"  {body.name} — {body.by_when.replace('_', ' ')}")
        lines.append(_wrap("Ask: " + body.ask, "      "))
        lines.append(_wrap("Because: " + "; ".join(body.why), "      "))
        if body.interim:
            lines.append(_wrap("Until it exists: " + body.interim, "      "))
    lines.append("")
    lines.append("Good-practice checklist")
    for check in result.checklist:
        lines.append(f"  {STATUS_MARK[check.status]} {check.text}")
    p = result.provenance
    lines.append("")
    lines.append(
        f"rules {p.rule_pack.name} {p.rule_pack.version} ({p.rule_pack.hash[:12]}); taxonomies "
        f"{p.taxonomies.version} ({p.taxonomies.hash[:12]}); backend {p.backend}; "
        f"riskscreen {p.tool_version}; as of {p.as_of.isoformat()}"
    )
    return "\n".join(lines) + "\n"
