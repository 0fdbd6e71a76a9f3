from __future__ import annotations

from sqlalchemy import select

from spineconsult.consult import notifications
from spineconsult.consult.notifications import SmtpMailer, deliver_outbox
from spineconsult.store.db import transaction
from spineconsult.store.models import OutboxMail

from .smtp import free_port, smtp_server


def _queue_mail(ctx, recipient="alice@example.org"):
    with transaction(ctx.sessions) as session:
        notifications.enqueue(session, ctx, [recipient, recipient], "Your specialist has answered", "Read it")


def test_outbox_mail_is_delivered_over_real_smtp(ctx):
    with smtp_server() as (inbox, port):
        ctx.mailer = SmtpMailer(ctx.settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": port}))
        _queue_mail(ctx)
        assert deliver_outbox(ctx) == 1
        assert deliver_outbox(ctx) == 0
    [mail] = inbox.to("alice@example.org")
    assert mail["Subject"] == "Your specialist has answered"
    assert mail["From"] == ctx.settings.smtp_sender


def test_mail_survives_a_server_that_is_down_and_goes_out_later(ctx):
    port = free_port()
    ctx.mailer = SmtpMailer(ctx.settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": port}))
    _queue_mail(ctx)
    assert deliver_outbox(ctx) == 0
    with transaction(ctx.sessions) as session:
        row = session.scalar(select(OutboxMail))
        assert row.sent_at is None and row.last_error and row.attempts == 1
    with smtp_server() as (inbox, live_port):
        ctx.mailer = SmtpMailer(
            ctx.settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": live_port})
        )
        assert deliver_outbox(ctx) == 1
    assert len(inbox.messages) == 1


def test_without_smtp_mail_waits_in_the_outbox_untouched(ctx):
    from spineconsult.consult.notifications import LogMailer

    ctx.mailer = LogMailer()
    _queue_mail(ctx)
    assert deliver_outbox(ctx) == 0
    with transaction(ctx.sessions) as session:
        row = session.scalar(select(OutboxMail))
        assert (row.sent_at, row.attempts) == (None, 0)


def test_only_real_names_given_for_the_case_count_as_identities():
    from spineconsult.consult.publication import looks_like_a_name

    assert looks_like_a_name("John Miller")
    assert not looks_like_a_name("my friend")
    assert not looks_like_a_name("a colleague")
    assert not looks_like_a_name("")
