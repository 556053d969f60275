"""The satisfaction survey after a workshop: asked once per checked-in booking, results for staff.

A survey row is inserted with `insert_ignoring_duplicates` (unique on `booking_id`) in the same
transaction as the outbox row that asks it: of two workers, or a worker restarted mid-run, only the
one whose insert went in queues the question, and a rollback undoes both together.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from otopbot.db import insert_ignoring_duplicates, utcnow
from otopbot.i18n import N_, Translator
from otopbot.models import (
    Booking,
    LineUser,
    SurveyResponse,
    SurveyStatus,
    Workshop,
)
from otopbot.postbacks import SurveyAnswer
from otopbot.replies import Choice, Text
from otopbot.services import checkin, notices, owner_facts

SEND_WITHIN = timedelta(days=3)  # a workshop that ended longer ago is not surveyed any more
ANSWER_WITHIN = timedelta(days=3)  # after that, a message is a message, not a survey answer
RATINGS = (5, 4, 3, 2, 1)
RATING_LABELS = {
    5: N_("5 – Excellent"),
    4: N_("4 – Good"),
    3: N_("3 – Fair"),
    2: N_("2 – Poor"),
    1: N_("1 – Very poor"),
}
MAX_COMMENT = 1000


def title_for(workshop: Workshop, language: str) -> str:
    return workshop.title_en if language == "en" and workshop.title_en else workshop.title


def question(t: Translator, survey_id: int, title: str) -> Text:
    """The rating question with one quick reply per score (postback `survey:<id>:<score>`)."""
    choices = tuple(
        Choice(
            label=t(RATING_LABELS[n])[:20],
            postback=SurveyAnswer(survey_id, str(n)).data,
            display_text=t(RATING_LABELS[n]),
        )
        for n in RATINGS
    )
    return Text(
        t(
            "How useful was “{title}” for your enterprise? Please rate it from 1 (not useful) to 5 (very useful).",
            title=title,
        ),
        choices,
    )


def _due(db: Session, now: datetime) -> list[tuple[Booking, Workshop]]:
    """Checked-in bookings of workshops that ended lately and have no survey row yet."""
    already = select(SurveyResponse.booking_id).where(SurveyResponse.booking_id == Booking.id)
    return checkin.attended_lately(db, now, SEND_WITHIN, already)


def _claim(db: Session, booking: Booking, now: datetime) -> int | None:
    """Insert the booking's survey row; its id if this call inserted it, None if someone else did."""
    row = {
        "booking_id": booking.id,
        "workshop_id": booking.workshop_id,
        "user_id": booking.user_id,
        "status": SurveyStatus.ASKED,
        "reasked": False,
        "asked_at": now,
    }
    if not insert_ignoring_duplicates(db, SurveyResponse, row, "booking_id"):
        return None
    return db.scalar(select(SurveyResponse.id).where(SurveyResponse.booking_id == booking.id))


def queue_due_surveys(db: Session, now: datetime, *, locales_dir: Path | None = None) -> int:
    """Ask every survey now due (outbox); return how many this call queued."""
    queued = 0
    for booking, workshop in _due(db, now):
        user = db.get(LineUser, booking.user_id) if booking.user_id else None
        survey_id = _claim(db, booking, now) if user is not None else None
        if user is None or survey_id is None:
            continue
        t = notices.translator_for(user, locales_dir)
        if notices.push(db, user, [question(t, survey_id, title_for(workshop, user.language))]):
            queued += 1
        else:
            db.get_one(SurveyResponse, survey_id).status = SurveyStatus.LEFT
    return queued


def pending_for(db: Session, user: LineUser, now: datetime) -> SurveyResponse | None:
    """The user's latest survey still waiting for a rating or a comment, if asked lately."""
    if (facts := owner_facts.known(db, user.id, now)) is not None:  # read with the sender (events.py)
        return facts.pending_survey
    return db.scalar(
        select(SurveyResponse)
        .where(
            SurveyResponse.user_id == user.id,
            SurveyResponse.status.in_([SurveyStatus.ASKED, SurveyStatus.COMMENT]),
            SurveyResponse.asked_at > now - ANSWER_WITHIN,
        )
        .order_by(SurveyResponse.asked_at.desc(), SurveyResponse.id.desc())
        .limit(1)
    )


