"""riskscreen: rules-based risk screening for sub-national international engagements."""

from __future__ import annotations

__version__ = "0.1.0"

from riskscreen.errors import InputError, RiskscreenError, RulePackError
from riskscreen.models.engagement import Engagement
from riskscreen.models.result import Finding, ScreeningResult
from riskscreen.screening.engine import Engine

__all__ = [
    "Engagement",
    "Engine",
    "Finding",
    "InputError",
    "RiskscreenError",
    "RulePackError",
    "ScreeningResult",
    "__version__",
]
