"""Conversation state: the form a user is filling in, kept in the database (one row per user).

Any worker can take a user's next message because nothing lives in memory between turns. A form
left idle for more than a day expires quietly: the next message is handled as a fresh one.

`ConversationState.slots` holds only the form's answers. Everything else the dialogue remembers
between turns is typed here (`Context`: where to go after the form, the workshop a seats form
books, the picks of a multi-choice question so far, an open yes/no prompt) and serialised to the
row's JSON `resume` column in one place, `context()` / `keep()`, so no flow looks up magic keys.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from otopbot.models import ConversationState, LineUser
from otopbot.services import owner_facts

FORM_IDLE_LIMIT = timedelta(days=1)
_KEPT = "otopbot.state"
DRAFT_LIFE = timedelta(days=7)  # answers of a form paused with "พอก่อน", kept for the owner's return


@dataclass(frozen=True, slots=True)
class BookAfter:
    """After registering, go back to booking this workshop (with the seats already asked for)."""

    workshop_id: int
    seats: int | None = None


@dataclass(frozen=True, slots=True)
class PendingConfirm:
    """A yes/no prompt left open without a form, so a typed answer can stand for a tap."""

    yes: str  # postback data of the yes button
    no: str
    text: str  # the prompt, to ask again after a question
    yes_label: str
    no_label: str
    asked_at: datetime


@dataclass(frozen=True, slots=True)
class Draft:
    """The answers of a form the owner paused ("พอก่อน ไว้วันหลัง"), so that coming back goes on from them."""

    form: str
    values: dict[str, Any]
    saved_at: datetime


@dataclass(frozen=True, slots=True)
class Context:
    """What the dialogue keeps besides the form's answers."""

    after: BookAfter | None = None
    workshop_id: int | None = None  # the workshop the seats form books
    chosen: tuple[str, ...] = ()  # picks of the multi-choice question being answered
    confirm: PendingConfirm | None = None
    draft: Draft | None = None


def _to_json(context: Context) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if context.after is not None:
        data["after"] = {"workshop_id": context.after.workshop_id, "seats": context.after.seats}
    if context.workshop_id is not None:
        data["workshop_id"] = context.workshop_id
    if context.chosen:
        data["chosen"] = list(context.chosen)
    if (c := context.confirm) is not None:
        data["confirm"] = {
            "yes": c.yes,
            "no": c.no,
            "text": c.text,
            "yes_label": c.yes_label,
            "no_label": c.no_label,
            "asked_at": c.asked_at.isoformat(),
        }
    if (d := context.draft) is not None:
        data["draft"] = {"form": d.form, "values": dict(d.values), "saved_at": d.saved_at.isoformat()}
    return data


def _draft_from_json(data: Any) -> Draft | None:
    if not isinstance(data, dict) or not isinstance(data.get("values"), dict):
        return None
    return Draft(str(data["form"]), dict(data["values"]), datetime.fromisoformat(data["saved_at"]))


def _from_json(data: dict[str, Any] | None) -> Context:
    data = data or {}
    after = data.get("after")
    confirm = data.get("confirm")
    return Context(
        after=BookAfter(int(after["workshop_id"]), after.get("seats")) if isinstance(after, dict) else None,
        workshop_id=int(data["workshop_id"]) if data.get("workshop_id") is not None else None,
        chosen=tuple(str(v) for v in data.get("chosen", ())),
        confirm=PendingConfirm(
            confirm["yes"],
            confirm["no"],
            confirm.get("text", ""),
            confirm.get("yes_label", ""),
            confirm.get("no_label", ""),
            datetime.fromisoformat(confirm["asked_at"]),
        )
        if isinstance(confirm, dict)
        else None,
        draft=_draft_from_json(data.get("draft")),
    )


def context(state: ConversationState) -> Context:
    """The typed context of a state row."""
    try:
        return _from_json(state.resume)
    except (KeyError, TypeError, ValueError):  # an older or damaged row: start clean rather than fail
        return Context()


def keep(state: ConversationState, new: Context) -> None:
    """Store the context (a new dict so SQLAlchemy sees the JSON change)."""
    state.resume = _to_json(new)


def update(state: ConversationState, **changes: Any) -> Context:
    new = replace(context(state), **changes)
    keep(state, new)
    return new


def load(db: Session, user: LineUser, now: datetime) -> ConversationState:
    """The user's state row (created when missing); an expired form is dropped first.

    A turn asks for the state several times; the row found or created first is kept with the session,
    so a new owner's state is neither looked up again nor flushed early by those lookups, and a known
    owner's comes from the read made with the sender (`services.owner_facts`).
    """
    state = db.info.get(_KEPT)
    if state is None or state.user_id != user.id or state not in db:
        facts = owner_facts.known(db, user.id)
        state = facts.state if facts is not None else db.get(ConversationState, user.id)
        if state is None:
            state = ConversationState(user_id=user.id, form=None, step=None, slots={}, resume={}, updated_at=now)
            db.add(state)
        db.info[_KEPT] = state
    if state.form is not None and now - state.updated_at > FORM_IDLE_LIMIT:
        clear(state, now)
    return state


def begin(state: ConversationState, form: str, values: dict[str, Any], start: Context, now: datetime) -> None:
    state.form = form
    state.step = None
    state.slots = dict(values)
    keep(state, start)
    state.updated_at = now


def put(state: ConversationState, now: datetime, *, step: str | None, **values: Any) -> None:
    """Store answers and the next step; a new dict so SQLAlchemy sees the JSON change."""
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


def pause(state: ConversationState, now: datetime, values: dict[str, Any]) -> None:
    """Leave the form but keep `values` (its answers so far) as a draft to resume from."""
    form = state.form or ""
    clear(state, now)
    if values:
        keep(state, Context(draft=Draft(form, dict(values), now)))


def draft(state: ConversationState, form: str, now: datetime) -> dict[str, Any]:
    """The answers kept from a paused `form`, if it was paused less than `DRAFT_LIFE` ago; else {}."""
    kept = context(state).draft
    if state.form is not None or kept is None or kept.form != form or now - kept.saved_at > DRAFT_LIFE:
        return {}
    return dict(kept.values)


def active(state: ConversationState) -> bool:
    return state.form is not None
