"""The web service: the officer's pages (GOV.UK Frontend, no JavaScript needed) and the JSON API.

Install with ``pip install 'riskscreen[web]'``; run with ``riskscreen serve``.
"""

from __future__ import annotations

from riskscreen.web.app import create_app, create_app_from_env
from riskscreen.web.settings import WebSettings

__all__ = ["WebSettings", "create_app", "create_app_from_env"]
