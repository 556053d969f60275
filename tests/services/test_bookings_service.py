"""Seat allocation under concurrency, promotion rules, reminders exactly once, and the sample programme."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from otopbot.db import Database
from otopbot.models import Booking, LineUser, OutboxMessage, Workshop, WorkshopStatus
from otopbot.services import bookings, notices, reminders
from otopbot.services.bookings import Outcome
from otopbot.services.workshops import load_sample_workshops
from otopbot.settings import Settings

NOW = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)


def _workshop(db: Database, *, capacity: int, taken: int = 0, days: int = 10) -> int:
    start = NOW + timedelta(days=days)
    with db.transaction() as s:
        w = Workshop(
            code=f"W{capacity}-{taken}-{days}",
            title="เวิร์กช็อป",
            category="food",
            venue="ห้องประชุม",
            province="ขอนแก่น",
            region="northeast",
            starts_at=start,
            ends_at=start + timedelta(hours=7),
            capacity=capacity,
            seats_taken=taken,
            registration_deadline=start - timedelta(days=1),
            status=WorkshopStatus.OPEN,
        )
        s.add(w)
        s.flush()
        return w.id


def _users(db: Database, n: int) -> list[int]:
    with db.transaction() as s:
        users = [LineUser(line_user_id=f"U{i:032d}") for i in range(n)]
        s.add_all(users)
        s.flush()
        return [u.id for u in users]


def _book(
    db: Database, user_id: int, workshop_id: int, seats: int, *, waitlist: bool = False, now: datetime = NOW
) -> bookings.BookingResult:
    with db.transaction() as s:
        return bookings.book(
            s, s.get_one(LineUser, user_id), s.get_one(Workshop, workshop_id), seats, now, waitlist=waitlist
        )


def test_a_hundred_concurrent_bookings_for_the_last_five_seats_confirm_exactly_five(database: Database) -> None:
    workshop = _workshop(database, capacity=30, taken=25)
    users = _users(database, 100)
    outcomes: list[str] = []
    errors: list[BaseException] = []
    start = threading.Barrier(20)

    def worker(chunk: list[int]) -> None:
        try:
            start.wait()
            for uid in chunk:
                outcomes.append(_book(database, uid, workshop, 1, waitlist=True).outcome)
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(users[i::20],)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert outcomes.count(Outcome.CONFIRMED) == 5 and outcomes.count(Outcome.WAITLISTED) == 95
    with database.transaction() as s:
        assert s.get_one(Workshop, workshop).seats_taken == 30
        confirmed = s.scalar(select(func.count()).select_from(Booking).where(Booking.status == "confirmed"))
        assert confirmed == 5


def test_a_full_workshop_reports_the_waiting_list_position_without_booking(database: Database) -> None:
    workshop = _workshop(database, capacity=1, taken=1)
    a, b = _users(database, 2)
    assert _book(database, a, workshop, 1, waitlist=True).position == 1
    result = _book(database, b, workshop, 1)
    assert (result.outcome, result.position, result.booking) == (Outcome.FULL, 2, None)


def test_promotion_skips_a_group_that_does_not_fit_and_tells_each_promoted_user(database: Database) -> None:
    workshop = _workshop(database, capacity=3)
    holder, other, big, small = _users(database, 4)
    held = _book(database, holder, workshop, 2).booking
    _book(database, other, workshop, 1)
    _book(database, big, workshop, 3, waitlist=True)
    _book(database, small, workshop, 2, waitlist=True)
    with database.transaction() as s:
        promoted = bookings.cancel_booking(s, s.get_one(Booking, held.id), NOW)
        assert [p.user_id for p in promoted] == [small]
        assert notices.seats_opened(s, promoted) == 1
        assert s.get_one(Workshop, workshop).seats_taken == 3
        (push,) = s.scalars(select(OutboxMessage)).all()
        assert push.recipients == [s.get_one(LineUser, small).line_user_id] and "ข่าวดี" in push.payload[0]["text"]


def test_fewer_seats_free_them_for_the_waiting_list_and_more_seats_are_taken_only_if_free(database: Database) -> None:
    workshop_id = _workshop(database, capacity=4)
    first, second = _users(database, 2)
    _book(database, first, workshop_id, 4)
    _book(database, second, workshop_id, 2, waitlist=True)
    with database.transaction() as db:
        booking = db.scalars(select(Booking).where(Booking.user_id == first)).one()
        assert bookings.change_seats(db, booking, 5, NOW)[0] == bookings.SeatChange.FULL
        outcome, promoted = bookings.change_seats(db, booking, 2, NOW)
        assert outcome == bookings.SeatChange.CHANGED and [b.user_id for b in promoted] == [second]
    with database.transaction() as db:
        assert db.get(Workshop, workshop_id).seats_taken == 4
        booking = db.scalars(select(Booking).where(Booking.user_id == first)).one()
        assert bookings.change_seats(db, booking, 3, NOW)[0] == bookings.SeatChange.FULL
        assert booking.seats == 2


def test_bookings_close_at_the_deadline(database: Database) -> None:
    workshop = _workshop(database, capacity=5, days=1)
    (user,) = _users(database, 1)
    assert _book(database, user, workshop, 1, now=NOW + timedelta(hours=1)).outcome == Outcome.CLOSED


def test_booking_codes_are_six_unambiguous_characters(database: Database) -> None:
    workshop = _workshop(database, capacity=50)
    codes = {_book(database, uid, workshop, 1).booking.code for uid in _users(database, 30)}
    assert len(codes) == 30
    assert all(len(c) == 6 and not set(c) & set("IL01O") for c in codes)


def _reminders(db: Database, now: datetime) -> int:
    with db.transaction() as s:
        return notices.remind(s, reminders.claim_due(s, now))


def test_reminders_go_the_day_before_exactly_once(database: Database) -> None:
    workshop = _workshop(database, capacity=10, days=3)
    users = _users(database, 3)
    for uid in users[:2]:
        _book(database, uid, workshop, 1)
    _book(database, users[2], workshop, 1)
    with database.transaction() as s:
        bookings.cancel_booking(s, s.scalars(select(Booking).where(Booking.user_id == users[2])).one(), NOW)
    start = NOW + timedelta(days=3)  # 10:00 Bangkok
    assert _reminders(database, start - timedelta(days=2)) == 0
    day_before = start - timedelta(hours=22)  # 12:00 the day before
    assert _reminders(database, day_before) == 2
    assert _reminders(database, day_before + timedelta(minutes=1)) == 0
    with database.transaction() as s:
        rows = s.scalars(select(OutboxMessage)).all()
        assert len(rows) == 2 and all("พรุ่งนี้" in r.payload[0]["text"] for r in rows)


def test_two_workers_queue_each_reminder_once(database: Database) -> None:
    workshop = _workshop(database, capacity=20, days=2)
    for uid in _users(database, 10):
        _book(database, uid, workshop, 1)
    counts: list[int] = []
    when = NOW + timedelta(days=1, hours=3)
    threads = [threading.Thread(target=lambda: counts.append(_reminders(database, when))) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(counts) == 10
    with database.transaction() as s:
        assert s.scalar(select(func.count()).select_from(OutboxMessage)) == 10


def test_sample_workshops_load_once_and_cover_every_category_and_region(database: Database, settings: Settings) -> None:
    with database.transaction() as s:
        added = load_sample_workshops(s, settings.content_dir, NOW)
    with database.transaction() as s:
        again = load_sample_workshops(s, settings.content_dir, NOW)
        rows = s.scalars(select(Workshop)).all()
    assert added == len(rows) >= 20 and again == 0
    assert {w.category for w in rows} == {"food", "ceramics", "glass", "rubber", "paper"}
    assert {w.region for w in rows} == {"north", "northeast", "central", "east", "west", "south"}
    assert all(NOW < w.registration_deadline < w.starts_at < w.ends_at for w in rows)
