"""What the dialogue remembers about a user between requests, outliving forms (ConversationState.memory).

- the last workshop search, so that "แล้วที่ขอนแก่นล่ะคะ" within 30 minutes keeps its other
  filters (category, dates) — in the database, because the next message may reach another process;
- the day of the last greeting, so that a second "สวัสดีค่ะ" the same day gets a short hello;
- the last standards topic answered (entry and facet, no words of the owner), so that "อ่านเพิ่ม" or
  "แล้วค่าใช้จ่ายล่ะ" within 30 minutes continues it.

A form's own answers and context live in `slots` / `resume` (dialogue.state) and are wiped when the
form ends; this memory is not.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from otopbot.clock import local
from otopbot.dialogue import state as states
from otopbot.models import LineUser

FOLLOW_UP_WINDOW = timedelta(minutes=30)


@dataclass(frozen=True, slots=True)
class LastSearch:
    """The filters of the last workshop search, as asked (not as relaxed), and what it showed."""

    at: datetime
    category: str | None = None
    province: str | None = None
    region: str | None = None
    first_day: date | None = None
    last_day: date | None = None
    shown: tuple[int, ...] = ()


def _read(db: Session, user: LineUser, now: datetime) -> dict[str, Any]:
    memory = states.load(db, user, now).memory
    return dict(memory) if isinstance(memory, dict) else {}


def _write(db: Session, user: LineUser, now: datetime, **changes: Any) -> None:
    """A new dict each time, so SQLAlchemy sees the JSON change."""
    state = states.load(db, user, now)
    state.memory = {**(_read(db, user, now)), **changes}


def _day(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else None


def last_search(db: Session, user: LineUser, now: datetime) -> LastSearch | None:
    """The previous search if it was made within the follow-up window."""
    data = _read(db, user, now).get("search")
    if not isinstance(data, dict):
        return None
    try:
        at = datetime.fromisoformat(data["at"])
        found = LastSearch(
            at,
            data.get("category"),
            data.get("province"),
            data.get("region"),
            _day(data.get("first_day")),
            _day(data.get("last_day")),
            tuple(int(i) for i in data.get("shown", ())),
        )
    except (KeyError, TypeError, ValueError):  # an older or damaged row: no follow-up rather than fail
        return None
    return found if now - at <= FOLLOW_UP_WINDOW else None


def remember_search(db: Session, user: LineUser, search: LastSearch) -> None:
    _write(
        db,
        user,
        search.at,
        search={
            "at": search.at.isoformat(),
            "category": search.category,
            "province": search.province,
            "region": search.region,
            "shown": list(search.shown),
            "first_day": search.first_day.isoformat() if search.first_day else None,
            "last_day": search.last_day.isoformat() if search.last_day else None,
        },
    )


def greeted_today(db: Session, user: LineUser, now: datetime) -> bool:
    """Whether the bot already welcomed or greeted this user today (Bangkok time)."""
    return _day(_read(db, user, now).get("greeted_on")) == local(now).date()


def remember_greeting(db: Session, user: LineUser, now: datetime) -> None:
    _write(db, user, now, greeted_on=local(now).date().isoformat())


@dataclass(frozen=True, slots=True)
class LastTopic:
    """The knowledge entry (and facet) the bot last answered with."""

    at: datetime
    entry_id: str
    facet_id: str = ""


def last_topic(db: Session, user: LineUser, now: datetime) -> LastTopic | None:
    """The last topic answered, if within the follow-up window and not followed by a workshop search."""
    memory = _read(db, user, now)
    data = memory.get("topic")
    if not isinstance(data, dict):
        return None
    try:
        found = LastTopic(datetime.fromisoformat(data["at"]), str(data["entry"]), str(data.get("facet") or ""))
    except (KeyError, TypeError, ValueError):
        return None
    search = last_search(db, user, now)
    if now - found.at > FOLLOW_UP_WINDOW or (search is not None and search.at > found.at):
        return None
    return found


def remember_topic(db: Session, user: LineUser, topic: LastTopic) -> None:
    _write(db, user, topic.at, topic={"at": topic.at.isoformat(), "entry": topic.entry_id, "facet": topic.facet_id})
