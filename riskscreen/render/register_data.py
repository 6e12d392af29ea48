"""The engagement data a large register's HTML report embeds for its script-drawn table.

Each engagement is one compact JSON array, spooled to disk as it arrives. Everything repeated
is stated once and referred to by index: rules (title, risk type, tier, advice, whom to ask),
labels (countries, agreement types, file names) and distinct findings (rule, tier, the values
that made it fire, any waiver). The tables are written inside ``<script type="application/json">``
elements with ``<``, ``>`` and ``&`` escaped, so no user text can end the element or open a comment.

Layout (``register-meta``, ``register-findings``, ``register-rows``; tiers as indexes into
``meta.tiers``):

- meta: ``{"tiers": [[id, label]…], "rules": [[id, title, risk type, tier, advice, refer to]…],
  "labels": [text…], "detail": "summary|failing|all"}``
- finding: ``[rule, tier, [[fact, value in words]…], waiver]``, waiver ``0`` or
  ``[expires, approved by, reason]``
- row: ``[id, title, partner, country label, agreement type label, tier, status, top rule,
  detail]`` in register order (status 0 passing, 1 failing, 2 waived; top rule -1 when there are
  no findings), detail ``0`` or ``[file label, "row N"|"line N", tier after waivers, baseline,
  [finding…]]``
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TextIO

from riskscreen.models.base import TIER_ORDER
from riskscreen.render.stream import Spool
from riskscreen.render.templating import long_date

if TYPE_CHECKING:
    from riskscreen.models.compact import CompactFinding
    from riskscreen.models.result import Finding
    from riskscreen.registers.pipeline import RegisterEntry
    from riskscreen.render.view import Labels

# Distinct findings remembered for sharing; past this the memory is emptied and a finding seen
# again is stated again (still correct, a little larger), so memory stays flat.
SHARED_FINDINGS = 20_000
_TIER = {tier: n for n, tier in enumerate(TIER_ORDER)}
_ESCAPES = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def script_json(value: Any) -> str:
    """JSON that is safe inside a ``<script>`` element: no ``</script>``, ``<!--`` or ``]]>``."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).translate(_ESCAPES)


class RegisterData:
    """Collects a register's rows as compact JSON; ``write`` puts the three data elements out."""

    def __init__(self, rules: dict[str, Finding], labels: Labels, tier_labels: dict[str, str],
                 country: Callable[[str], str], describe: Callable[[str, Any], str],
                 detailed: Callable[[RegisterEntry], bool], detail: str) -> None:
        self._catalogue = rules
        self._labels = labels
        self._tier_labels = tier_labels
        self._country = country
        self._describe = describe
        self._detailed = detailed
        self._detail = detail
        self._rules: dict[str, int] = {}
        self._rule_rows: list[list[Any]] = []
        self._texts: dict[str, int] = {}
        self._findings: dict[str, int] = {}
        self._finding_count = 0
        self._encoded: dict[int, tuple[CompactFinding, str]] = {}
        self.rows = Spool()
        self.findings = Spool()
        self.count = 0

    def add(self, entry: RegisterEntry) -> None:
        result = entry.result
        live = [f for f in result.findings if f.waiver is None] or list(result.findings)
        top = self._rule(live[0]) if live else -1
        status = 1 if entry.failing else 2 if entry.waived else 0
        detail: Any = 0
        if self._detailed(entry):
            loc = entry.location
            place = f"row {loc.row}" if loc.row is not None else f"line {loc.line}"
            detail = [self._text(loc.file), place, _TIER[entry.effective_tier], entry.baseline or "",
                      [self._finding(f) for f in result.findings]]
        row = [result.engagement_id, result.title or "", result.partner_name, self._text(self._country(result.country)),
               self._text(self._labels("agreement_types", result.agreement_type)), _TIER[result.tier], status, top,
               detail]
        self.rows.write(("," if self.count else "") + script_json(row) + "\n")
        self.count += 1

    def _text(self, text: str) -> int:
        index = self._texts.get(text)
        if index is None:
            index = self._texts[text] = len(self._texts)
        return index

    def _rule(self, finding: CompactFinding) -> int:
        index = self._rules.get(finding.rule_id)
        if index is None:
            index = self._rules[finding.rule_id] = len(self._rule_rows)
            rule = self._catalogue.get(finding.rule_id)
            if rule is None:  # a rule the catalogue lacks still reads as its id
                self._rule_rows.append([finding.rule_id, finding.rule_id,
                                        self._labels("risk_types", finding.risk_type), _TIER[finding.tier], "", ""])
            else:
                refer = self._labels.many("escalation_bodies", rule.escalate_to) if rule.escalate_to else ""
                self._rule_rows.append([rule.rule_id, rule.title, self._labels("risk_types", rule.risk_type),
                                        _TIER[rule.tier], rule.advice, refer])
        return index

    def _finding(self, finding: CompactFinding) -> int:
        # Memoised by object (findings are shared) but shared in the output by their text,
        # so the numbering depends only on the register, never on which objects were shared.
        cached = self._encoded.get(id(finding))
        if cached is None or cached[0] is not finding:
            waiver: Any = 0
            if finding.waiver is not None:
                w = finding.waiver
                waiver = [long_date(w.expires), w.approved_by, w.reason]
            evidence = [[fact, self._describe(fact, value)] for fact, value in finding.evidence]
            text = script_json([self._rule(finding), _TIER[finding.tier], evidence, waiver])
            if len(self._encoded) > SHARED_FINDINGS:
                self._encoded.clear()
            cached = self._encoded[id(finding)] = (finding, text)
        text = cached[1]
        index = self._findings.get(text)
        if index is None:
            if len(self._findings) > SHARED_FINDINGS:
                self._findings.clear()
            index = self._findings[text] = self._finding_count
            self.findings.write(("," if self._finding_count else "") + text + "\n")
            self._finding_count += 1
        return index

    def write(self, out: TextIO) -> None:
        meta = {"tiers": [[t, self._tier_labels[t]] for t in TIER_ORDER], "rules": self._rule_rows,
                "labels": list(self._texts), "detail": self._detail}
        out.write(f'<script type="application/json" id="register-meta">{script_json(meta)}</script>\n')
        out.write('<script type="application/json" id="register-findings">[')
        self.findings.copy_to(out)
        out.write(']</script>\n<script type="application/json" id="register-rows">[')
        self.rows.copy_to(out)
        out.write("]</script>\n")

    def close(self) -> None:
        self.rows.close()
        self.findings.close()


__all__ = ["SHARED_FINDINGS", "RegisterData", "script_json"]
