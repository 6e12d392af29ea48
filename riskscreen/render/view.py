"""View models for the Markdown and HTML reports: what to show, in what order, with which labels.

Both formats read the same view so a committee paper and a browser show the same facts in the
same order; the templates only decide how it looks.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from riskscreen.models.base import RISK_TYPES, TIER_ORDER
from riskscreen.models.register import RegisterReport, RegisterResult
from riskscreen.models.result import (
    Decision,
    EscalationEntry,
    Finding,
    RiskProfileEntry,
    ScreeningResult,
    WhatIfStep,
)
from riskscreen.models.taxonomy import Reference
from riskscreen.render.evidence import EvidenceView, EvidenceWriter, lower_first
from riskscreen.render.next_steps import NextSteps, next_steps
from riskscreen.render.templating import Kind, money, render, years

if TYPE_CHECKING:
    from riskscreen.inputs.taxonomy import Taxonomies
    from riskscreen.render.options import RenderOptions

LEVELS: tuple[str, ...] = ("none", "low", "medium", "high")
REVIEW_HORIZON_DAYS = 90
STATUS_TEXT = {"done": "Done", "outstanding": "Outstanding", "not_applicable": "Not applicable"}
TOP_N = 10
DEFAULT_TIER_LABELS = {
    "autonomy": "Within local autonomy",
    "advice": "Seek advice",
    "alignment": "National alignment",
    "stop": "Stop",
}
# Vocabularies whose entries carry a ``label`` (taxonomies/*.yaml), by the attribute holding them.
LABELLED = (
    "agreement_types",
    "sectors",
    "partner_types",
    "lead_types",
    "involves",
    "due_diligence",
    "approval_levels",
    "risk_types",
    "tiers",
    "escalation_bodies",
    "tags",
)


class Labels:
    """Vocabulary id → label from the loaded taxonomies; the id in words when none is loaded."""

    def __init__(self, taxonomies: Taxonomies | None) -> None:
        self.taxonomies = taxonomies
        self._labels: dict[str, dict[str, str]] = {}
        if taxonomies is not None:
            for vocabulary in LABELLED:
                entries = getattr(taxonomies, vocabulary)
                self._labels[vocabulary] = {key: entry.label for key, entry in entries.items()}
        self._labels.setdefault("tiers", dict(DEFAULT_TIER_LABELS))

    def __call__(self, vocabulary: str, value: str | None) -> str:
        if value is None:
            return "not recorded"
        found = self._labels.get(vocabulary, {}).get(value)
        return found if found is not None else value.replace("_", " ").capitalize()

    def many(self, vocabulary: str, values: list[str]) -> str:
        return ", ".join(self(vocabulary, v) for v in values) if values else "none"

    def value(self, vocabulary: str | None, value: Any) -> str:
        """A fact's value in words: vocabulary labels where known (``*_tags`` facts use the tag list)."""
        if vocabulary is not None and vocabulary.endswith("tags"):
            vocabulary = "tags"
        known = self._labels.get(vocabulary or "", {})
        if isinstance(value, list):
            return ", ".join(self.value(vocabulary, v) for v in value) if value else "none"
        if isinstance(value, str):
            return known.get(value, value.replace("_", " "))
        return value_text(value)


def reference_text(ref: Reference) -> str:
    """``Title (Author, Year), section — URL`` when the bibliography resolved it; else ``source, section``."""
    title = getattr(ref, "title", None)
    if not title:
        return f"{ref.source}, {ref.section}" if ref.section else ref.source
    who = ", ".join(str(part) for part in (getattr(ref, "author", None), getattr(ref, "year", None)) if part)
    text = f"{title} ({who})" if who else str(title)
    if ref.section:
        text += f", {ref.section}"
    url = getattr(ref, "url", None)
    return f"{text} — {url}" if url else text


def references_text(references: list[Reference]) -> str:
    """Every source of a finding or decision, ``; ``-separated, in the order the rule lists them."""
    return "; ".join(reference_text(ref) for ref in references)


