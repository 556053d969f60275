"""Time in the programme's zone (Asia/Bangkok) and the way Thai users read it (Buddhist era).

Stored instants are always aware UTC; everything a user reads is on Bangkok's clock.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from otopbot.settings import TIME_ZONE

BANGKOK = ZoneInfo(TIME_ZONE)
BUDDHIST_ERA_OFFSET = 543


_TH_WEEKDAYS = ("จ.", "อ.", "พ.", "พฤ.", "ศ.", "ส.", "อา.")
_TH_MONTHS = (
    "ม.ค.",
    "ก.พ.",
    "มี.ค.",
    "เม.ย.",
    "พ.ค.",
    "มิ.ย.",
    "ก.ค.",
    "ส.ค.",
    "ก.ย.",
    "ต.ค.",
    "พ.ย.",
    "ธ.ค.",
)
_EN_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_EN_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def day(moment: datetime | date, lang: str) -> str:
    """`ศ. 12 ธ.ค. 2569` in Thai, `Fri 12 Dec 2026` in English (an instant is read on Bangkok's clock)."""
    when = local(moment) if isinstance(moment, datetime) else moment
    if lang == "en":
        return f"{_EN_WEEKDAYS[when.weekday()]} {when.day} {_EN_MONTHS[when.month - 1]} {when.year}"
    year = when.year + BUDDHIST_ERA_OFFSET
    return f"{_TH_WEEKDAYS[when.weekday()]} {when.day} {_TH_MONTHS[when.month - 1]} {year}"


def hour_minute(moment: datetime, lang: str) -> str:
    """`09:00 น.` in Thai, `09:00` in English."""
    hhmm = local(moment).strftime("%H:%M")
    return hhmm if lang == "en" else f"{hhmm} น."


def day_and_time(moment: datetime, lang: str) -> str:
    """`ศ. 12 ธ.ค. 2569, 09:00 น.`"""
    return f"{day(moment, lang)}, {hour_minute(moment, lang)}"


def span(start: datetime, end: datetime, lang: str) -> str:
    """A workshop's time: `ศ. 12 ธ.ค. 2569, 09:00–16:00 น.` (or two days when it runs over several)."""
    if local(start).date() == local(end).date():
        end_clock = local(end).strftime("%H:%M")
        start_clock = local(start).strftime("%H:%M")
        suffix = "" if lang == "en" else " น."
        return f"{day(start, lang)}, {start_clock}–{end_clock}{suffix}"
    return f"{day_and_time(start, lang)} – {day(end, lang)}"


def local(instant: datetime) -> datetime:
    """The same instant on Bangkok's clock."""
    return instant.astimezone(BANGKOK)


def today_in_bangkok(instant: datetime) -> date:
    return local(instant).date()


def month_year(when: date, lang: str) -> str:
    """`ธ.ค. 2569` in Thai, `Dec 2026` in English: when a fact was last checked."""
    if lang == "en":
        return f"{_EN_MONTHS[when.month - 1]} {when.year}"
    return f"{_TH_MONTHS[when.month - 1]} {when.year + BUDDHIST_ERA_OFFSET}"


def form_date(when: date, lang: str) -> str:
    """`12/12/2569` in Thai (day/month/Buddhist-era year, as staff write dates), `12/12/2026` in English."""
    year = when.year if lang == "en" else when.year + BUDDHIST_ERA_OFFSET
    return f"{when.day:02d}/{when.month:02d}/{year}"


def form_datetime(moment: datetime, lang: str) -> str:
    """`12/12/2569 09:00` on Bangkok's clock: the value a console form shows for an instant."""
    return f"{form_date(local(moment).date(), lang)} {local(moment).strftime('%H:%M')}"


def parse_form_date(text: str) -> date:
    """The date staff typed as day/month/year; a year past 2400 is Buddhist era (ISO is accepted too).

    Raises ValueError when it is not a date.
    """
    text = text.strip()
    if "/" not in text:
        return date.fromisoformat(text)
    day_, month, year = (int(part) for part in text.split("/"))
    return date(year - BUDDHIST_ERA_OFFSET if year > 2400 else year, month, day_)


def parse_form_datetime(text: str) -> datetime:
    """Bangkok wall-clock time from `12/12/2569 09:00` (or ISO `2026-12-12T09:00`); raises ValueError."""
    text = text.strip()
    if "/" not in text:
        return datetime.fromisoformat(text).replace(tzinfo=BANGKOK)
    day_part, _, clock_part = text.partition(" ")
    hour, minute = (int(part) for part in (clock_part.strip() or "00:00").split(":"))
    on = parse_form_date(day_part)
    return datetime(on.year, on.month, on.day, hour, minute, tzinfo=BANGKOK)
