"""A compact terminal table for a register: one line per engagement, then the summary.

Rows are spooled as they come with the widest cell of each column noted, and laid out at the
end, so the table is aligned without keeping the register in memory.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

from riskscreen.render.stream import RegisterContext, RegisterWriter, Spool

if TYPE_CHECKING:
    from riskscreen.registers.pipeline import RegisterEntry, RegisterOutcome

HEADER = ("ENGAGEMENT", "TIER", "EFFECTIVE", "PARTNER", "COUNTRY", "FINDINGS", "WHERE", "STATUS")
PARTNER_WIDTH = 28


def _status(entry: RegisterEntry) -> str:
    if entry.failing:
        return "FAIL"
    if entry.waived:
        return "waived"
    if entry.baseline == "known" and entry.effective_tier != "autonomy":
        return "baseline"
    return "ok"


def _place(entry: RegisterEntry) -> str:
    loc = entry.location
    return f"line {loc.line}" if loc.row is None else f"row {loc.row}"


def _partner(name: str) -> str:
    return name if len(name) <= PARTNER_WIDTH else name[: PARTNER_WIDTH - 1] + "…"


def _cell(text: str) -> str:
    return " ".join(text.split())  # one line, no tabs: cells are spooled tab-separated


class TextWriter(RegisterWriter):
    def __init__(self, context: RegisterContext) -> None:
        super().__init__(context)
        self._widths = [len(title) for title in HEADER]
        self._failing = Spool()
        self._titles: dict[str, str] = {}
        engine = context.options.engine
        if engine is not None:
            self._titles = {r.rule_id: r.title for r in engine.rule_catalogue()}

    def add(self, entry: RegisterEntry) -> None:
        result = entry.result
        waived = sum(f.waiver is not None for f in result.findings)
        count = f"{len(result.findings)}" + (f" ({waived} waived)" if waived else "")
        cells = (_cell(result.engagement_id), result.tier, entry.effective_tier, _cell(_partner(result.partner_name)),
                 result.country, count, _place(entry), _status(entry))
        self._widths = [max(w, len(c)) for w, c in zip(self._widths, cells, strict=True)]
        self.body.write("\t".join(cells) + "\n")
        if entry.failing:
            loc = entry.location
            lines = [f"  {result.engagement_id} [{entry.effective_tier}] {self.context.register_path}:"
                     f"{loc.line or loc.row}"]
            lines += [f"    - {f.rule_id} [{f.tier}]: {self._titles.get(f.rule_id, f.rule_id)}"
                      for f in result.findings if f.waiver is None]
            self._failing.write("\n".join(lines) + "\n")

    def _row(self, cells: list[str] | tuple[str, ...]) -> str:
        return "  ".join(cell.ljust(width) for cell, width in zip(cells, self._widths, strict=True)).rstrip()

    def finish(self, outcome: RegisterOutcome, out: TextIO) -> None:
        out.write(f"{outcome.register_path} (as of {outcome.as_of.isoformat()}, fail on {outcome.fail_on})\n\n")
        out.writelines(f"NOTICE: {notice}\n\n" for notice in outcome.summary.notices)
        out.write(self._row(HEADER) + "\n")
        for line in self.body.lines():
            out.write(self._row(line.rstrip("\n").split("\t")) + "\n")
        if self._failing.written:
            out.write("\nFailing\n")
            self._failing.copy_to(out)
        if outcome.waiver_notes:
            out.write("\nWaivers\n")
            out.writelines(f"  {note.kind.replace('_', ' ')}: {note.message} ({note.source})\n"
                           for note in outcome.waiver_notes)
        out.write("\n")
        out.writelines(f"warning: {w}\n" for w in outcome.warnings)
        out.writelines(f"NOTICE: {notice}\n" for notice in outcome.summary.notices)
        s = outcome.summary
        tiers = ", ".join(f"{tier} {count}" for tier, count in s.by_effective_tier.items())
        out.write(f"{s.total} engagement(s): {tiers}. {s.failing} failing at or above '{s.fail_on}'; "
                  f"{s.waived} waived ({s.waived_findings} finding(s)); {s.expired_waivers} expired waiver(s); "
                  f"{s.waiver_warnings} waiver warning(s)" + (f"; {s.baselined} in baseline" if s.baselined else "")
                  + "\n")

    def close(self) -> None:
        super().close()
        self._failing.close()
