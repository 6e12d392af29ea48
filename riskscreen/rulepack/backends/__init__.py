"""Matching backends: durable-rules (default where it imports) and plain Python (the oracle)."""

from __future__ import annotations

from riskscreen.rulepack.backends.base import Backend, CompiledRule, EngineError
from riskscreen.rulepack.backends.python import PythonBackend

__all__ = [
    "BACKEND_NAMES",
    "Backend",
    "CompiledRule",
    "EngineError",
    "PythonBackend",
    "available_backends",
    "make_backend",
]

BACKEND_NAMES = ("durable", "python")


def durable_available() -> bool:
    try:
        import durable.engine  # noqa: F401
    except Exception:  # any import failure (missing, or the C extension on 3.13+) means unavailable
        return False
    return True


def available_backends() -> list[str]:
    return [name for name in BACKEND_NAMES if name == "python" or durable_available()]


def make_backend(name: str | None, rulesets: dict[str, list[CompiledRule]]) -> Backend:
    """Build the named backend, or the best available one when ``name`` is None or 'auto'."""
    if name in (None, "auto"):
        name = "durable" if durable_available() else "python"
    if name == "durable":
        if not durable_available():
            raise EngineError(
                "the durable-rules backend is not available on this Python "
                "(it needs CPython 3.10-3.12 and a C compiler); use --backend python"
            )
        from riskscreen.rulepack.backends.durable import DurableBackend

        return DurableBackend(rulesets)
    if name == "python":
        return PythonBackend(rulesets)
    raise EngineError(f"unknown backend '{name}'; choose one of: auto, {', '.join(BACKEND_NAMES)}")
