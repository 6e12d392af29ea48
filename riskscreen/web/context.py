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

    @property
    def mail(self) -> Any:
        """Email settings from the environment (RISKSCREEN_SMTP_*); off unless a host is set."""
        import os

        from riskscreen.workflow.notify import MailSettings

        return MailSettings.from_env(os.environ)

    def job_handlers(self) -> Any:
        from riskscreen.review.handlers import make_handlers

        return make_handlers(self.store, lambda data, on: self.screen(data, as_of=on), self.engine.provenance,
                             self.mail)

    def housekeeping(self) -> Any:
        from riskscreen.review.handlers import Housekeeping

        return Housekeeping(self.store, self.mail, self.settings.base_url)


def service(request: Request) -> Service:
    found: Service = request.app.state.service
    return found


def db_session(request: Request) -> Iterator[Session]:
    with service(request).store.session() as session:
        yield session
