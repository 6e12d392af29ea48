"""Plain-text screening report for terminals: the same view, sections and order as Markdown and HTML."""

from __future__ import annotations

import textwrap

from riskscreen.models.result import ScreeningResult
from riskscreen.render.options import RenderOptions
from riskscreen.render.view import Labels, ScreeningView, StepView, references_text, screening_view

WIDTH = 88
LEVEL_BARS = {"none": "·····", "low": "■····", "medium": "■■■··", "high": "■■■■■"}
STATUS_MARK = {"done": "[x]", "outstanding": "[ ]", "not_applicable": "[-]"}


def _wrap(text: str, indent: str = "    ", first: str | None = None) -> str:
    return textwrap.fill(
        text, WIDTH, initial_indent=indent if first is None else first, subsequent_indent=indent,
        break_on_hyphens=False,
    )


def _heading(title: str) -> list[str]:
    return ["", title.upper(), ""]


def _next_steps(v: ScreeningView) -> list[str]:
    n = v.next
    lines = [*_heading("What to do next"), _wrap(n.headline, "  ")]
    for index, deadline in enumerate(n.deadlines):
        if index:  # later deadlines by name only; the escalation section says what to ask each
            names = "; ".join(c.name for c in deadline.contacts)
            lines += ["", _wrap(f"Then, {deadline.label.lower()}: {names}.", "    ", "  ")]
            continue
        lines += ["", f"  {deadline.label}:"]
        for c in deadline.contacts:
            note = " (proposed: interim route below)" if c.proposed else ""
            lines.append(_wrap(f"{c.name} — why: {c.why}{note}", "      ", "    - "))
    if not n.deadlines:
        lines += ["", "  No referral is needed: record this screening with the decision."]
    for p in n.proposed:
        lines += ["", _wrap(
            f"The {p.short_name} is a proposal and does not exist yet (the Commission on Devolution "
            f"and Diplomacy recommends it). Interim route: {p.interim}", "  ")]
    lines.append("")
    if n.checklist_outstanding:
        count = n.checklist_outstanding
        lines.append(_wrap(
            f"Work through the good-practice checklist below: {count} "
            f"item{'s' if count != 1 else ''} outstanding.", "  "))
    else:
        lines.append("  Every applicable item of the good-practice checklist is done.")
    if n.sanctions:
        s = n.sanctions
        lines += [
            "",
            f"  !! WARNING: {s.headline.upper()},",
            _wrap(f"{s.detail} {s.how}:", "  !! "),
            f"  !!     {s.command}",
            _wrap(f"{s.then} {s.option}.", "  !! "),
        ]
    return lines


def _why(v: ScreeningView) -> list[str]:
    lines = _heading("Why this tier")
    for d in v.why_decisions:
        lines.append(_wrap(f"{d.title} ({d.rule_id}): {d.rationale}", "    ", "  - "))
    if v.why_findings and v.result.tier != "autonomy":
        titles = "; ".join(f.title for f in v.why_findings)
        word = "Finding" if len(v.why_findings) == 1 else "Findings"
        lines.append(_wrap(f"{word} calling for {v.result.tier_label}: {titles}.", "    ", "  - "))
    if not v.why_decisions and not v.why_findings:
        lines.append(f"  - No finding calls for more than {v.result.tier_label}.")
    return lines


def _step(s: StepView) -> list[str]:
    after = f"{s.tier_after_label} ({'lower' if s.step.lowers_tier else 'unchanged'})"
    change = "; ".join(f"{path} = {value}" for path, value in s.changes)
    cleared = "; ".join(title for _, title in s.removes)
    return [
        _wrap(f"{s.step.action} → tier after: {after}", "      ", "  - "),
        _wrap(f"Change: {change}", "      "),
        _wrap(f"Clears: {cleared}", "      "),
    ]


