"""JSON output: deterministic (stable key order, no timestamps beyond --as-of)."""

from __future__ import annotations

import json
from typing import Any

from riskscreen.models.result import ScreeningResult
from riskscreen.render.options import RenderOptions


def dumps(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def render_screening(result: ScreeningResult, options: RenderOptions) -> str:
    return dumps(result.model_dump(mode="json"))
