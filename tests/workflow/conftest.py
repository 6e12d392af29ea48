"""Workflow fixtures: the register tests' in-process CLI runner (small fixed rule pack)."""

from __future__ import annotations

from tests.register.conftest import invoke
from tests.smtp import smtp_server

__all__ = ["invoke", "smtp_server"]
