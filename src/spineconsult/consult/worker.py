"""The background worker: service-level escalations and breaches, then e-mail delivery."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from spineconsult.consult.context import ServiceContext
from spineconsult.consult.notifications import deliver_outbox
from spineconsult.consult.queue import check_service_levels
from spineconsult.consult.review import remind_rereviews
from spineconsult.consult.schemas import WorkerReport

log = logging.getLogger(__name__)


def run_once(ctx: ServiceContext) -> WorkerReport:
    """One pass: escalations and breaches (mailing operators), re-review reminders (mailing
    reviewers), then the pending mail."""
    report = check_service_levels(ctx)
    report.rereview_reminders = remind_rereviews(ctx)
    report.mails_sent = deliver_outbox(ctx)
    return report


async def run_forever(
    ctx: ServiceContext, interval: float | None = None, stop: asyncio.Event | None = None
) -> None:
    """The in-process loop `serve` starts; errors are logged and the loop goes on.

    Setting `stop` ends the loop after the pass in progress (a pass runs in a thread, which
    cancelling could not interrupt halfway through a transaction).
    """
    pause = interval or ctx.settings.worker_interval_seconds
    stop = stop or asyncio.Event()
    while not stop.is_set():
        try:
            report = await asyncio.to_thread(run_once, ctx)
            if any(report.model_dump().values()):
                log.info("worker: %s", report.model_dump())
        except Exception:
            log.exception("worker pass failed; retrying in %.0f s", pause)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=pause)
