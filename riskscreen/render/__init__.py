"""One renderer module per output format; this table says which module renders what.

Each entry is ``module:function``. Modules are imported only when their format is asked for,
so the formats' dependencies stay optional.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from riskscreen.errors import RiskscreenError
from riskscreen.render.options import RenderOptions

SCREENING_RENDERERS: dict[str, str] = {
    "text": "riskscreen.render.text:render_screening",
    "json": "riskscreen.render.json_out:render_screening",
    "md": "riskscreen.render.markdown:render_screening",
    "html": "riskscreen.render.html:render_screening",
}

# Register formats rendered from a full in-memory report; the others stream
# (riskscreen.render.stream.REGISTER_WRITERS).
REGISTER_RENDERERS: dict[str, str] = {
    "md": "riskscreen.render.markdown:render_register",
    "html": "riskscreen.render.html:render_register",
}


def _load(target: str) -> Callable[..., str]:
    module_name, _, function = target.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name == module_name:
            raise RiskscreenError(
                f"output format not available: {module_name} is not installed"
            ) from None
        raise
    renderer: Callable[..., str] = getattr(module, function)
    return renderer


def render_screening(result: Any, fmt: str, options: RenderOptions) -> str:
    if fmt not in SCREENING_RENDERERS:
        raise RiskscreenError(f"unknown format '{fmt}' for a single screening")
    return _load(SCREENING_RENDERERS[fmt])(result, options)


def render_register(report: Any, fmt: str, options: RenderOptions) -> str:
    if fmt not in REGISTER_RENDERERS:
        raise RiskscreenError(f"unknown format '{fmt}' for a register")
    return _load(REGISTER_RENDERERS[fmt])(report, options)


__all__ = [
    "REGISTER_RENDERERS",
    "SCREENING_RENDERERS",
    "RenderOptions",
    "render_register",
    "render_screening",
]
