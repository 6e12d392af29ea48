"""What every matching backend provides."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from riskscreen.errors import RiskscreenError
from riskscreen.rulepack.conditions import Node


class EngineError(RiskscreenError):
    """The matching engine failed or cannot be used."""


@dataclass(frozen=True)
class CompiledRule:
    """A rule reduced to what matching needs: its id, the fact kind it applies to and its IR."""

    rule_id: str
    kind: str
    condition: Node


Fact = dict[str, Any]


class Backend(Protocol):
    name: str

    def match(self, ruleset: str, fact: Fact) -> list[str]:
        """Ids of the rules in ``ruleset`` whose condition holds for ``fact``, in pack order, once each."""
        ...

    def close(self) -> None: ...
