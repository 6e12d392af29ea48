"""What the job worker does: re-screening, sending email, and the periodic housekeeping
(notifications from new steps and comments; waivers that have expired)."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from riskscreen.models.result import Provenance
from riskscreen.review.actions import expire_waivers
from riskscreen.review.jobs import Handler, JobContext
from riskscreen.review.notices import queue_notices
from riskscreen.review.rescreen_run import Screen, rescreen
from riskscreen.store import Store
from riskscreen.workflow.notify import MailSettings, Notice, send

log = logging.getLogger(__name__)


def make_handlers(store: Store, screen: Screen, provenance: Callable[[date], Provenance],
                  mail: MailSettings) -> dict[str, Handler]:
    def run_rescreen(ctx: JobContext) -> Mapping[str, Any]:
        today = date.fromisoformat(ctx.job.params["as_of"]) if ctx.job.params.get("as_of") else date.today()
        summary = rescreen(store, screen, provenance(today), ctx.job.params["by"], as_of=today,
                           progress=ctx.job.progress, checkpoint=ctx.checkpoint, job_id=ctx.job.id)
        return summary.as_dict()

    def send_email(ctx: JobContext) -> Mapping[str, Any]:
        params = ctx.job.params
        return {"sent": send(mail, [Notice(tuple(params["to"]), params["subject"], params["body"])])}

    return {"rescreen": run_rescreen, "send_email": send_email}


class Housekeeping:
    """Runs when the worker is idle, at most every ``every`` seconds."""

    def __init__(self, store: Store, mail: MailSettings, base_url: str, every: float = 60.0) -> None:
        self.store, self.mail, self.base_url, self.every = store, mail, base_url, every
        self.last = 0.0
        self.lock = threading.Lock()

    def __call__(self) -> None:
        with self.lock:
            if time.monotonic() - self.last < self.every:
                return
            self.last = time.monotonic()
        with self.store.session() as session:
            requeued = expire_waivers(session, date.today())
        if requeued:
            log.info("expired waivers sent %d engagement(s) back to the queue", len(requeued))
        with self.store.session() as session:
            queue_notices(session, self.mail, self.base_url)
