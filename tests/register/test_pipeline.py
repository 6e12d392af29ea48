"""The streaming pipeline: compact results agree with full screenings, fast readers with exact ones."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
import yaml

from riskscreen import Engine
from riskscreen.errors import InputError
from riskscreen.registers import read_register
from riskscreen.registers.pipeline import PipelineSettings, RegisterEntry, run_register
from tests.register.conftest import (
    CLEAN,
    MEDIA,
    TELECOMS,
    Invoke,
    engagement,
    write_csv,
    write_json,
    write_yaml,
)

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
AS_OF = date(2026, 11, 22)


@pytest.fixture(scope="module")
def bundled() -> Engine:
    return Engine.load()


class Collect:
    def __init__(self) -> None:
        self.entries: list[RegisterEntry] = []

    def add(self, entry: RegisterEntry) -> None:
        self.entries.append(entry)

    def restart(self) -> None:
        self.entries.clear()


@pytest.mark.parametrize("name", ["register.yaml", "register.csv"])
def test_compact_results_agree_with_full_screenings(bundled: Engine, name: str) -> None:
    sink = Collect()
    outcome = run_register(bundled, EXAMPLES / name, PipelineSettings(as_of=AS_OF), sink)
    assert outcome.summary.total == len(sink.entries) == 55
    for entry, row in zip(sink.entries, read_register(EXAMPLES / name), strict=True):
        full = bundled.screen(row.data or {}, as_of=AS_OF)
        compact = entry.result
        assert (compact.engagement_id, compact.tier) == (full.engagement_id, full.tier)
        assert [(f.rule_id, f.risk_type, f.tier) for f in compact.findings] == [
            (f.rule_id, f.risk_type, f.tier) for f in full.findings]
        assert [dict(f.evidence) for f in compact.findings] == [
            {e.fact: json.loads(json.dumps(e.value, default=str)) for e in f.evidence} for f in full.findings]
        assert entry.location == row.location


@pytest.mark.parametrize("jobs", [1, 2])
def test_equal_findings_are_one_shared_object(test_engine: Engine, tmp_path: Path, jobs: int) -> None:
    from riskscreen.registers.pool import EngineSpec
    from tests.register.conftest import RULES, TAXONOMIES

    items = [engagement(f"T{i}", sectors=["telecommunications"], involves=["media_profile"]) for i in range(20)]
    sink = Collect()
    settings = PipelineSettings(as_of=AS_OF, jobs=jobs, engine_spec=EngineSpec(RULES, TAXONOMIES))
    run_register(test_engine, write_yaml(tmp_path / "register.yaml", items), settings, sink)
    findings = [f for e in sink.entries for f in e.result.findings]
    assert len(findings) == 40
    assert len({id(f) for f in findings}) == 2  # one object per rule and values read


def _layouts(tmp_path: Path) -> list[Path]:
    items = [CLEAN, TELECOMS, MEDIA, engagement("W-1", waivers=[{"rule_id": "t_media", "reason": "ok",
                                                                 "approved_by": "DDU", "expires": "2030-01-01"}])]
    listed = tmp_path / "listed.yaml"
    listed.write_text(yaml.safe_dump(items, sort_keys=False), encoding="utf-8")
    indented = tmp_path / "indented.yaml"
    body = yaml.safe_dump(items, sort_keys=False, indent=2)
    indented.write_text("# register\nengagements:\n" + "".join(f"  {line}\n" for line in body.splitlines()),
                        encoding="utf-8")
    flow = tmp_path / "flow.yaml"
    flow.write_text(yaml.safe_dump({"engagements": items}, default_flow_style=True), encoding="utf-8")
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps({"engagements": items}, indent=1), encoding="utf-8")
    return [write_yaml(tmp_path / "register.yaml", items), listed, indented, flow,
            write_json(tmp_path / "register.json", items), mapping]


def test_fast_readers_give_the_exact_readers_rows_and_lines(tmp_path: Path) -> None:
    for path in _layouts(tmp_path):
        exact = list(read_register(path))
        fast = list(read_register(path, fast=True))
        assert [dict(r.data or {}) for r in fast] == [dict(r.data or {}) for r in exact], path.name
        assert [r.location for r in fast] == [r.location for r in exact], path.name
        assert all(not r.problems for r in fast), path.name


@pytest.mark.parametrize("suffix", [".json", ".yaml"])
def test_invalid_rows_are_reported_at_their_field_lines_through_the_fast_path(
        invoke: Invoke, tmp_path: Path, suffix: str, test_engine: Engine) -> None:
    items = [engagement("OK-1"), engagement("BAD-1", sectors=["telecoms"]), engagement("BAD-2", lead__type="x")]
    path = tmp_path / f"register{suffix}"
    (write_json if suffix == ".json" else write_yaml)(path, items)
    exact: list[str] = []  # what validating the exact reader's rows gives, field lines included
    for row in read_register(path):
        try:
            test_engine.validate(row.data or {}, source=path.name)
        except InputError as exc:
            exact.extend(f"Error: {p}" for p in exc.problems)
    result = invoke("check", path.name, "--format", "jsonl")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.splitlines() == exact
    assert len(exact) == 2 and all(line.startswith(f"Error: {path.name}:") for line in exact)


def test_duplicate_keys_in_json_are_located_errors(invoke: Invoke, tmp_path: Path) -> None:
    text = json.dumps([CLEAN, TELECOMS], indent=2).replace('"title": "Link",', '"title": "Link", "title": "Again",', 1)
    (tmp_path / "register.json").write_text(text, encoding="utf-8")
    result = invoke("check", "register.json", "--format", "json")
    assert result.exit_code == 2 and result.stdout == ""
    assert "register.json:" in result.stderr and "duplicate key 'title'" in result.stderr


@pytest.mark.parametrize("suffix", [".json", ".yaml", ".csv"])
def test_every_streaming_format_is_identical_whatever_jobs(invoke: Invoke, tmp_path: Path, suffix: str) -> None:
    # Workers parse YAML items and convert CSV cells themselves; JSON rows arrive parsed.
    writer = {".json": write_json, ".yaml": write_yaml, ".csv": write_csv}[suffix]
    writer(tmp_path / f"register{suffix}", [engagement(f"E{i}", sectors=["telecommunications"] if i % 3 else
                                                       ["culture"]) for i in range(30)])
    for fmt in ("json", "jsonl", "sarif", "junit", "github", "text", "html"):
        one = invoke("check", f"register{suffix}", "--format", fmt, "--jobs", "1").stdout
        assert one == invoke("check", f"register{suffix}", "--format", fmt, "--jobs", "2").stdout, fmt


def test_reports_list_the_most_urgent_reviews_and_count_the_rest(test_engine: Engine, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    import riskscreen.registers.pipeline as pipeline

    monkeypatch.setattr(pipeline, "REVIEWS_KEPT", 3)
    dates = ["2026-12-20", "2026-06-30", "2027-01-05", "2026-11-30", "2026-06-30", "2030-01-01"]
    items = [engagement(f"R{i}", review_date=due) for i, due in enumerate(dates)]
    sink = Collect()
    outcome = run_register(test_engine, write_yaml(tmp_path / "register.yaml", items), PipelineSettings(as_of=AS_OF),
                           sink)
    assert outcome.tally.reviews_due == 5  # within 90 days of 22 November 2026, or passed
    assert [(due.isoformat(), eid) for due, _, eid, *_ in outcome.tally.reviews] == [
        ("2026-06-30", "R1"), ("2026-06-30", "R4"), ("2026-11-30", "R3")]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_yaml_syntax_errors_read_as_the_exact_reader_reports_them(invoke: Invoke, tmp_path: Path, jobs: str) -> None:
    (tmp_path / "register.yaml").write_text("engagements:\n- id: A\n  title: [unclosed\n- id: B\n", encoding="utf-8")
    with pytest.raises(InputError) as exact:
        list(read_register(Path("register.yaml")))  # the invoke fixture runs in tmp_path
    result = invoke("check", "register.yaml", "--format", "json", "--jobs", jobs)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == f"Error: {exact.value.problems[0]}\n"


def test_escaped_surrogates_in_json_are_located_errors_not_tracebacks(invoke: Invoke, tmp_path: Path) -> None:
    (tmp_path / "pair.json").write_text('[{"id": "A", "review_date": "\\ud800\\udc00"}]', encoding="utf-8")
    (tmp_path / "lone.json").write_text('[{"id": "A", "review_date": "\\ud800"}]', encoding="utf-8")
    pair = invoke("check", "pair.json")
    assert pair.exit_code == 2 and "field 'review_date'" in pair.stderr and "'\U00010000'" in pair.stderr
    lone = invoke("check", "lone.json")
    assert lone.exit_code == 2 and "field 'review_date'" in lone.stderr and "'\ufffd'" in lone.stderr


def test_a_valid_row_with_a_lone_surrogate_in_free_text_is_screened(invoke: Invoke, tmp_path: Path) -> None:
    row = ('[{"id": "A", "notes": "\\ud800", "lead": {"name": "X", "type": "university"}, '
           '"partner": {"name": "Y", "type": "university", "country": "FR"}, '
           '"agreement_type": "mou", "sectors": ["culture"]}]')
    (tmp_path / "lone-note.json").write_text(row, encoding="utf-8")
    for fmt in ("json", "sarif"):
        result = invoke("check", "lone-note.json", "--format", fmt)
        assert result.exit_code == 0, result.stderr
        assert "Traceback" not in result.stderr