def record_rating(survey: SurveyResponse, rating: int, now: datetime) -> None:
    survey.rating = rating
    survey.rated_at = now
    survey.status = SurveyStatus.COMMENT


def record_comment(survey: SurveyResponse, comment: str | None) -> None:
    survey.comment = " ".join(comment.split())[:MAX_COMMENT] if comment else None
    survey.status = SurveyStatus.DONE


# --- results for staff -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Comment:
    rating: int
    text: str
    at: datetime


@dataclass(frozen=True, slots=True)
class Results:
    """One workshop's ratings: how many, the mean, how many of each score, and the comments."""

    asked: int
    count: int
    mean: float | None
    distribution: dict[int, int]
    comments: list[Comment]


def results(db: Session, workshop_id: int) -> Results:
    asked = (
        db.scalar(select(func.count()).select_from(SurveyResponse).where(SurveyResponse.workshop_id == workshop_id))
        or 0
    )
    rated = db.execute(
        select(SurveyResponse.rating, SurveyResponse.comment, SurveyResponse.rated_at)
        .where(SurveyResponse.workshop_id == workshop_id, SurveyResponse.rating.is_not(None))
        .order_by(SurveyResponse.rated_at, SurveyResponse.id)
    ).all()
    distribution = {n: 0 for n in RATINGS}
    comments = []
    scores: list[int] = []
    for rating, comment, at in rated:
        score = int(rating or 0)
        scores.append(score)
        distribution[score] += 1
        if comment:
            comments.append(Comment(score, comment, at or utcnow()))
    count = len(scores)
    mean = sum(scores) / count if count else None
    return Results(int(asked), count, mean, distribution, comments)


@dataclass(frozen=True, slots=True)
class WorkshopRating:
    workshop_id: int
    code: str
    title: str
    starts_at: datetime
    asked: int
    count: int
    mean: float | None


def overview(db: Session) -> list[WorkshopRating]:
    """Every surveyed workshop with its number of ratings and mean, newest first (the dashboard)."""
    stmt = (
        select(
            Workshop.id,
            Workshop.code,
            Workshop.title,
            Workshop.starts_at,
            func.count(SurveyResponse.id),
            func.count(SurveyResponse.rating),
            func.avg(SurveyResponse.rating),
        )
        .join(SurveyResponse, SurveyResponse.workshop_id == Workshop.id)
        .group_by(Workshop.id, Workshop.code, Workshop.title, Workshop.starts_at)
        .order_by(Workshop.starts_at.desc())
    )
    return [
        WorkshopRating(wid, code, title, starts, int(asked), int(count), float(mean) if mean is not None else None)
        for wid, code, title, starts, asked, count, mean in db.execute(stmt)
    ]


def csv_rows(db: Session, workshop_id: int) -> list[list[object]]:
    """Each rating of a workshop (no names: a rating is the owner's opinion, kept anonymous)."""
    rows = db.execute(
        select(SurveyResponse.rated_at, SurveyResponse.rating, SurveyResponse.comment)
        .where(SurveyResponse.workshop_id == workshop_id, SurveyResponse.rating.is_not(None))
        .order_by(SurveyResponse.rated_at, SurveyResponse.id)
    ).all()
    return [[at.isoformat() if at else "", rating, comment or ""] for at, rating, comment in rows]


@dataclass(frozen=True, slots=True)
class Total:
    count: int
    mean: float | None


def total(rows: list[WorkshopRating]) -> Total:
    """All ratings together: the mean weighted by each workshop's number of ratings."""
    count = sum(r.count for r in rows)
    weighted = sum(r.mean * r.count for r in rows if r.mean is not None)
    return Total(count, weighted / count if count else None)


def dashboard_csv_rows(rows: list[WorkshopRating]) -> list[list[object]]:
    """Rows for the dashboard CSV, in its five columns: section, key, asked, ratings, mean."""
    return [["satisfaction", r.code, r.asked, r.count, round(r.mean, 2) if r.mean is not None else ""] for r in rows]


def forget_user(db: Session, user_id: int) -> None:
    """Erasure: keep the anonymous score, drop the link to the person and their own words."""
    db.execute(
        update(SurveyResponse)
        .where(SurveyResponse.user_id == user_id)
        .values(user_id=None, comment=None)
        .execution_options(synchronize_session=False)
    )
