"""Administrators manage their own organisation's accounts, and no one else's."""

from __future__ import annotations

import re

from riskscreen.store.accounts import authenticate, find_user
from tests.web.conftest import PASSWORD, Service


def _user_id(service: Service, email: str) -> int:
    with service.store.session() as session:
        user = find_user(session, email)
        assert user is not None
        return user.id


def test_admin_adds_resets_and_disables_a_user(service: Service) -> None:
    admin = service.browser("admin")
    page = admin.get("/admin/users").text
    assert "officer@leeds.example" in page and "officer@bristol.example" not in page
    added = admin.post("/admin/users", {"email": "New.Officer@Leeds.example", "name": "New Officer",
                                        "role": "officer"})
    assert added.status_code == 200 and "Added new.officer@leeds.example." in added.text
    password = re.search(r'<code id="new-password">([^<]+)</code>', added.text)
    assert password is not None
    with service.store.session() as session:
        user = authenticate(session, "new.officer@leeds.example", password.group(1), "t").user
        assert user is not None and user.organisation.name == "Leeds City Council"
    officer_id = _user_id(service, "officer@leeds.example")
    reset = admin.post(f"/admin/users/{officer_id}/reset-password")
    fresh = re.search(r'<code id="new-password">([^<]+)</code>', reset.text)
    assert fresh is not None
    with service.store.session() as session:
        assert authenticate(session, "officer@leeds.example", PASSWORD, "t").user is None
        assert authenticate(session, "officer@leeds.example", fresh.group(1), "t").user is not None
    officer = service.browser("officer")
    assert officer.get("/engagements").status_code == 200
    assert admin.post(f"/admin/users/{officer_id}/disable").status_code == 200
    assert officer.get("/engagements").status_code == 303  # signed out at once


def test_admin_cannot_touch_other_organisations_or_themselves(service: Service) -> None:
    admin = service.browser("admin")
    other = _user_id(service, "officer@bristol.example")
    assert admin.post(f"/admin/users/{other}/disable").status_code == 404
    assert admin.post(f"/admin/users/{other}/reset-password").status_code == 404
    assert admin.post("/admin/users/99999/disable").status_code == 404
    itself = _user_id(service, "admin@leeds.example")
    assert admin.post(f"/admin/users/{itself}/disable").status_code == 409
    reviewer = admin.post("/admin/users", {"email": "r@leeds.example", "role": "reviewer"})
    assert reviewer.status_code == 400 and '<a href="#role">Select a role</a>' in reviewer.text
    duplicate = admin.post("/admin/users", {"email": "officer@leeds.example", "role": "officer"})
    assert duplicate.status_code == 400 and "already exists" in duplicate.text
    bad = admin.post("/admin/users", {"email": "not-an-email", "role": "officer"})
    assert bad.status_code == 400 and "not an email address" in bad.text


def test_users_link_only_for_admins(service: Service) -> None:
    assert 'href="/admin/users"' in service.browser("admin").get("/engagements").text
    assert 'href="/admin/users"' not in service.browser("officer").get("/engagements").text
