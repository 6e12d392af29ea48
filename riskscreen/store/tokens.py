"""Random secrets for API tokens and browser sessions; only their SHA-256 is stored.

The secrets are 256-bit random values, so a plain SHA-256 is enough (no salt or slow hash is
needed against guessing), and lets a token be looked up by its hash.
"""

from __future__ import annotations

import hashlib
import secrets

API_TOKEN_PREFIX = "rs_"


def new_secret(prefix: str = "") -> str:
    return prefix + secrets.token_urlsafe(32)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()
