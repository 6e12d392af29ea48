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

    @classmethod
    def from_env(cls) -> WebSettings:
        from riskscreen.store.db import resolve_url

        url, _ = resolve_url(None)
        return cls(database_url=url,
                   trusted_header=os.environ.get("RISKSCREEN_TRUSTED_HEADER") or None)