def _change(v: ScreeningView) -> list[str]:
    r = v.result
    lines = _heading("What would change it")
    if not r.what_would_change:
        lines.append(_wrap(
            "The engagement is already within local autonomy." if r.tier == "autonomy" else
            "None of the changes riskscreen can test clears a finding: the tier follows from the "
            "partner, its country or the sectors themselves.", "  "))
        return lines
    lines.append("  Each step was checked by screening the engagement again with the change applied.")
    steps = v.lowering_steps + v.other_steps + ([v.combined_step] if v.combined_step else [])
    for s in steps:
        lines += _step(s)
    return lines


def render_screening(result: ScreeningResult, options: RenderOptions) -> str:
    labels = Labels(options.engine.taxonomies if options.engine is not None else None)
    v = screening_view(result, labels)
    r = result
    lines = [
        f"{r.engagement_id}: {r.engagement.title or ''}".rstrip(": "),
        f"TIER: {r.tier.upper()} — {r.tier_label}",
        _wrap(r.tier_meaning, "  "),
        _wrap(v.subject, "  "),
    ]
    lines += _next_steps(v)
    lines += _why(v)
    lines += _heading("Risk profile" + (" (↑ institutional amplifier applied)" if r.amplifier_applied else ""))
    for entry in v.profile:
        mark = " ↑ amplified" if entry.amplified else ""
        count = f"{entry.finding_count} finding{'s' if entry.finding_count != 1 else ''}"
        lines.append(f"  {entry.label:<14} {LEVEL_BARS[entry.level]} {entry.level:<6} {count}{mark}")
    lines += _heading("Engagement")
    lines += [
        _wrap(value, " " * 18, f"  {label:<15} ")
        for label, value in [("Engagement", r.engagement.id), *v.summary]
    ]
    lines += _heading(f"Findings ({len(r.findings)})")
    if not r.findings:
        lines.append("  No rule fired: nothing in this engagement calls for more than local autonomy.")
    for group in v.groups:
        for f in group.findings:
            waived = f" [WAIVED until {f.waiver.expires.isoformat()}: {f.waiver.reason}]" if f.waiver else ""
            lines.append(_wrap(f"[{labels('tiers', f.tier)}] {f.title}{waived}", "    ", "  "))
            lines.append(f"    {group.label} risk; impact {f.impact}, likelihood {f.likelihood}; rule {f.rule_id}")
            for ev in v.evidence[f.rule_id]:
                lines.append(_wrap(f"{ev.label}: {ev.value}", "        ", "      because "))
            lines.append(_wrap("Why: " + f.rationale, "      "))
            lines.append(_wrap("Do: " + f.advice, "      "))
            lines.append(_wrap("Source: " + references_text(f.references), "      "))
            lines.append("")
    lines += _change(v)
    lines += _heading("Escalation")
    if not r.escalation:
        lines.append("  No referral is needed. Record the screening with the decision.")
    for body in r.escalation:
        lines.append(_wrap(f"{body.name} — {body.by_when.replace('_', ' ')}", "    ", "  "))
        lines.append(_wrap("Ask: " + body.ask, "      "))
        lines.append(_wrap("Because: " + "; ".join(body.why), "      "))
        lines.append(_wrap("Contact: " + body.contact, "      "))
        if body.interim:
            lines.append(_wrap("Interim route: " + body.interim, "      "))
    lines += _heading("Good-practice checklist")
    for check in r.checklist:
        lines.append(_wrap(check.text, "      ", f"  {STATUS_MARK[check.status]} "))
    p = r.provenance
    lines += [
        "",
        _wrap(
            f"rules {p.rule_pack.name} {p.rule_pack.version} ({p.rule_pack.hash[:12]}); taxonomies "
            f"{p.taxonomies.version} ({p.taxonomies.hash[:12]}); watchlists {p.watchlists.version} "
            f"({p.watchlists.hash[:12]}; sanctions list {'loaded' if p.sanctions_list_loaded else 'NOT loaded'}); "
            f"backend {p.backend}; riskscreen {p.tool_version}; as of {p.as_of.isoformat()}",
            "",
        ),
    ]
    return "\n".join(lines) + "\n"
