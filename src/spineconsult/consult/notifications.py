"""E-mail: an outbox written inside the use case's transaction, delivered after commit over SMTP.

Writing the mail with the change means a rolled-back change never sends mail, and a mail server that
is down never loses a notification: the worker retries what is unsent.
"""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from datetime import timedelta
from email.message import EmailMessage
from typing import TYPE_CHECKING, Protocol

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from spineconsult.settings import Settings
from spineconsult.store.models import OutboxMail

if TYPE_CHECKING:
    from spineconsult.consult.context import ServiceContext

log = logging.getLogger(__name__)
CLAIM_TIMEOUT = timedelta(minutes=5)
MAX_ATTEMPTS = 10


@dataclass(frozen=True)
class Mail:
    recipient: str
    subject: str
    body: str


class Mailer(Protocol):
    enabled: bool

    def send(self, mail: Mail) -> None: ...


class SmtpMailer:
    """Delivers through an SMTP server with the standard library."""

    enabled = True

    def __init__(self, settings: Settings) -> None:
        if not settings.smtp_host:
            raise ValueError("smtp_host is not set")
        self.settings = settings

    def send(self, mail: Mail) -> None:
        s = self.settings
        message = EmailMessage()
        message["From"] = s.smtp_sender
        message["To"] = mail.recipient
        message["Subject"] = mail.subject
        message.set_content(mail.body)
        with smtplib.SMTP(s.smtp_host or "", s.smtp_port, timeout=s.smtp_timeout_seconds) as smtp:
            if s.smtp_starttls:
                smtp.starttls()
            if s.smtp_username:
                smtp.login(s.smtp_username, s.smtp_password or "")
            smtp.send_message(message)


class LogMailer:
    """Used when no SMTP server is configured: nothing is sent, mail waits in the outbox until
    an SMTP host is set (its attempts are not used up)."""

    enabled = False

    def send(self, mail: Mail) -> None:
        raise ConnectionError("no SMTP host configured")


def mailer_from_settings(settings: Settings) -> Mailer:
    return SmtpMailer(settings) if settings.smtp_host else LogMailer()


def enqueue(session: Session, ctx: ServiceContext, recipients: list[str], subject: str, body: str) -> None:
    """Queue one mail per recipient inside the caller's transaction."""
    for recipient in dict.fromkeys(recipients):
        session.add(OutboxMail(recipient=recipient, subject=subject, body=body, created_at=ctx.now()))


def deliver_outbox(ctx: ServiceContext, *, limit: int = 100) -> int:
    """Send unsent mail; returns how many were delivered. Safe to run in several processes at once."""
    if not ctx.mailer.enabled:
        return 0
    delivered = 0
    for mail_id in _pending_ids(ctx, limit):
        if _claim(ctx, mail_id):
            delivered += _deliver_one(ctx, mail_id)
    return delivered


def _pending_ids(ctx: ServiceContext, limit: int) -> list[int]:
    stale = ctx.now() - CLAIM_TIMEOUT
    query = (
        select(OutboxMail.id)
        .where(OutboxMail.sent_at.is_(None), OutboxMail.attempts < MAX_ATTEMPTS)
        .where(or_(OutboxMail.claimed_at.is_(None), OutboxMail.claimed_at < stale))
        .order_by(OutboxMail.id)
        .limit(limit)
    )
    with ctx.read() as session:
        return list(session.scalars(query))


def _claim(ctx: ServiceContext, mail_id: int) -> bool:
    """Mark the row as being sent; only one process wins the update."""
    now = ctx.now()
    stale = now - CLAIM_TIMEOUT
    claim = (
        update(OutboxMail)
        .where(OutboxMail.id == mail_id, OutboxMail.sent_at.is_(None))
        .where(or_(OutboxMail.claimed_at.is_(None), OutboxMail.claimed_at < stale))
        .values(claimed_at=now, attempts=OutboxMail.attempts + 1)
    )
    with ctx.write() as session:
        return bool(session.execute(claim).rowcount == 1)  # type: ignore[attr-defined]


def _deliver_one(ctx: ServiceContext, mail_id: int) -> int:
    with ctx.read() as session:
        row = session.get_one(OutboxMail, mail_id)
        mail = Mail(row.recipient, row.subject, row.body)
    try:
        ctx.mailer.send(mail)
    except (OSError, smtplib.SMTPException) as exc:
        _release(ctx, mail_id, f"{type(exc).__name__}: {exc}")
        return 0
    with ctx.write() as session:
        session.get_one(OutboxMail, mail_id).sent_at = ctx.now()
    return 1


def _release(ctx: ServiceContext, mail_id: int, error: str) -> None:
    with ctx.write() as session:
        row = session.get_one(OutboxMail, mail_id)
        row.claimed_at = None
        row.last_error = error[:2000]
