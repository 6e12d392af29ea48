"""Re-screening many engagements works out each distinct engagement's what-if steps once: the
results are exactly those of screening each one on its own."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from riskscreen import Engine
from riskscreen.registers import read_register
from riskscreen.screening.whatif import WhatIfMemo

ROOT = Path(__file__).resolve().parents[2]
AS_OF = date(2026, 11, 22)


def _examples() -> list[dict[str, object]]:
    return [dict(row.data) for row in read_register(ROOT / "examples" / "register.yaml") if row.data]


def test_memoised_results_equal_screening_each_alone(engine: Engine) -> None:
    examples = _examples()
    # every example twice under other ids: the second time the steps come from the memo
    inputs = examples + [{**data, "id": f"COPY-{n}"} for n, data in enumerate(examples)]
    memo = WhatIfMemo(engine)
    for data in inputs:
        assert memo.screen(data, AS_OF).model_dump(mode="json") == \
            engine.screen(data, as_of=AS_OF, what_if=True).model_dump(mode="json"), data["id"]
    assert memo.hits >= len(examples) and memo.misses <= len(examples)
    assert any(engine.screen(data, as_of=AS_OF, what_if=True).what_would_change for data in examples)


def test_a_changed_engagement_or_day_is_worked_out_afresh(engine: Engine) -> None:
    data = next(d for d in _examples() if engine.screen(d, as_of=AS_OF, what_if=True).what_would_change)
    memo = WhatIfMemo(engine)
    memo.screen(data, AS_OF)
    published = {**data, "published": not data.get("published", False)}
    assert memo.screen(published, AS_OF).model_dump(mode="json") == \
        engine.screen(published, as_of=AS_OF, what_if=True).model_dump(mode="json")
    later = date(2031, 1, 1)
    assert memo.screen(data, later).model_dump(mode="json") == \
        engine.screen(data, as_of=later, what_if=True).model_dump(mode="json")
    assert (memo.hits, memo.misses) == (0, 3)


def test_results_do_not_share_steps_and_the_memo_is_bounded(engine: Engine) -> None:
    examples = _examples()
    data = next(d for d in examples if engine.screen(d, as_of=AS_OF, what_if=True).what_would_change)
    memo = WhatIfMemo(engine, limit=3)
    first = memo.screen(data, AS_OF)
    second = memo.screen({**data, "id": "OTHER"}, AS_OF)
    assert first.what_would_change
    for a, b in zip(first.what_would_change, second.what_would_change, strict=True):
        assert a == b and a is not b
    for data in examples:
        memo.screen(data, AS_OF)
    assert len(memo._steps) == 3