@dataclass(frozen=True)
class FindingGroup:
    risk_type: str
    label: str
    level: str
    amplified: bool
    findings: list[Finding]


@dataclass(frozen=True)
class StepView:
    step: WhatIfStep
    removes: list[tuple[str, str]]  # (rule id, finding title)
    tier_after_label: str
    changes: list[tuple[str, str]]  # (dotted input field, new value)


@dataclass
class ScreeningView:
    result: ScreeningResult
    summary: list[tuple[str, str]]
    profile: list[RiskProfileEntry]
    groups: list[FindingGroup]
    why_decisions: list[Decision]
    why_findings: list[Finding]
    lowering_steps: list[StepView]
    other_steps: list[StepView]
    combined_step: StepView | None
    escalation: list[EscalationEntry]
    titles: dict[str, str]
    checklist_counts: dict[str, int]
    next: NextSteps
    subject: str  # one line: who, with whom, where, what kind of agreement
    evidence: dict[str, list[EvidenceView]] = field(default_factory=dict)

    @property
    def tier_rank(self) -> int:
        return TIER_ORDER.index(self.result.tier)


def value_text(value: Any) -> str:
    if value is None:
        return "not recorded"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (list, tuple)):
        return ", ".join(value_text(v) for v in value) if value else "none"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def flatten(change: dict[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    """``{"lead": {"approval": "committee"}}`` → ``[("lead.approval", "committee")]``."""
    pairs: list[tuple[str, Any]] = []
    for key, value in change.items():
        if isinstance(value, dict):
            pairs.extend(flatten(value, f"{prefix}{key}."))
        else:
            pairs.append((f"{prefix}{key}", value))
    return pairs


def group_findings(result: ScreeningResult) -> list[FindingGroup]:
    """Findings by risk type, the type with the highest level first (ties in taxonomy order)."""
    by_type: dict[str, list[Finding]] = defaultdict(list)
    for finding in result.findings:
        by_type[finding.risk_type].append(finding)
    profile = {entry.risk_type: entry for entry in result.risk_profile}
    groups = [
        FindingGroup(
            risk_type=rt,
            label=profile[rt].label if rt in profile else rt.capitalize(),
            level=profile[rt].level if rt in profile else "none",
            amplified=profile[rt].amplified if rt in profile else False,
            findings=by_type[rt],
        )
        for rt in by_type
    ]
    order = {rt: i for i, rt in enumerate(RISK_TYPES)}
    groups.sort(
        key=lambda g: (
            -LEVELS.index(g.level),
            -max(f.severity for f in g.findings),
            order.get(g.risk_type, len(order)),
        )
    )
    return groups


def screening_view(result: ScreeningResult, labels: Labels) -> ScreeningView:
    e = result.engagement
    titles = {f.rule_id: f.title for f in result.findings}
    summary = [
        ("Lead", f"{e.lead_name} ({labels('lead_types', e.lead_type)})"),
        (
            "Partner",
            f"{e.partner_name} ({labels('partner_types', e.partner_type)})"
            + (f", owned by {e.partner_parent}" if e.partner_parent else ""),
        ),
        ("Country", f"{e.country_name} ({e.country})"),
        (
            "Agreement type",
            labels("agreement_types", e.agreement_type)
            + ("" if e.binding is None else (", binding" if e.binding else ", not binding")),
        ),
        ("Sectors", labels.many("sectors", e.sectors)),
        ("Involves", labels.many("involves", e.involves)),
        ("Value", money(e.value_gbp)),
        ("Term", years(e.term_years)),
        ("Review date", e.review_date.isoformat() if e.review_date else "not recorded"),
    ]

    def step_view(step: WhatIfStep) -> StepView:
        return StepView(
            step=step,
            removes=[(r, titles.get(r, r)) for r in step.removes],
            tier_after_label=labels("tiers", step.tier_after),
            changes=[(path, value_text(value)) for path, value in flatten(step.change)],
        )

    writer = EvidenceWriter(result, labels)
    singles = [s for s in result.what_would_change if s.id != "all_of_the_above"]
    combined = next((s for s in result.what_would_change if s.id == "all_of_the_above"), None)
    return ScreeningView(
        result=result,
        summary=summary,
        profile=list(result.risk_profile),
        groups=group_findings(result),
        why_decisions=[d for d in result.tier_decisions if d.sets_tier == result.tier],
        why_findings=[f for f in result.findings if f.tier == result.tier],
        lowering_steps=[step_view(s) for s in singles if s.lowers_tier],
        other_steps=[step_view(s) for s in singles if not s.lowers_tier],
        combined_step=step_view(combined) if combined is not None else None,
        escalation=list(result.escalation),
        titles=titles,
        checklist_counts=dict(Counter(item.status for item in result.checklist)),
        next=next_steps(result, _proposed_bodies(labels.taxonomies)),
        subject=(
            f"{e.id}: {e.lead_name} with {e.partner_name} ({e.country_name}), "
            f"{lower_first(labels('agreement_types', e.agreement_type))}"
        ),
        evidence={f.rule_id: writer.for_finding(f) for f in result.findings},
    )


def _proposed_bodies(taxonomies: Taxonomies | None) -> dict[str, tuple[str, str]]:
    if taxonomies is None:
        return {}
    return {
        body.id: (body.name, body.interim)
        for body in taxonomies.escalation_bodies.values()
        if body.kind == "proposed" and body.interim
    }


# -- registers --------------------------------------------------------------------------------


@dataclass(frozen=True)
class RegisterRow:
    index: int
    anchor: str
    heading: str  # the Markdown heading text of its section
    md_anchor: str  # the anchor GitHub/GitLab give that heading
    entry: RegisterResult
    view: ScreeningView
    top_finding: str
    country: str
    agreement_type: str


@dataclass(frozen=True)
class CountRow:
    key: str
    label: str
    counts: dict[str, int]
    total: int


@dataclass(frozen=True)
class ReviewRow:
    row: RegisterRow
    review_date: date
    days: int  # negative when the date has passed

    @property
    def overdue(self) -> bool:
        return self.days < 0


@dataclass
class RegisterView:
    report: RegisterReport
    rows: list[RegisterRow]
    tiers: list[tuple[str, str]]  # (id, label), lowest first
    tier_counts: list[tuple[str, str, int]]  # (id, label, engagements), lowest first
    heatmap: list[CountRow]
    countries: list[CountRow]
    agreement_types: list[CountRow]
    reviews: list[ReviewRow]
    no_review_date: int


def peak_of(rows: list[CountRow]) -> int:
    return max((count for row in rows for count in row.counts.values()), default=0)


def heat_class(count: int, peak: int) -> int:
    """0 for none, then 1–4 by quarter of the largest count (the number is always printed too)."""
    if count <= 0 or peak <= 0:
        return 0
    return min(4, 1 + (4 * count - 1) // peak)


def tier_rank(tier: str) -> int:
    return TIER_ORDER.index(tier)


def anchor_for(index: int, engagement_id: str) -> str:
    """A stable, unique HTML id for an engagement's section (ids are free text, so slug + position)."""
    slug = re.sub(r"[^a-z0-9]+", "-", engagement_id.lower()).strip("-")[:48]
    return f"e{index}-{slug}" if slug else f"e{index}"


def github_slug(text: str) -> str:
    """The anchor GitHub and GitLab give a heading: lower case, punctuation dropped, spaces as hyphens."""
    kept = re.sub(r"[^\w\- ]", "", text.lower())
    return kept.replace(" ", "-")


def _tally(rows: list[RegisterRow], key: Any, label: Any) -> list[CountRow]:
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    names: dict[str, str] = {}
    for row in rows:
        k = key(row)
        counts[k][row.entry.result.tier] += 1
        names[k] = label(row)
    tallies = [
        CountRow(key=k, label=names[k], counts={t: c[t] for t in TIER_ORDER}, total=sum(c.values()))
        for k, c in counts.items()
    ]
    # The riskiest first: most stops, then alignments, then advice, then the most engagements.
    tallies.sort(key=lambda r: (*(-r.counts[t] for t in reversed(TIER_ORDER)), -r.total, r.label))
    return tallies


def register_view(report: RegisterReport, labels: Labels) -> RegisterView:
    rows: list[RegisterRow] = []
    seen: Counter[str] = Counter()
    for index, entry in enumerate(report.results, start=1):
        result = entry.result
        heading = (
            f"{result.engagement_id}: {result.engagement.title}"
            if result.engagement.title
            else result.engagement_id
        )
        slug = github_slug(heading)
        md_anchor = (
            f"{slug}-{seen[slug]}" if seen[slug] else slug
        )  # GitHub numbers repeated headings
        seen[slug] += 1
        live = [f for f in result.findings if f.waiver is None] or result.findings
        rows.append(
            RegisterRow(
                index=index,
                anchor=anchor_for(index, result.engagement_id),
                heading=heading,
                md_anchor=md_anchor,
                entry=entry,
                view=screening_view(result, labels),
                top_finding=live[0].title if live else "No findings",
                country=f"{result.engagement.country_name} ({result.engagement.country})",
                agreement_type=labels("agreement_types", result.engagement.agreement_type),
            )
        )
    heatmap: list[CountRow] = []
    for risk_type in RISK_TYPES:
        counts = Counter[str]()
        for row in rows:
            called = [f.tier for f in row.entry.result.findings if f.risk_type == risk_type]
            if called:
                counts[max(called, key=TIER_ORDER.index)] += 1
        heatmap.append(
            CountRow(
                key=risk_type,
                label=labels("risk_types", risk_type),
                counts={t: counts[t] for t in TIER_ORDER},
                total=sum(counts.values()),
            )
        )
    horizon = report.as_of + timedelta(days=REVIEW_HORIZON_DAYS)
    reviews = [
        ReviewRow(row=row, review_date=due, days=(due - report.as_of).days)
        for row in rows
        if (due := row.entry.result.engagement.review_date) is not None and due <= horizon
    ]
    reviews.sort(key=lambda r: (r.review_date, r.row.index))
    return RegisterView(
        report=report,
        rows=rows,
        tiers=[(t, labels("tiers", t)) for t in TIER_ORDER],
        tier_counts=[(t, labels("tiers", t), report.summary.by_tier.get(t, 0)) for t in TIER_ORDER],
        heatmap=heatmap,
        countries=_tally(rows, lambda r: r.entry.result.engagement.country, lambda r: r.country)[
            :TOP_N
        ],
        agreement_types=_tally(
            rows, lambda r: r.entry.result.engagement.agreement_type, lambda r: r.agreement_type
        )[:TOP_N],
        reviews=reviews,
        no_review_date=sum(1 for row in rows if row.entry.result.engagement.review_date is None),
    )


__all__ = [
    "LEVELS",
    "Labels",
    "RegisterView",
    "ScreeningView",
    "github_slug",
    "heat_class",
    "peak_of",
    "reference_text",
    "references_text",
    "register_view",
    "screening_view",
    "tier_rank",
    "value_text",
]


def render_report(
    kind: Kind,
    subject: ScreeningResult | RegisterReport,
    options: RenderOptions,
    extras: dict[str, Any],
) -> str:
    """Render a screening or register report in ``kind`` (md or html) with the format's extras."""
    labels = Labels(options.engine.taxonomies if options.engine is not None else None)
    context = {"labels": labels, **extras}
    if isinstance(subject, RegisterReport):
        return render(
            kind,
            f"register.{kind}.j2",
            options.templates_dir,
            r=register_view(subject, labels),
            **context,
        )
    return render(
        kind,
        f"screening.{kind}.j2",
        options.templates_dir,
        v=screening_view(subject, labels),
        **context,
    )
