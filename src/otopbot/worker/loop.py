"""The worker process: one loop that claims due work with leases, so several workers can run at once."""

from __future__ import annotations

import logging
import os
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from sqlalchemy import func, or_, select

from otopbot.db import Database, utcnow
from otopbot.events import answer_event
from otopbot.line.client import LineClient
from otopbot.models import InboundEvent, InboundStatus, OutboxMessage, OutboxStatus
from otopbot.runtime import Runtime
from otopbot.services.privacy import Purged
from otopbot.wakeup import Wakeup
from otopbot.worker.delivery import SentMarks, deliver, deliver_claimed, due_ids

log = logging.getLogger(__name__)
WEB_GRACE = timedelta(seconds=3)  # the web process answers fresh events itself
PURGE_EVERY = timedelta(hours=1)  # retention is measured in days; sweeping hourly is plenty
# reminders, scheduled broadcasts, certificates and surveys are due by the minute: looking every few
# seconds is plenty, and it keeps four transactions off every wake-up for a new message
SCHEDULED_EVERY = timedelta(seconds=5)


@dataclass(slots=True)
class Progress:
    events: int = 0
    delivered: int = 0
    reminders: int = 0
    broadcasts: int = 0
    surveys: int = 0
    certificates: int = 0

    @property
    def anything(self) -> bool:
        return bool(
            self.events or self.delivered or self.reminders or self.broadcasts or self.surveys or self.certificates
        )


def work_left(runtime: Runtime, now: datetime | None = None) -> int:
    """Events not yet answered plus messages due: 0 when the bot has nothing left to do right now."""
    now = now or utcnow()
    with runtime.database.transaction() as session:
        events = session.scalar(
            select(func.count())
            .select_from(InboundEvent)
            .where(InboundEvent.status.in_([InboundStatus.PENDING, InboundStatus.PROCESSING]))
        )
        due = session.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.next_attempt_at <= now)
        )
    return int(events or 0) + int(due or 0)


def stale_event_ids(runtime: Runtime, now: datetime, grace: timedelta = WEB_GRACE) -> list[int]:
    with runtime.database.transaction() as session:
        rows = session.scalars(
            select(InboundEvent.id)
            .where(
                or_(
                    (InboundEvent.status == InboundStatus.PENDING) & (InboundEvent.received_at <= now - grace),
                    (InboundEvent.status == InboundStatus.PROCESSING) & (InboundEvent.locked_until < now),
                )
            )
            .order_by(InboundEvent.id)
            .limit(200)
        )
        return list(rows)


def _scheduled_work(runtime: Runtime, now: datetime, progress: Progress) -> None:
    """Reminders, scheduled broadcasts, after-workshop certificates and surveys become outbox rows (each once)."""
    from otopbot.services import broadcasts, certificates, notices, reminders, surveys

    with runtime.database.transaction() as session:
        progress.reminders += notices.remind(session, reminders.claim_due(session, now), runtime.settings.locales_dir)
    with runtime.database.transaction() as session:
        progress.broadcasts += broadcasts.dispatch_due(session, now)
    settings = runtime.settings
    with runtime.database.transaction() as session:
        progress.certificates += certificates.queue_due_certificates(
            session, now, base_url=settings.public_base_url, locales_dir=settings.locales_dir
        )
    with runtime.database.transaction() as session:
        progress.surveys += surveys.queue_due_surveys(session, now, locales_dir=runtime.settings.locales_dir)


def run_once(
    runtime: Runtime,
    line: LineClient,
    now: datetime | None = None,
    grace: timedelta = WEB_GRACE,
    *,
    scheduled: bool = True,
) -> Progress:
    """Do every piece of due work once; safe to call from several processes at the same time.

    Each event's answer is sent right after its commit (`events.answer_event`); `scheduled` False
    leaves reminders, broadcasts, certificates and surveys for a later pass.
    """
    now = now or utcnow()
    progress = Progress()
    sent = SentMarks(runtime.database)
    send = partial(deliver_claimed, sent=sent)
    try:
        for event_id in stale_event_ids(runtime, now, grace):
            progress.delivered += answer_event(runtime, line, event_id, send, now)
            progress.events += 1
    finally:
        sent.record()
    if scheduled:
        _scheduled_work(runtime, now, progress)
    with runtime.database.transaction() as session:
        ids = due_ids(session, now)
    for outbox_id in ids:
        progress.delivered += deliver(runtime.database, line, outbox_id, now)
    return progress


def purge_expired(database: Database, retention_days: int, now: datetime | None = None) -> Purged:
    """Scrub everything past retention (`services.privacy.purge_expired`), batch after batch; what was done."""
    from otopbot.services import privacy

    now = now or utcnow()
    total = privacy.Purged(0, 0)
    while True:
        with database.transaction() as session:
            purged = privacy.purge_expired(session, now, retention_days)
        total = total + purged
        if purged.events < privacy.SCRUB_BATCH and purged.messages < privacy.SCRUB_BATCH:
            return total


def yield_to_web(niceness: int) -> None:
    """Let the web processes win the CPU when they share a machine with this worker (`WORKER_NICE`).

    Acknowledging LINE's webhook fast is the hard deadline (LINE wants it within 2 s and redelivers
    otherwise); an answer may wait a few seconds without cost, since its reply token lives about a
    minute. So under a burst the web keeps its CPU and the worker takes what is left, catching up
    as soon as the burst eases. On a machine of its own the setting changes nothing. Called by the
    `otopbot worker` command for its whole process.
    """
    if niceness and hasattr(os, "nice"):
        os.nice(niceness)


def warm_up(runtime: Runtime) -> None:
    """Build the knowledge index now, so that the first question after a start is not the slow one."""
    if runtime.context.knowledge is not None:
        with runtime.database.transaction() as session:
            runtime.context.knowledge.entry(session, "")


def run_forever(runtime: Runtime, stop: threading.Event | None = None) -> None:
    """Work until `stop` is set, woken at once by newly stored events (PostgreSQL) or by polling.

    Errors are logged and the loop goes on. When the web process does not answer (PostgreSQL), events
    are taken at once rather than after the web's grace period.
    """
    stop = stop or threading.Event()
    line = LineClient(runtime.settings)
    wakeup = Wakeup(runtime.settings.database_url, stop)
    grace = WEB_GRACE if runtime.settings.answers_in_web else timedelta(0)
    try:
        warm_up(runtime)
    except Exception:  # a cold index is slower, not wrong: the first question builds it
        log.warning("knowledge index not built at start", exc_info=True)
    log.info("worker started")
    next_purge = next_scheduled = utcnow()
    while not stop.is_set():
        try:
            if utcnow() >= next_purge:
                next_purge = utcnow() + PURGE_EVERY
                log.info("retention sweep: %s", purge_expired(runtime.database, runtime.settings.retention_days))
            scheduled = utcnow() >= next_scheduled
            if scheduled:
                next_scheduled = utcnow() + SCHEDULED_EVERY
            progress = run_once(runtime, line, grace=grace, scheduled=scheduled)
        except Exception:  # the loop's one broad catch: a bad row must not stop the worker
            log.exception("worker iteration failed")
            progress = Progress()
        if not progress.anything:
            wakeup.wait(runtime.settings.worker_poll_seconds)
    wakeup.close()
    line.close()
    log.info("worker stopped")
