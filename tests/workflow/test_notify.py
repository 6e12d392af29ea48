"""Email notifications: off by default, composed per step, and delivered to a local test SMTP
server (aiosmtpd on the loopback interface) — never a real mail host."""

from __future__ import annotations

import smtplib
from email import message_from_bytes

import pytest

from riskscreen.workflow.errors import WorkflowError
from riskscreen.workflow.machine import Action
from riskscreen.workflow.notify import MailSettings, comment_notice, compose, send
from tests.smtp import Collect, free_port


def test_off_by_default() -> None:
    settings = MailSettings.from_env({})
    assert not settings.enabled
    notice = compose(Action.DECIDE, "EDI-1", None, "http://x/e/1", ["a@example.org"])
    assert notice is not None and send(settings, [notice]) == 0


def test_settings_from_environment() -> None:
    settings = MailSettings.from_env({"RISKSCREEN_SMTP_HOST": "mail.example.org", "RISKSCREEN_SMTP_PORT": "2525",
                                      "RISKSCREEN_SMTP_FROM": "ddu@example.org", "RISKSCREEN_SMTP_STARTTLS": "0"})
    assert (settings.enabled, settings.host, settings.port, settings.sender, settings.starttls) == (
        True, "mail.example.org", 2525, "ddu@example.org", False)
    with pytest.raises(WorkflowError, match="PORT must be a port number"):
        MailSettings.from_env({"RISKSCREEN_SMTP_HOST": "h", "RISKSCREEN_SMTP_PORT": "smtp"})
    with pytest.raises(WorkflowError, match="STARTTLS must be 1 or 0"):
        MailSettings.from_env({"RISKSCREEN_SMTP_HOST": "h", "RISKSCREEN_SMTP_STARTTLS": "maybe"})


def test_compose() -> None:
    notice = compose(Action.REQUEST_INFORMATION, "EDI-1", "Friendship agreement", "http://x/e/1",
                     ["b@example.org", "a@example.org", "a@example.org", ""], note="Who owns the partner?\nThanks")
    assert notice is not None
    assert notice.to == ("a@example.org", "b@example.org")
    assert notice.subject == "[riskscreen] EDI-1 needs more information from you"
    assert notice.body.startswith("Engagement EDI-1 (Friendship agreement) needs more information from you.\n\n"
                                  "Message:\n\n  Who owns the partner?\n  Thanks\n\nOpen it: http://x/e/1\n")
    assert compose(Action.DECIDE, "EDI-1", None, "http://x", []) is None
    assert comment_notice("EDI-1", None, "http://x", ["a@example.org"], "Rita").subject == (  # type: ignore[union-attr]
        "[riskscreen] EDI-1 has a new comment from Rita")


def test_delivered_to_a_local_smtp_server(smtp_server: tuple[Collect, int]) -> None:
    handler, port = smtp_server
    settings = MailSettings(host="127.0.0.1", port=port, sender="ddu@example.org", starttls=False)
    notices = [compose(Action.DECIDE, "EDI-1", None, "http://x/e/1", ["officer@example.org"]),
               compose(Action.REQUEUE, "SHF-2", None, "http://x/e/2", ["r1@example.org", "r2@example.org"])]
    assert send(settings, [n for n in notices if n]) == 2
    assert [sorted(e.rcpt_tos) for e in handler.envelopes] == [["officer@example.org"],
                                                                ["r1@example.org", "r2@example.org"]]
    first = message_from_bytes(handler.envelopes[0].content)
    assert first["Subject"] == "[riskscreen] EDI-1 has a decision" and first["From"] == "ddu@example.org"
    assert "Open it: http://x/e/1" in first.get_payload()


def test_unreachable_server_raises_for_a_retry() -> None:
    settings = MailSettings(host="127.0.0.1", port=free_port(), starttls=False, timeout=2)
    notice = compose(Action.DECIDE, "EDI-1", None, "http://x", ["a@example.org"])
    assert notice is not None
    with pytest.raises((OSError, smtplib.SMTPException)):
        send(settings, [notice])
