"""The worker records the answers LINE took in batches (`worker.delivery.SentMarks`), not one by one.

What an operator must be able to rely on: after a pass every delivered answer reads "sent", and a
worker that dies between sending and recording doubles nothing: the next worker, once the lease is
over, records the reply as sent without sending it again.
"""

from __future__ import annotations

from datetime import timedelta
from functools import partial

import pytest
from sqlalchemy import select

from otopbot.db import utcnow
from otopbot.events import answer_event
from otopbot.models import OutboxMessage, OutboxStatus
from otopbot.settings import Settings
from otopbot.worker.delivery import SentMarks, deliver_claimed
from otopbot.worker.loop import stale_event_ids


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The web only stores events, as in production on PostgreSQL: the worker answers them."""
    return settings.with_overrides(web_answers=False)


def _statuses(chat) -> list[OutboxStatus]:  # type: ignore[no-untyped-def]
    with chat.runtime.database.transaction() as session:
        return list(session.scalars(select(OutboxMessage.status).order_by(OutboxMessage.id)))


def test_every_answer_of_a_pass_reads_sent_afterwards(chat) -> None:  # type: ignore[no-untyped-def]
    owners = [chat.follow(display_name=f"เจ้าของร้าน {n}") for n in range(3)]
    for owner in owners:
        chat.sim.say(owner.user_id, "มผช คืออะไรคะ")
    chat.run_worker()
    for owner in owners:
        assert owner.new_messages(), "every owner got an answer"
    assert set(_statuses(chat)) == {OutboxStatus.SENT}


def test_a_worker_that_dies_before_recording_its_sends_doubles_nothing(chat) -> None:  # type: ignore[no-untyped-def]
    owner = chat.follow()
    chat.sim.say(owner.user_id, "ขอ มผช ใช้เวลากี่เดือนครับ")
    runtime, dying = chat.runtime, SentMarks(chat.runtime.database)
    [event_id] = stale_event_ids(runtime, utcnow(), timedelta(0))
    assert answer_event(runtime, chat.line, event_id, partial(deliver_claimed, sent=dying)) == 1
    answer = owner.new_messages()
    assert answer, "LINE took the answer"
    assert _statuses(chat)[-1] == OutboxStatus.PENDING  # the worker died: `dying.record()` never ran

    chat.run_worker(now=utcnow() + timedelta(minutes=2))  # another worker, after the lease

    assert owner.new_messages() == [], "the answer was not sent a second time"
    assert _statuses(chat)[-1] == OutboxStatus.SENT
