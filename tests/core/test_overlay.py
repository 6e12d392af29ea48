"""Laying an engagement mapping over another: merge, replace, delete, and never share containers."""

from __future__ import annotations

from datetime import date

from riskscreen.inputs.overlay import overlay


def test_mappings_merge_values_replace_and_none_deletes() -> None:
    base = {"partner": {"name": "A", "country": "FR"}, "sectors": ["culture"], "published": True}
    changes = {"partner": {"country": "CN"}, "sectors": ["energy", "research"], "published": None}
    assert overlay(base, changes) == {"partner": {"name": "A", "country": "CN"}, "sectors": ["energy", "research"]}


def test_the_result_shares_no_mapping_or_list_with_either_input() -> None:
    base = {"lead": {"due_diligence": ["sanctions"]}, "review_date": date(2027, 6, 30)}
    changes = {"involves": [{"kind": "x"}], "partner": {"aliases": ["B"]}}
    merged = overlay(base, changes)
    merged["lead"]["due_diligence"].append("legal")
    merged["involves"][0]["kind"] = "y"
    merged["partner"]["aliases"].append("C")
    assert base == {"lead": {"due_diligence": ["sanctions"]}, "review_date": date(2027, 6, 30)}
    assert changes == {"involves": [{"kind": "x"}], "partner": {"aliases": ["B"]}}
