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

from sqlalchemy import Integer, String, bindparam, event, select, update
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
        _facts_statement(False), {"user_id": user.id, "asked_since": now - survey_answer_within}
    ).one()
    _keep(session, user.id, state, registration, survey, now)


def seen(session: Session, line_user_id: str, now: datetime, survey_answer_within: timedelta) -> LineUser | None:
    """A known sender, marked seen now, with their facts read in the same statement (None if unknown).

    On PostgreSQL the update of `last_seen_at` is a CTE the facts' read joins, so a message from a
    known owner costs one statement here instead of two; SQLite, which has no data-modifying CTEs,
    takes the two.
    """
    values = {"sender": line_user_id, "now": now}
    if session.get_bind().dialect.name != "postgresql":
        user = session.scalars(_seen_statement(), values, execution_options={"synchronize_session": False})
        found = user.one_or_none()
        if found is not None:
            load(session, found, now, survey_answer_within)
        return found
    row = session.execute(_facts_statement(True), {**values, "asked_since": now - survey_answer_within}).one_or_none()
    if row is None:
        return None
    state, registration, survey, user = row
    _keep(session, user.id, state, registration, survey, now)
    return user if isinstance(user, LineUser) else None


def _keep(
    session: Session,
    user_id: int,
    state: ConversationState | None,
    registration: Registration | None,
    survey: SurveyResponse | None,
    now: datetime,
) -> None:
    session.info[KEY] = OwnerFacts(user_id, state, registration, survey, now)
    event.listen(session, "after_flush", _forget, once=True)


@cache
def _seen_statement() -> Any:
    return (
        update(LineUser)
        .where(LineUser.line_user_id == bindparam("sender", type_=String()))
        .values(last_seen_at=bindparam("now", type_=UTCDateTime()))
        .returning(LineUser)
    )


@cache
def _facts_statement(with_sender: bool) -> Any:
    """Built once (building it costs more than running it); the user and the date are bound per call.

    `with_sender`: the user is the one `_seen_statement`'s update returns (a CTE), read along.
    """
    if with_sender:
        updated = (
            update(LineUser)
            .where(LineUser.line_user_id == bindparam("sender", type_=String()))
            .values(last_seen_at=bindparam("now", type_=UTCDateTime()))
            .returning(*LineUser.__table__.c)
            .cte("seen")
        )
        owner: Any = aliased(LineUser, updated, name="seen_user")
        user_id: Any = owner.id
    else:
        owner, user_id = LineUser, bindparam("user_id", type_=Integer())
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
    facts = (
        select(ConversationState, Registration, SurveyResponse)
        .select_from(owner)
        .outerjoin(ConversationState, ConversationState.user_id == owner.id)
        .outerjoin(Registration, (Registration.user_id == owner.id) & Registration.erased_at.is_(None))
        .outerjoin(SurveyResponse, SurveyResponse.id == latest_survey)
    )
    return facts.add_columns(owner) if with_sender else facts.where(LineUser.id == user_id)


def known(session: Session, user_id: int | None, now: datetime | None = None) -> OwnerFacts | None:
    """The facts loaded for this user in this session, unless the session has written since."""
    facts: OwnerFacts | None = session.info.get(KEY)
    if facts is None or facts.user_id != user_id or (now is not None and now != facts.now):
        return None
    return facts


def _forget(session: Session, _context: Any) -> None:
    session.info.pop(KEY, None)
