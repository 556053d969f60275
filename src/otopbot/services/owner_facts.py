"""What the dialogue reads about the sender on nearly every message, read once per event.

An answer used to ask the database three more times after finding its sender: the conversation
state, a survey waiting for an answer, the owner's registration (to tailor answers and workshop
lists). `load` reads all three in one statement, right after the sender; the state lands in the
session's identity map (so `dialogue.state.load`'s `Session.get` finds it without SQL) and the other
two are kept with the session for `registrations.for_user` and `surveys.pending_for`.

The facts hold until the session next writes (`after_flush`): a turn that registers the owner or
records a survey answer reads the database again afterwards, so nothing stale is ever used. A
session that never called `load` (tests, staff tools, the worker's jobs) reads as before.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import Integer, bindparam, event, select
from sqlalchemy.orm import Session, aliased

from otopbot.db import UTCDateTime
from otopbot.models import ConversationState, LineUser, Registration, SurveyResponse, SurveyStatus

KEY = "otopbot.owner_facts"


@dataclass(frozen=True, slots=True)
class OwnerFacts:
    user_id: int
    state: ConversationState | None  # held here: the identity map keeps only weak references
    registration: Registration | None
    pending_survey: SurveyResponse | None
    now: datetime


def load(session: Session, user: LineUser, now: datetime, survey_answer_within: timedelta) -> None:
    """Read the sender's state, registration and latest open survey in one statement and keep them."""
    state, registration, survey = session.execute(
        _facts_statement(), {"user_id": user.id, "asked_since": now - survey_answer_within}
    ).one()
    session.info[KEY] = OwnerFacts(user.id, state, registration, survey, now)
    event.listen(session, "after_flush", _forget, once=True)


@cache
def _facts_statement() -> Any:
    """Built once (building it costs more than running it); the user and the date are bound per call."""
    user_id = bindparam("user_id", type_=Integer())
    later = aliased(SurveyResponse)
    latest_survey = (
        select(later.id)
        .where(
            later.user_id == user_id,
            later.status.in_([SurveyStatus.ASKED, SurveyStatus.COMMENT]),
            later.asked_at > bindparam("asked_since", type_=UTCDateTime()),
        )
        .order_by(later.asked_at.desc(), later.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    return (
        select(ConversationState, Registration, SurveyResponse)
        .select_from(LineUser)
        .outerjoin(ConversationState, ConversationState.user_id == LineUser.id)
        .outerjoin(Registration, (Registration.user_id == LineUser.id) & Registration.erased_at.is_(None))
        .outerjoin(SurveyResponse, SurveyResponse.id == latest_survey)
        .where(LineUser.id == user_id)
    )


def known(session: Session, user_id: int | None, now: datetime | None = None) -> OwnerFacts | None:
    """The facts loaded for this user in this session, unless the session has written since."""
    facts: OwnerFacts | None = session.info.get(KEY)
    if facts is None or facts.user_id != user_id or (now is not None and now != facts.now):
        return None
    return facts


def _forget(session: Session, _context: Any) -> None:
    session.info.pop(KEY, None)
