"""Workflow fixtures: the register tests' in-process CLI runner (small fixed rule pack)."""

from __future__ import annotations

from tests.register.conftest import invoke

__all__ = ["invoke"]
