"""What routes share: the store, the screening engine and the page renderer, kept on app.state."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from fastapi import Request
from sqlalchemy.orm import Session

from riskscreen import Engine
from riskscreen.models.result import ScreeningResult
from riskscreen.store import Store
from riskscreen.web.settings import WebSettings
from riskscreen.web.templating import Pages


@dataclass
class Service:
    settings: WebSettings
    store: Store
    engine: Engine
    pages: Pages
    # The rule engine's matching backend is not safe to share between threads at once.
    lock: threading.Lock = field(default_factory=threading.Lock)

    def screen(self, data: Any, as_of: date | None = None, what_if: bool = True) -> ScreeningResult:
        with self.lock:
            return self.engine.screen(data, as_of=as_of or date.today(), what_if=what_if)


def service(request: Request) -> Service:
    found: Service = request.app.state.service
    return found


def db_session(request: Request) -> Iterator[Session]:
    with service(request).store.session() as session:
        yield session
