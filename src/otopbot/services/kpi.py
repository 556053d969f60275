"""Programme figures for the dashboard: enterprises registered, selected and trained against the target.

Users who deleted their data leave an anonymous `ErasureRecord`; it is added to the live rows
(whose erased registrations are skipped) so the programme's totals never shrink when someone
leaves. "Trained" means the enterprise attended at least one workshop (a checked-in booking).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from otopbot.clock import BANGKOK
from otopbot.models import (
    Booking,
    BookingStatus,
    ErasureRecord,
    Question,
    QuestionKind,
    QuestionStatus,
    Registration,
    RegistrationStatus,
    Workshop,
    WorkshopStatus,
)
from otopbot.nlu.types import Category

TARGET_ENTERPRISES = 10_000

UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Breakdown:
    """Registered / selected / trained for one group (a category or a region)."""

    key: str
    registered: int
    selected: int
    trained: int


@dataclass(frozen=True, slots=True)
class WeekPoint:
    week_start: date
    registered: int  # new registrations in that week
    cumulative: int


@dataclass(frozen=True, slots=True)
class WorkshopFill:
    code: str
    title: str
    starts_at: datetime
    capacity: int
    confirmed: int
    waiting: int
    attended: int

    @property
    def fill_rate(self) -> float:
        return self.confirmed / self.capacity if self.capacity else 0.0


@dataclass(frozen=True, slots=True)
class Summary:
    target: int
    registered: int
    selected: int
    trained: int
    by_category: list[Breakdown]
    by_region: list[Breakdown]
    weekly: list[WeekPoint]
    workshops: list[WorkshopFill]
    questions_open: int
    questions_by_staff: int
    questions_closed: int
    questions_by_bot: int
    erased_users: int


def _trained_user_ids(db: Session) -> set[int]:
    stmt = select(Booking.user_id).where(Booking.checked_in_at.is_not(None), Booking.user_id.is_not(None)).distinct()
    return {uid for uid in db.scalars(stmt) if uid is not None}


def _breakdown(db: Session, field: str, trained_ids: set[int]) -> list[Breakdown]:
    """Live rows plus erasure records, grouped by `field` (category or region)."""
    groups: dict[str, list[int]] = {}
    live = select(getattr(Registration, field), Registration.status, Registration.user_id).where(
        Registration.erased_at.is_(None)
    )
    for key, status, user_id in db.execute(live):
        row = groups.setdefault(key or UNKNOWN, [0, 0, 0])
        row[0] += 1
        row[1] += status == RegistrationStatus.SELECTED
        row[2] += user_id in trained_ids
    erased = select(
        getattr(ErasureRecord, field),
        ErasureRecord.was_registered,
        ErasureRecord.was_selected,
        ErasureRecord.had_attended,
    )
    for key, registered, selected, attended in db.execute(erased):
        if registered or selected or attended:
            row = groups.setdefault(key or UNKNOWN, [0, 0, 0])
            row[0] += bool(registered)
            row[1] += bool(selected)
            row[2] += bool(attended)
    return [Breakdown(k, *v) for k, v in groups.items()]


def _ordered(rows: list[Breakdown], order: list[str]) -> list[Breakdown]:
    by_key = {r.key: r for r in rows}
    known = [by_key.pop(k, Breakdown(k, 0, 0, 0)) for k in order]
    return known + sorted(by_key.values(), key=lambda r: r.key)


def _trained_without_registration(db: Session, trained_ids: set[int]) -> int:
    """Attendees who never registered still count as trained enterprises."""
    registered = set(db.scalars(select(Registration.user_id).where(Registration.user_id.is_not(None))))
    return len(trained_ids - registered)


def weekly(db: Session, weeks: int = 12, today: date | None = None) -> list[WeekPoint]:
    """New registrations per week (Monday start, Bangkok time) over the last `weeks` weeks."""
    today = today or datetime.now(BANGKOK).date()
    first = today - timedelta(days=today.weekday()) - timedelta(weeks=weeks - 1)
    counts = [0] * weeks
    before = 0
    for created in db.scalars(select(Registration.created_at)):
        day = created.astimezone(BANGKOK).date()
        index = (day - first).days // 7
        if index < 0:
            before += 1
        elif index < weeks:
            counts[index] += 1
    points, running = [], before
    for i, n in enumerate(counts):
        running += n
        points.append(WeekPoint(first + timedelta(weeks=i), n, running))
    return points


def workshop_fill(db: Session, limit: int = 30) -> list[WorkshopFill]:
    per_status = {
        (wid, status): n
        for wid, status, n in db.execute(
            select(Booking.workshop_id, Booking.status, func.coalesce(func.sum(Booking.seats), 0)).group_by(
                Booking.workshop_id, Booking.status
            )
        )
    }
    attended = dict(
        db.execute(
            select(Booking.workshop_id, func.count())
            .where(Booking.checked_in_at.is_not(None))
            .group_by(Booking.workshop_id)
        ).all()
    )
    stmt = (
        select(Workshop)
        .where(Workshop.status != WorkshopStatus.CANCELLED)
        .order_by(Workshop.starts_at.desc())
        .limit(limit)
    )
    return [
        WorkshopFill(
            w.code,
            w.title,
            w.starts_at,
            w.capacity,
            int(per_status.get((w.id, BookingStatus.CONFIRMED), 0)),
            int(per_status.get((w.id, BookingStatus.WAITLISTED), 0)),
            int(attended.get(w.id, 0)),
        )
        for w in db.scalars(stmt)
    ]


def summary(db: Session, today: date | None = None) -> Summary:
    trained_ids = _trained_user_ids(db)
    by_category = _ordered(_breakdown(db, "category", trained_ids), [c.value for c in Category])
    by_region = sorted(_breakdown(db, "region", trained_ids), key=lambda r: -r.registered)
    staff_questions = Question.kind != QuestionKind.ANSWERED_BY_BOT
    question_counts = dict(
        db.execute(select(Question.status, func.count()).where(staff_questions).group_by(Question.status)).all()
    )
    by_bot = db.scalar(select(func.count()).select_from(Question).where(~staff_questions)) or 0
    return Summary(
        target=TARGET_ENTERPRISES,
        registered=sum(r.registered for r in by_category),
        selected=sum(r.selected for r in by_category),
        trained=sum(r.trained for r in by_category) + _trained_without_registration(db, trained_ids),
        by_category=by_category,
        by_region=by_region,
        weekly=weekly(db, today=today),
        workshops=workshop_fill(db),
        questions_open=int(question_counts.get(QuestionStatus.OPEN, 0)),
        questions_by_staff=int(question_counts.get(QuestionStatus.ANSWERED, 0)),
        questions_closed=int(question_counts.get(QuestionStatus.CLOSED, 0)),
        questions_by_bot=int(by_bot),
        erased_users=db.scalar(select(func.count()).select_from(ErasureRecord)) or 0,
    )


def csv_rows(s: Summary) -> list[list[object]]:
    """The dashboard's figures as rows for a CSV file (English headers, stable for spreadsheets)."""
    rows: list[list[object]] = [
        ["section", "key", "registered", "selected", "trained"],
        ["total", "all", s.registered, s.selected, s.trained],
        ["target", "all", s.target, "", ""],
    ]
    rows += [["category", b.key, b.registered, b.selected, b.trained] for b in s.by_category]
    rows += [["region", b.key, b.registered, b.selected, b.trained] for b in s.by_region]
    rows += [["week", p.week_start.isoformat(), p.registered, p.cumulative, ""] for p in s.weekly]
    rows += [["workshop", w.code, w.capacity, w.confirmed, w.attended] for w in s.workshops]
    rows += [
        ["questions", "open", s.questions_open, "", ""],
        ["questions", "answered_by_staff", s.questions_by_staff, "", ""],
        ["questions", "closed", s.questions_closed, "", ""],
        ["questions", "answered_by_bot", s.questions_by_bot, "", ""],
        ["erasures", "all", s.erased_users, "", ""],
    ]
    return rows
