"""JSON for a register: ``results[]`` (each the ``screen --format json`` object plus location,
waiver and failing fields) and ``summary``. Deterministic: key order fixed, dates from --as-of."""

from __future__ import annotations

import json
from typing import Any

from riskscreen.models.register import RegisterReport, RegisterResult
from riskscreen.render.options import RenderOptions


def result_object(result: RegisterResult) -> dict[str, Any]:
    data = result.result.model_dump(mode="json")
    data["location"] = result.location.model_dump(mode="json")
    data["effective_tier"] = result.effective_tier
    data["waived"] = result.waived
    data["failing"] = result.failing
    data["baseline"] = result.baseline
    return data


def _indented(data: Any, level: int) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False).replace("\n", "\n" + "  " * level)


def render_register(report: RegisterReport, options: RenderOptions) -> str:
    # Results are dumped one at a time so a large register never holds two full copies as dicts.
    head = {"register": report.register_path, "as_of": report.as_of.isoformat(), "fail_on": report.fail_on}
    tail = {
        "summary": report.summary.model_dump(mode="json"),
        "waiver_notes": [n.model_dump(mode="json") for n in report.waiver_notes],
        "warnings": report.warnings,
        "provenance": report.provenance.model_dump(mode="json"),
    }
    parts = ["{"]
    parts += [f"  {json.dumps(k)}: {_indented(v, 1)}," for k, v in head.items()]
    items = [f"    {_indented(result_object(r), 2)}" for r in report.results]
    parts.append('  "results": [' + ("\n" + ",\n".join(items) + "\n  ]," if items else "],"))
    parts.append(",\n".join(f"  {json.dumps(k)}: {_indented(v, 1)}" for k, v in tail.items()))
    parts.append("}")
    return "\n".join(parts) + "\n"
