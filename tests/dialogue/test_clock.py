"""Dates read the Thai way: Bangkok time, Thai weekday and month, Buddhist year."""

from __future__ import annotations

from datetime import UTC, datetime

from otopbot.clock import day_and_time, form_datetime, parse_form_datetime, span


def test_thai_dates_use_the_buddhist_year_and_bangkok_time() -> None:
    late_thursday_utc = datetime(2026, 12, 10, 19, 0, tzinfo=UTC)  # already Friday in Bangkok
    assert day_and_time(late_thursday_utc, "th") == "ศ. 11 ธ.ค. 2569, 02:00 น."
    assert day_and_time(late_thursday_utc, "en") == "Fri 11 Dec 2026, 02:00"


def test_a_one_day_workshop_shows_its_hours() -> None:
    start = datetime(2026, 12, 12, 2, 0, tzinfo=UTC)
    end = datetime(2026, 12, 12, 9, 0, tzinfo=UTC)
    assert span(start, end, "th") == "ส. 12 ธ.ค. 2569, 09:00–16:00 น."


def test_a_calendar_date_is_written_the_same_way_as_an_instant() -> None:
    from datetime import date

    from otopbot.clock import day

    assert day(date(2025, 11, 25), "th") == "อ. 25 พ.ย. 2568"
    assert day(date(2025, 11, 25), "en") == "Tue 25 Nov 2025"


def test_only_the_clock_writes_buddhist_era_dates() -> None:
    """Months and the +543 year live in otopbot/clock.py; nlu/dates.py only reads them."""
    import re
    from pathlib import Path

    src = Path(__file__).resolve().parents[2] / "src" / "otopbot"
    writers = re.compile(r"[\"']ธ\.ค\.[\"']|\+\s*543\b|BUDDHIST_ERA_OFFSET")  # a month table, a year sum
    offenders = [
        str(p.relative_to(src))
        for p in src.rglob("*.py")
        if p.name != "clock.py" and p.relative_to(src).parts[0] != "nlu" and writers.search(p.read_text())
    ]
    assert offenders == []


def test_form_dates_read_day_month_buddhist_year_and_parse_back() -> None:
    late_thursday_utc = datetime(2026, 12, 10, 19, 0, tzinfo=UTC)
    assert form_datetime(late_thursday_utc, "th") == "11/12/2569 02:00"
    assert form_datetime(late_thursday_utc, "en") == "11/12/2026 02:00"
    assert parse_form_datetime("11/12/2569 02:00") == late_thursday_utc
    assert parse_form_datetime("11/12/2026 02:00") == late_thursday_utc
