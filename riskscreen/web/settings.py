"""The web service's settings, from arguments or the environment (for uvicorn workers)."""

from __future__ import annotations

import os
from dataclasses import dataclass

UPLOAD_LIMIT_BYTES = 5 * 1024 * 1024
REGISTER_ROW_LIMIT = 2000


@dataclass(frozen=True)
class WebSettings:
    database_url: str
    # Behind a single sign-on proxy: the header carrying the signed-in user's email. Off (None)
    # by default, because anyone who can reach the service directly could otherwise set it.
    trusted_header: str | None = None
    max_body_bytes: int = UPLOAD_LIMIT_BYTES + 64 * 1024
    max_upload_bytes: int = UPLOAD_LIMIT_BYTES
    max_register_rows: int = REGISTER_ROW_LIMIT
    service_name: str = "Screen an international engagement"
    # The reviewers' workflow: the review clock, and the public register (off unless switched on).
    review_target_days: int = 30
    review_due_soon_days: int = 5
    public_register: bool = False
    # Where links in notification emails point (email itself is configured by RISKSCREEN_SMTP_*).
    base_url: str = "http://localhost:8000"
    # Run the job worker thread in this process (re-screening, email, expiring waivers).
    run_jobs: bool = True

    @classmethod
    def from_env(cls) -> WebSettings:
        from riskscreen.store.db import resolve_url

        url, _ = resolve_url(None)
        return cls(database_url=url,
                   trusted_header=os.environ.get("RISKSCREEN_TRUSTED_HEADER") or None,
                   review_target_days=_int_env("RISKSCREEN_REVIEW_TARGET_DAYS", 30),
                   review_due_soon_days=_int_env("RISKSCREEN_REVIEW_DUE_SOON_DAYS", 5),
                   public_register=os.environ.get("RISKSCREEN_PUBLIC_REGISTER", "") in ("1", "true", "yes"),
                   base_url=os.environ.get("RISKSCREEN_BASE_URL") or "http://localhost:8000")


def _int_env(name: str, default: int) -> int:
    text = os.environ.get(name, "").strip()
    if not text:
        return default
    if not text.isdigit():
        from riskscreen.errors import RiskscreenError

        raise RiskscreenError(f"${name} must be a whole number of days (got {text!r})")
    return int(text)
