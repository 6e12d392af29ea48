"""What routes share: the store, the screening engine and the page renderer, kept on app.state."""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from fastapi import Request
from sqlalchemy.orm import Session

from riskscreen import Engine
from riskscreen.models.result import ScreeningResult
from riskscreen.render import RenderOptions, render_screening
from riskscreen.store import Store
from riskscreen.web.settings import WebSettings
from riskscreen.web.templating import Pages

JSON_CACHE_SIZE = 2048


@dataclass
class Service:
    settings: WebSettings
    store: Store
    engine: Engine
    pages: Pages
    # The rule engine's matching backend is not safe to share between threads at once.
    lock: threading.Lock = field(default_factory=threading.Lock)

    _json_cache: OrderedDict[tuple[str, date], str] = field(default_factory=OrderedDict)

    def screen(self, data: Any, as_of: date | None = None, what_if: bool = True) -> ScreeningResult:
        with self.lock:
            return self.engine.screen(data, as_of=as_of or date.today(), what_if=what_if)

    def screen_json(self, data: dict[str, Any], as_of: date | None = None) -> str:
        """The CLI's JSON for an engagement. Screening is deterministic, so the text is memoised
        per (input, date): CI pipelines re-send the same engagements again and again."""
        day = as_of or date.today()
        key = (json.dumps(data, sort_keys=True, separators=(",", ":"), default=str), day)
        with self.lock:
            cached = self._json_cache.get(key)
            if cached is not None:
                self._json_cache.move_to_end(key)
                return cached
        result = self.screen(data, as_of=day, what_if=True)
        text = render_screening(result, "json", RenderOptions(engine=self.engine))
        with self.lock:
            self._json_cache[key] = text
            while len(self._json_cache) > JSON_CACHE_SIZE:
                self._json_cache.popitem(last=False)
        return text

    @property
    def mail(self) -> Any:
        """Email settings from the environment (RISKSCREEN_SMTP_*); off unless a host is set."""
        import os

        from riskscreen.workflow.notify import MailSettings

        return MailSettings.from_env(os.environ)

    def job_handlers(self) -> Any:
        from riskscreen.review.handlers import make_handlers
        from riskscreen.screening.whatif import WhatIfMemo

        # re-screening works out each distinct engagement's what-if steps once (bounded memo)
        memo = WhatIfMemo(self.engine)

        def screen(data: Any, on: date) -> ScreeningResult:
            with self.lock:
                return memo.screen(data, on)

        return make_handlers(self.store, screen, self.engine.provenance, self.mail)

    def housekeeping(self) -> Any:
        from riskscreen.review.handlers import Housekeeping

        return Housekeeping(self.store, self.mail, self.settings.base_url)


def service(request: Request) -> Service:
    found: Service = request.app.state.service
    return found


def db_session(request: Request) -> Iterator[Session]:
    with service(request).store.session() as session:
        yield session
