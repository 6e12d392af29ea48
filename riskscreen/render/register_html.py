"""The register HTML report, written as the register streams: fast to open however long it is.

The page holds the summary, charts, the rule catalogue (each rule's texts once) and the
engagements. Up to ``LARGE_ROWS`` engagements it is plain HTML, as printed for a committee: a
table of every engagement split into pages of ``PAGE_ROWS`` rows (CSS shows one page at a time;
every page prints) and a short detail section per engagement chosen by ``--detail`` (failing
ones by default). A larger register would take a browser minutes to parse as markup, so its rows
go into compact embedded JSON (``register_data``) that a small inline script draws a page at a
time, each row opening to its detail; without JavaScript the page still reads and prints, with
the details of the first ``LISTED`` failing engagements. Rows, details and data are built here
with escaping as they arrive and spooled to disk; the template lays out the page around them.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, TextIO

from markupsafe import Markup, escape

from riskscreen.models.base import RISK_TYPES, TIER_ORDER
from riskscreen.render.charts import level_meter, tier_bars
from riskscreen.render.register_data import RegisterData
from riskscreen.render.stream import RegisterContext, RegisterWriter, Spool
from riskscreen.render.templating import long_date, render
from riskscreen.render.view import (
    STATUS_TEXT,
    CountRow,
    Labels,
    anchor_for,
    heat_class,
    peak_of,
    references_text,
    tier_rank,
    value_text,
)
from riskscreen.rulepack.facts_catalogue import ENGAGEMENT_FACTS

if TYPE_CHECKING:
    from riskscreen.models.compact import CompactFinding
    from riskscreen.models.result import Finding
    from riskscreen.registers.pipeline import RegisterEntry, RegisterOutcome

PAGE_ROWS = 250
# Over this many engagements the table is drawn by script from embedded data: as plain markup with
# failing details a register opens in headless Chromium in 1.2 s at 2,000 rows, 2.6 s at 5,000
# and 102 s at 100,000.
LARGE_ROWS = 2_000
LISTED = 100  # failing engagements detailed in plain HTML in a large register's report
SCRIPT_PAGE_ROWS = 100  # rows the script draws at a time in a large register's table
TOP_N = 10
# Markers the template prints where the spooled parts go.
ROWS_MARK = "<!--riskscreen:rows-->"
DETAILS_MARK = "<!--riskscreen:details-->"
DATA_MARK = "<!--riskscreen:data-->"
_MARKS = re.compile(f"({ROWS_MARK}|{DETAILS_MARK}|{DATA_MARK})")


@dataclass(frozen=True)
class ReviewView:
    engagement_id: str
    anchor: str | None
    tier: str
    review_date: date
    days: int

    @property
    def overdue(self) -> bool:
        return self.days < 0


def _tag(tier: str, label: str) -> str:
    return f'<strong class="tag tag-{tier}">{escape(label)}</strong>'


class HtmlWriter(RegisterWriter):
    def __init__(self, context: RegisterContext) -> None:
        super().__init__(context)
        engine = context.options.engine
        self.labels = Labels(engine.taxonomies if engine is not None else None)
        self._country = engine.taxonomies.country_resolver.name if engine is not None else (lambda code: code)
        self.rules: dict[str, Finding] = {r.rule_id: r for r in engine.rule_catalogue()} if engine is not None else {}
        self._tier_labels = {t: self.labels("tiers", t) for t in TIER_ORDER}
        self._countries: dict[str, str] = {}
        self._evidence: dict[int, tuple[CompactFinding, str]] = {}
        self.details = Spool()
        self.rows = 0
        # Entries wait here until the register proves large (then they go to ``data``) or ends.
        self._pending: list[RegisterEntry] = []
        self.data: RegisterData | None = None
        self._listed = 0  # failing engagements listed in plain HTML in a large register
        self._anchored: set[int] = set()  # ...of which these have a detail section

    def shows_detail(self, entry: RegisterEntry) -> bool:
        return self.context.detail == "all" or (self.context.detail == "failing" and entry.failing)

    def country(self, code: str) -> str:
        name = self._countries.get(code)
        if name is None:
            name = self._countries[code] = f"{self._country(code)} ({code})"
        return name

    def add(self, entry: RegisterEntry) -> None:
        if self.data is not None:
            self._add_large(entry)
            return
        self._pending.append(entry)
        if len(self._pending) > LARGE_ROWS:
            self.data = RegisterData(self.rules, self.labels, self._tier_labels, self.country, self._value,
                                     self.shows_detail, self.context.detail)
            pending, self._pending = self._pending, []
            for waiting in pending:
                self._add_large(waiting)

    def _add_plain(self, entry: RegisterEntry) -> None:
        if self.rows % PAGE_ROWS == 0:
            page = self.rows // PAGE_ROWS + 1
            if self.rows:
                self.body.write("</tbody>\n")
            self.body.write(f'<tbody class="page" id="rows-{page}">\n')
        self.rows += 1
        anchor = anchor_for(entry.index, entry.result.engagement_id) if self.shows_detail(entry) else None
        self.body.write(self._row(entry, anchor))
        if anchor is not None:
            self.details.write(self._detail(entry, anchor))

    def _add_large(self, entry: RegisterEntry) -> None:
        assert self.data is not None
        self.data.add(entry)
        self.rows += 1
        if entry.failing and self._listed < LISTED:
            self._listed += 1
            if self.context.detail == "summary":
                self.details.write(self._row(entry, None))
            else:
                self._anchored.add(entry.index)
                self.details.write(self._detail(entry, anchor_for(entry.index, entry.result.engagement_id)))

    def _row(self, entry: RegisterEntry, anchor: str | None) -> str:
        result = entry.result
        name = escape(result.engagement_id)
        link = Markup(f'<a href="#{anchor}">{name}</a>') if anchor else name
        live = [f for f in result.findings if f.waiver is None] or list(result.findings)
        top = self.rules[live[0].rule_id].title if live and live[0].rule_id in self.rules else (
            live[0].rule_id if live else "No findings")
        status = ('<strong class="failing">Failing</strong>' if entry.failing
                  else "Waived" if entry.waived else "Passing")
        return (
            f'<tr data-tier="{result.tier}"><td class="num">{entry.index}</td>'
            f'<th scope="row">{link}</th>'
            f'<td data-value="{tier_rank(result.tier)}">{_tag(result.tier, self._tier_labels[result.tier])}</td>'
            f"<td>{status}</td><td>{escape(result.partner_name)}</td><td>{escape(self.country(result.country))}</td>"
            f'<td>{escape(self.labels("agreement_types", result.agreement_type))}</td><td>{escape(top)}</td></tr>\n'
        )

    def _detail(self, entry: RegisterEntry, anchor: str) -> str:
        result = entry.result
        loc = entry.location
        heading = f"{result.engagement_id}: {result.title}" if result.title else result.engagement_id
        place = f"row {loc.row}" if loc.row is not None else f"line {loc.line}"
        after = (f" After waivers: {escape(self._tier_labels[entry.effective_tier])}."
                 if entry.effective_tier != result.tier else "")
        baseline = f" Compared with the baseline: {entry.baseline}." if entry.baseline else ""
        parts = [
            f'<section class="engagement" id="{anchor}" aria-labelledby="{anchor}-h">\n'
            f'<h3 id="{anchor}-h">{escape(heading)}</h3>\n'
            f'<p class="source">{_tag(result.tier, self._tier_labels[result.tier])} Register entry {entry.index}, '
            f"{escape(loc.file)} {place}. Partner {escape(result.partner_name)}, "
            f"{escape(self.country(result.country))}.{after}{baseline}</p>\n"
        ]
        if not result.findings:
            parts.append("<p>No findings.</p>\n")
        else:
            parts.append('<ul class="register-findings">\n')
            parts.extend(self._finding(f) for f in result.findings)
            parts.append("</ul>\n")
        parts.append("</section>\n")
        return "".join(parts)

    def _finding(self, finding: CompactFinding) -> str:
        cached = self._evidence.get(id(finding))
        if cached is None or cached[0] is not finding:
            rule = self.rules.get(finding.rule_id)
            title = rule.title if rule is not None else finding.rule_id
            # fact ids, not their descriptions: the rule's section says what each means, and a
            # register's HTML has one of these per finding of every failing engagement
            because = ", ".join(f'<code>{escape(fact)}</code> {escape(self._value(fact, value))}'
                                for fact, value in finding.evidence)
            waiver = ""
            if finding.waiver is not None:
                w = finding.waiver
                waiver = (f' <span class="waiver"><strong>Waived</strong> until {escape(long_date(w.expires))}, '
                          f"approved by {escape(w.approved_by)}: {escape(w.reason)}</span>")
            text = (f'<li class="tier-{finding.tier}"><a href="#rule-{escape(finding.rule_id)}">{escape(title)}</a> '
                    f"({escape(self._tier_labels[finding.tier])}){': ' + because if because else ''}{waiver}</li>\n")
            if len(self._evidence) > 20_000:
                self._evidence.clear()
            cached = self._evidence[id(finding)] = (finding, text)
        return cached[1]

    def _value(self, fact: str, value: Any) -> str:
        spec = ENGAGEMENT_FACTS.get(fact)
        return self.labels.value(spec.vocabulary if spec is not None else None, value)

    def finish(self, outcome: RegisterOutcome, out: TextIO) -> None:
        if self.data is None:
            pending, self._pending = self._pending, []
            for entry in pending:
                self._add_plain(entry)
            if self.rows:
                self.body.write("</tbody>\n")
        page = render("html", "register.html.j2", self.context.options.templates_dir,
                      **self._context(outcome))
        for part in _MARKS.split(page):
            if part == ROWS_MARK:
                self.body.copy_to(out)
            elif part == DETAILS_MARK:
                self.details.copy_to(out)
            elif part == DATA_MARK:
                if self.data is not None:
                    self.data.write(out)
            else:
                out.write(part)

    def _context(self, outcome: RegisterOutcome) -> dict[str, Any]:
        tally = outcome.tally
        tiers = [(t, self._tier_labels[t]) for t in TIER_ORDER]
        heatmap = [CountRow(key=rt, label=self.labels("risk_types", rt),
                            counts={t: tally.heatmap[rt][t] for t in TIER_ORDER},
                            total=sum(tally.heatmap[rt].values())) for rt in RISK_TYPES]
        reviews = [ReviewView(engagement_id=eid, anchor=anchor_for(index, eid) if self._anchors(index, failing) else None,
                              tier=tier, review_date=due, days=(due - outcome.as_of).days)
                   for due, index, eid, _title, tier, failing in tally.reviews]
        fired = [rule for rule_id, rule in self.rules.items() if tally.rules[rule_id]]
        return {
            "o": outcome,
            "s": outcome.summary,
            "labels": self.labels,
            "tiers": tiers,
            "tier_counts": [(t, label, outcome.summary.by_tier.get(t, 0)) for t, label in tiers],
            "heatmap": heatmap,
            "countries": _counts(tally.countries, self.country),
            "agreement_types": _counts(tally.agreement_types, lambda k: self.labels("agreement_types", k)),
            "reviews": reviews,
            "no_review_date": tally.no_review_date,
            "reviews_due": tally.reviews_due,
            "rules": fired,
            "rule_counts": tally.rules,
            "pages": [(n + 1, n * PAGE_ROWS + 1, min((n + 1) * PAGE_ROWS, self.rows))
                      for n in range((self.rows + PAGE_ROWS - 1) // PAGE_ROWS)],
            "detail": self.context.detail,
            "rows_mark": Markup(ROWS_MARK),
            "details_mark": Markup(DETAILS_MARK),
            "with_details": self.details.written,
            "large": self.data is not None,
            "listed": self._listed,
            "data_mark": Markup(DATA_MARK),
            "rows_per_page": SCRIPT_PAGE_ROWS,
            "tier_bars": tier_bars,
            "level_meter": level_meter,
            "status_text": STATUS_TEXT,
            "refs": references_text,
            "peak_of": peak_of,
            "heat_class": heat_class,
            "tier_rank": tier_rank,
            "value_text": value_text,
        }

    def _anchors(self, index: int, failing: bool) -> bool:
        """Whether the report has a detail section for this engagement to link to."""
        if self.data is not None:
            return index in self._anchored
        return self.context.detail == "all" or (self.context.detail == "failing" and failing)

    def close(self) -> None:
        super().close()
        self.details.close()
        if self.data is not None:
            self.data.close()


def _counts(tallies: dict[str, Counter[str]], label: Any) -> list[CountRow]:
    rows = [CountRow(key=k, label=label(k), counts={t: c[t] for t in TIER_ORDER}, total=sum(c.values()))
            for k, c in tallies.items()]
    # The riskiest first: most stops, then alignments, then advice, then the most engagements.
    rows.sort(key=lambda r: (*(-r.counts[t] for t in reversed(TIER_ORDER)), -r.total, r.label))
    return rows[:TOP_N]
