"""Email notifications: what to tell whom after a review step, and sending through a configured
SMTP server. Off unless a host is configured; nothing is sent to a fixed or default mail host.

Messages are plain text and carry no engagement content beyond its reference and title: the
reader follows the link and signs in to see the rest.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from riskscreen.workflow.errors import WorkflowError
from riskscreen.workflow.machine import Action

ENV_PREFIX = "RISKSCREEN_SMTP_"


@dataclass(frozen=True)
class MailSettings:
    host: str | None = None
    port: int = 587
    sender: str = "riskscreen@localhost"
    starttls: bool = True
    username: str | None = None
    password: str | None = None
    timeout: float = 10.0

    @property
    def enabled(self) -> bool:
        return bool(self.host)

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> MailSettings:
        """``RISKSCREEN_SMTP_HOST`` (unset: email off), ``_PORT``, ``_FROM``, ``_STARTTLS`` (1/0),
        ``_USERNAME``, ``_PASSWORD``."""
        def get(name: str) -> str | None:
            value = env.get(ENV_PREFIX + name, "").strip()
            return value or None

        port_text = get("PORT") or "587"
        if not port_text.isdigit() or not 0 < int(port_text) < 65536:
            raise WorkflowError(f"{ENV_PREFIX}PORT must be a port number (got {port_text!r})")
        starttls = (get("STARTTLS") or "1").lower()
        if starttls not in ("1", "0", "true", "false", "yes", "no"):
            raise WorkflowError(f"{ENV_PREFIX}STARTTLS must be 1 or 0 (got {starttls!r})")
        return cls(host=get("HOST"), port=int(port_text), sender=get("FROM") or cls.sender,
                   starttls=starttls in ("1", "true", "yes"), username=get("USERNAME"), password=get("PASSWORD"))


@dataclass(frozen=True)
class Notice:
    to: tuple[str, ...]
    subject: str
    body: str


_WHAT = {
    Action.SUBMIT: "was submitted for review",
    Action.ACCEPT: "passed the completeness check and is in review",
    Action.REQUEST_INFORMATION: "needs more information from you",
    Action.PROVIDE_INFORMATION: "has the information you asked for",
    Action.DECIDE: "has a decision",
    Action.WITHDRAW: "was withdrawn",
    Action.REOPEN: "was reopened",
    Action.REQUEUE: "is back in the review queue",
}


def compose(action: Action | str, reference: str, title: str | None, link: str, to: Iterable[str],
            note: str | None = None) -> Notice | None:
    """The notice for one step, or None when there is nobody to tell."""
    recipients = tuple(sorted({address for address in to if address}))
    if not recipients:
        return None
    what = _WHAT[Action(action)] if action in {a.value for a in Action} else str(action)
    name = f"{reference}" + (f" ({title})" if title else "")
    lines = [f"Engagement {name} {what}.", ""]
    if note:
        lines += ["Message:", "", *[f"  {line}" for line in note.splitlines()], ""]
    lines += [f"Open it: {link}", "", "You receive this because of your role in its review in riskscreen."]
    return Notice(recipients, f"[riskscreen] {reference} {what}", "\n".join(lines) + "\n")


def comment_notice(reference: str, title: str | None, link: str, to: Iterable[str], author: str) -> Notice | None:
    return compose(f"has a new comment from {author}", reference, title, link, to)


def message(settings: MailSettings, notice: Notice) -> EmailMessage:
    mail = EmailMessage()
    mail["From"] = settings.sender
    mail["To"] = ", ".join(notice.to)
    mail["Subject"] = notice.subject
    mail["Date"] = formatdate(localtime=False, usegmt=True)
    mail["Message-ID"] = make_msgid(domain=settings.sender.rpartition("@")[2] or "localhost")
    mail.set_content(notice.body)
    return mail


def send(settings: MailSettings, notices: Iterable[Notice]) -> int:
    """Send each notice over one SMTP connection; returns how many were sent. Raises OSError or
    smtplib.SMTPException when the server cannot be reached or refuses (the caller retries)."""
    if not settings.enabled:
        return 0
    pending = list(notices)
    if not pending:
        return 0
    assert settings.host is not None
    with smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout) as smtp:
        if settings.starttls:
            smtp.starttls(context=ssl.create_default_context())
        if settings.username:
            smtp.login(settings.username, settings.password or "")
        for notice in pending:
            smtp.send_message(message(settings, notice))
    return len(pending)
