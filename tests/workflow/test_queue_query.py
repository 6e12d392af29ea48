"""Queue filters read from the URL and written back canonically (saved filters in the URL)."""

from __future__ import annotations

from urllib.parse import parse_qs

from hypothesis import given
from hypothesis import strategies as st

from riskscreen.workflow.queue import DEFAULT_STATES, QueueQuery, parse_query

COUNTRIES = ["CN", "DE", "FR", "RU", "TW"]
ORGS = [1, 2, 7]


def parse(query: str) -> QueueQuery:
    return parse_query(parse_qs(query.lstrip("?")), countries=COUNTRIES, organisations=ORGS)


def test_defaults_are_the_open_queue_by_clock() -> None:
    query = parse("")
    assert query == QueueQuery()
    assert query.states == DEFAULT_STATES == ("in_review", "information_requested", "submitted")
    assert (query.sort, query.descending, query.page, query.per_page) == ("clock", False, 1, 25)
    assert query.url() == "?"


def test_filters_read_and_written_canonically() -> None:
    query = parse("risk_type=security&tier=stop&tier=advice&country=tw&organisation=7&assignee=me"
                  "&clock=overdue&sort=-tier&page=3&per_page=50&q=Huawei&state=decided&flagged=1")
    assert query.tiers == ("advice", "stop")  # in tier order, whatever the URL order
    assert query.countries == ("TW",) and query.organisations == (7,) and query.risk_types == ("security",)
    assert (query.assignee, query.clock, query.flagged, query.text) == ("me", ("overdue",), True, "Huawei")
    assert (query.sort, query.descending, query.page, query.per_page, query.states) == (
        "tier", True, 3, 50, ("decided",))
    assert not query.problems
    assert query.url() == ("?tier=advice&tier=stop&state=decided&organisation=7&country=TW&risk_type=security"
                           "&assignee=me&clock=overdue&flagged=1&q=Huawei&sort=-tier&per_page=50&page=3")


def test_changing_a_filter_goes_back_to_the_first_page() -> None:
    query = parse("tier=stop&page=4")
    assert query.url(tiers=("alignment",)) == "?tier=alignment"
    assert query.url(page=5) == "?tier=stop&page=5"


def test_any_state() -> None:
    assert parse("state=any").states == ()
    assert parse("state=any").url() == "?state=any"


def test_bad_values_are_left_out_and_reported() -> None:
    query = parse("tier=stopp&country=XX&organisation=9&sort=age&page=0&per_page=30&assignee=bob&risk_type=cyber")
    assert query == QueueQuery()
    fields = [(p.location.field, p.value) for p in query.problems]
    assert fields == [("assignee", "bob"), ("sort", "age"), ("tier", "stopp"), ("organisation", "9"),
                      ("country", "XX"), ("risk_type", "cyber"), ("page", "0"), ("per_page", "30")]
    assert "stop" in (query.problems[2].suggestion or "")


@given(st.builds(
    QueueQuery,
    tiers=st.lists(st.sampled_from(["autonomy", "advice", "alignment", "stop"]), unique=True).map(
        lambda v: tuple(sorted(v, key=["autonomy", "advice", "alignment", "stop"].index))),
    organisations=st.lists(st.sampled_from(ORGS), unique=True).map(lambda v: tuple(sorted(v, key=ORGS.index))),
    countries=st.lists(st.sampled_from(COUNTRIES), unique=True).map(lambda v: tuple(sorted(v))),
    assignee=st.sampled_from(["", "me", "nobody", "12"]),
    text=st.text(alphabet="abc &=?é", max_size=8).map(str.strip),
    sort=st.sampled_from(["clock", "tier", "submitted", "reference"]),
    descending=st.booleans(),
    page=st.integers(1, 9),
    per_page=st.sampled_from([25, 50, 100]),
    flagged=st.booleans(),
))
def test_url_round_trip(query: QueueQuery) -> None:
    assert parse(query.url()) == query
