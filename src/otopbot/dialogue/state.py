"""Conversation state: the form a user is filling in, kept in the database (one row per user).

Any worker can take a user's next message because nothing lives in memory between turns. A form
left idle for more than a day expires quietly: the next message is handled as a fresh one.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from otopbot.models import ConversationState, LineUser

FORM_IDLE_LIMIT = timedelta(days=1)


def load(db: Session, user: LineUser, now: datetime) -> ConversationState:
    """The user's state row (created when missing); an expired form is dropped first."""
    state = db.get(ConversationState, user.id)
    if state is None:
        state = ConversationState(user_id=user.id, form=None, step=None, slots={}, resume={}, updated_at=now)
        db.add(state)
        return state
    if state.form is not None and now - state.updated_at > FORM_IDLE_LIMIT:
        clear(state, now)
    return state


def begin(state: ConversationState, form: str, slots: dict[str, Any], resume: dict[str, Any], now: datetime) -> None:
    state.form = form
    state.step = None
    state.slots = dict(slots)
    state.resume = dict(resume)
    state.updated_at = now


def put(state: ConversationState, now: datetime, *, step: str | None, **values: Any) -> None:
    """Store slot values and the next step; a new dict so SQLAlchemy sees the JSON change."""
    state.slots = {**(state.slots or {}), **values}
    state.step = step
    state.updated_at = now


def clear(state: ConversationState, now: datetime) -> None:
    """Leave any form; nothing of it is kept."""
    state.form = None
    state.step = None
    state.slots = {}
    state.resume = {}
    state.updated_at = now


def active(state: ConversationState) -> bool:
    return state.form is not None
