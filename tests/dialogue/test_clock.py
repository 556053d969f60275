"""Dates read the Thai way: Bangkok time, Thai weekday and month, Buddhist year."""

from __future__ import annotations

from datetime import UTC, datetime

from otopbot.clock import day_and_time, span


def test_thai_dates_use_the_buddhist_year_and_bangkok_time() -> None:
    late_thursday_utc = datetime(2026, 12, 10, 19, 0, tzinfo=UTC)  # already Friday in Bangkok
    assert day_and_time(late_thursday_utc, "th") == "ศ. 11 ธ.ค. 2569, 02:00 น."
    assert day_and_time(late_thursday_utc, "en") == "Fri 11 Dec 2026, 02:00"


def test_a_one_day_workshop_shows_its_hours() -> None:
    start = datetime(2026, 12, 12, 2, 0, tzinfo=UTC)
    end = datetime(2026, 12, 12, 9, 0, tzinfo=UTC)
    assert span(start, end, "th") == "ส. 12 ธ.ค. 2569, 09:00–16:00 น."
