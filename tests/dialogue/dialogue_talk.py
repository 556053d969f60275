"""A conversation driver for dialogue-level tests: real NLU, real database, no HTTP.

`talk.say(user, "...")` builds a `Turn` the way the worker does (understanding from the real NLU
engine) and runs `router.respond` inside one transaction, like the worker; every answer is checked
against LINE's limits on the way out.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from otopbot.db import Database
from otopbot.dialogue import router
from otopbot.dialogue.turn import BotContext, Turn
from otopbot.events import build_turn
from otopbot.line.client import Profile
from otopbot.line.inbound import Inbound, InboundKind
from otopbot.models import LineUser, Workshop, WorkshopStatus
from otopbot.replies import Card, Carousel, Choice, Confirm, Reply, Text
from otopbot.settings import Settings

NOW = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)  # Wed 25 Nov 2569, 10:00 in Bangkok


def _choices(reply: Reply) -> list[Choice]:
    found = list(reply.quick_replies)
    if isinstance(reply, Card):
        found += reply.actions
    if isinstance(reply, Carousel):
        found += [a for card in reply.cards for a in card.actions]
    if isinstance(reply, Confirm):
        found += [reply.yes, reply.no]
    return found


def check_line_limits(replies: list[Reply]) -> None:
    """What LINE would reject: >5 messages, >13 quick replies, labels >20, postback data >300, >12 bubbles."""
    assert 1 <= len(replies) <= 5, replies
    for reply in replies:
        assert len(reply.quick_replies) <= 13
        for choice in _choices(reply):
            assert 0 < len(choice.label) <= 20, choice.label
            assert choice.postback is None or len(choice.postback) <= 300
        if isinstance(reply, Carousel):
            assert 1 <= len(reply.cards) <= 10
        if isinstance(reply, Confirm):
            assert len(reply.text) <= 240


def visible(replies: Iterable[Reply]) -> str:
    """Everything the user reads: texts, card titles and lines, button labels."""
    parts: list[str] = []
    for reply in replies:
        if isinstance(reply, (Text, Confirm)):
            parts.append(reply.text)
        cards = reply.cards if isinstance(reply, Carousel) else (reply,) if isinstance(reply, Card) else ()
        for card in cards:
            parts += [card.title, *card.lines]
        parts += [c.label for c in _choices(reply)]
    return "\n".join(parts)


def postbacks(replies: Iterable[Reply]) -> list[str]:
    return [c.postback for r in replies for c in _choices(r) if c.postback]


@dataclass
class Talk:
    database: Database
    settings: Settings
    context: BotContext
    now: datetime = NOW
    _ids: Iterator[int] = field(default_factory=lambda: iter(range(1, 10_000)))
    _names: dict[int, str | None] = field(default_factory=dict)  # LINE profile names: LINE has them, we do not

    def follow(self, display_name: str | None = "สมศรี", language: str = "th") -> int:
        with self.database.transaction() as db:
            user = LineUser(
                line_user_id=f"U{next(self._ids):032x}", language=language, created_at=self.now, last_seen_at=self.now
            )
            db.add(user)
            db.flush()
            self._names[user.id] = display_name
            return user.id

    def _turn(
        self,
        user: LineUser,
        at: datetime | None,
        kind: InboundKind = InboundKind.FOLLOW,
        text: str | None = None,
        postback: str | None = None,
    ) -> Turn:
        """The production turn (`events.build_turn`), so the helper cannot drift from the worker."""
        inbound = Inbound(
            kind=kind, line_user_id=user.line_user_id, reply_token=None, timestamp_ms=0, text=text, postback=postback
        )
        profile = Profile(self._names.get(user.id), user.language) if kind == InboundKind.FOLLOW else None
        return build_turn(self.context, user, inbound, profile, at or self.now)

    def say(self, user_id: int, text: str, at: datetime | None = None) -> list[Reply]:
        with self.database.transaction() as db:
            user = db.get_one(LineUser, user_id)
            replies = router.respond(db, self._turn(user, at, InboundKind.TEXT, text=text))
        check_line_limits(replies)
        return replies

    def tap(self, user_id: int, data: str, at: datetime | None = None) -> list[Reply]:
        with self.database.transaction() as db:
            user = db.get_one(LineUser, user_id)
            replies = router.respond(db, self._turn(user, at, InboundKind.POSTBACK, postback=data))
        check_line_limits(replies)
        return replies

    def welcome(self, user_id: int) -> list[Reply]:
        with self.database.transaction() as db:
            replies = router.welcome(db, self._turn(db.get_one(LineUser, user_id), None))
        check_line_limits(replies)
        return replies

    def unsupported(self, user_id: int, kind: str) -> list[Reply]:
        with self.database.transaction() as db:
            replies = router.unsupported(db, self._turn(db.get_one(LineUser, user_id), None), kind)
        check_line_limits(replies)
        return replies

    def workshop(
        self,
        code: str = "W1",
        *,
        category: str = "ceramics",
        province: str = "ลำปาง",
        region: str = "north",
        days: int = 12,
        capacity: int = 30,
        taken: int = 0,
        title: str = "การลดสารตะกั่วในเคลือบเซรามิก",
    ) -> int:
        start = self.now + timedelta(days=days)
        with self.database.transaction() as db:
            workshop = Workshop(
                code=code,
                title=title,
                title_en="Lead-safe glazes",
                category=category,
                venue="ศูนย์เซรามิกลำปาง",
                province=province,
                region=region,
                starts_at=start,
                ends_at=start + timedelta(hours=7),
                capacity=capacity,
                seats_taken=taken,
                registration_deadline=start - timedelta(days=2),
                status=WorkshopStatus.OPEN,
            )
            db.add(workshop)
            db.flush()
            return workshop.id

    def get(self, model: type, **where: object) -> object:
        with self.database.transaction() as db:
            return db.scalars(select(model).filter_by(**where)).all()
