"""Contact requests: a user asks to talk to staff; the request waits in the console's question list."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from otopbot.models import LineUser, Question, QuestionKind, QuestionStatus


def open_contact(db: Session, user: LineUser, text: str | None, phone: str | None, now: datetime) -> Question:
    """Record a request for staff to answer (within one working day), with a call-back number if given."""
    question = Question(
        kind=QuestionKind.CONTACT,
        user_id=user.id,
        text=text,
        phone=phone,
        language=user.language,
        status=QuestionStatus.OPEN,
        asked_at=now,
    )
    db.add(question)
    db.flush()
    return question


def open_requests(db: Session, user: LineUser) -> list[Question]:
    """The user's contact requests staff have not yet answered."""
    return list(
        db.scalars(
            select(Question)
            .where(
                Question.user_id == user.id,
                Question.kind == QuestionKind.CONTACT,
                Question.status == QuestionStatus.OPEN,
            )
            .order_by(Question.asked_at)
        )
    )
