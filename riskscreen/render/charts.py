"""Inline SVG charts for the HTML reports: readable without JavaScript, printable in greyscale.

Every bar carries its label and count as text, and each tier has its own fill pattern as well as
its colour, so the chart still reads on a black-and-white printout or to a colour-blind reader.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

# Fill colours for the tiers (GOV.UK tag palette); text on them is black or white for AA contrast.
TIER_FILL = {"autonomy": "#00703c", "advice": "#ffdd00", "alignment": "#f47738", "stop": "#d4351c"}
_PATTERNS = {
    # Solid for autonomy; dots, diagonal hatching and cross-hatching as the tiers rise.
    "autonomy": "",
    "advice": '<circle cx="3" cy="3" r="1.2" fill="#0b0c0c"/>',
    "alignment": '<path d="M0 6L6 0" stroke="#0b0c0c" stroke-width="1.2"/>',
    "stop": '<path d="M0 6L6 0M0 0L6 6" stroke="#0b0c0c" stroke-width="1.2"/>',
}
LEVEL_SEGMENTS = {"none": 0, "low": 1, "medium": 2, "high": 3}


def _defs(prefix: str) -> str:
    parts = []
    for tier, fill in TIER_FILL.items():
        parts.append(
            f'<pattern id="{prefix}-{tier}" width="6" height="6" patternUnits="userSpaceOnUse">'
            f'<rect width="6" height="6" fill="{fill}"/>{_PATTERNS[tier]}</pattern>'
        )
    return "<defs>" + "".join(parts) + "</defs>"


def tier_bars(rows: Sequence[tuple[str, str, int]], title: str, chart_id: str = "tiers") -> Markup:
    """A horizontal bar chart: one bar per (tier id, tier label, count), labelled with both."""
    label_width, bar_width, row_height = 190, 360, 34
    total = sum(count for _, _, count in rows)
    peak = max((count for _, _, count in rows), default=0) or 1
    height = row_height * len(rows) + 8
    width = label_width + bar_width + 110
    desc = "; ".join(f"{label}: {count}" for _, label, count in rows)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
        _defs(chart_id),
    ]
    for i, (tier, label, count) in enumerate(rows):
        y = 4 + i * row_height
        length = 0 if count == 0 else max(2, round(bar_width * count / peak))
        share = f" ({round(100 * count / total)}%)" if total else ""
        out.append(
            f'<text x="{label_width - 8}" y="{y + 21}" text-anchor="end" class="chart-label">{escape(label)}</text>'
            f'<rect x="{label_width}" y="{y + 4}" width="{length}" height="24" fill="url(#{chart_id}-{escape(tier)})" '
            f'stroke="#0b0c0c" stroke-width="{1 if count else 0}"/>'
            f'<text x="{label_width + length + 8}" y="{y + 21}" class="chart-value">{count}{share}</text>'
        )
    out.append("</svg>")
    return Markup("".join(out))


def level_meter(level: str) -> Markup:
    """Three boxes, filled up to the level; decorative, since the level is written beside it."""
    filled = LEVEL_SEGMENTS.get(level, 0)
    boxes = "".join(
        f'<rect x="{1 + i * 18}" y="1" width="16" height="10" '
        f'class="{"seg-on" if i < filled else "seg-off"}"/>'
        for i in range(3)
    )
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="meter meter-{escape(level)}" viewBox="0 0 56 12" '
        f'width="56" height="12" aria-hidden="true" focusable="false">{boxes}</svg>'
    )


def text_bar(count: int, peak: int, width: int = 20) -> str:
    """The Markdown version of a bar: block characters scaled to the largest count."""
    if count == 0 or peak == 0:
        return ""
    return "█" * max(1, round(width * count / peak))


__all__ = ["TIER_FILL", "level_meter", "text_bar", "tier_bars"]
