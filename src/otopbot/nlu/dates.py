"""Dates as Thai owners type them, resolved against a given `today`.

Handles: วันนี้ พรุ่งนี้ มะรืน; อีก 3 วัน / 2 สัปดาห์; weekdays with นี้ / หน้า (วันศุกร์นี้,
ศุกร์หน้า); "วันที่ 15" (next 15th); day + Thai or English month (full, short กรกฎา, abbreviated
ก.ค. or กค) with an optional year in Buddhist era (2568, 68) or CE (2025, 25); 15/7/68; ISO
2025-07-15. Periods are ranges (`Found.until` is their last day; past days are never included):
สัปดาห์นี้ / อาทิตย์หน้า (Monday to Sunday), สุดสัปดาห์ / เสาร์อาทิตย์นี้, เดือนนี้ / เดือนหน้า, ต้น / กลาง / ปลายเดือน
(1–10, 11–20, 21–end), and a month alone (เดือนกรกฎาคม, เดือน 7). Text must already be normalised (Arabic digits,
lower case). pythainlp's thai_strptime needs a year and dateparser gets BE years wrong, hence
this module.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from pythainlp.util.date import thai_abbr_months, thai_full_month_lists, thai_full_months

_EN_MONTHS = [m.lower() for m in calendar.month_name[1:]]
_EN_ABBR = [m.lower() for m in calendar.month_abbr[1:]] + ["sept"]


def _month_forms() -> dict[str, int]:
    forms: dict[str, int] = {}
    for number, names in enumerate(thai_full_month_lists, start=1):
        for name in names:
            if not name.isdigit():
                forms[name] = number
    for number, abbr in enumerate(thai_abbr_months, start=1):
        forms[abbr] = number
        forms[abbr.replace(".", "")] = number  # กค, มิย
        forms[abbr.rstrip(".")] = number  # ก.ค
    for number, name in enumerate(thai_full_months, start=1):
        forms[name] = number
    forms["กรกฎา"] = 7
    forms["กรกฏาคม"] = forms["กรกฏา"] = 7  # a common misspelling
    forms["พฤศจิ"] = 11
    for number, name in enumerate(_EN_MONTHS, start=1):
        forms[name] = number
    for number, name in enumerate(_EN_ABBR[:12], start=1):
        forms[name] = number
        forms[name + "."] = number
    forms["sept"] = 9
    return forms


MONTHS = _month_forms()
_MONTH_RX = "|".join(re.escape(m) for m in sorted(MONTHS, key=len, reverse=True))
# A month named alone (no day) must be unmistakable: full or short Thai names, or "เดือน N".
_ALONE = [m for m in MONTHS if not m.isascii() and "." not in m and len(m) >= 4]
_ALONE_RX = "|".join(re.escape(m) for m in sorted(_ALONE, key=len, reverse=True))

_TH_WEEKDAYS = {
    "จันทร์": 0,
    "จันท์": 0,
    "อังคาร": 1,
    "พุธ": 2,
    "พฤหัสบดี": 3,
    "พฤหัส": 3,
    "พฤหัด": 3,
    "ศุกร์": 4,
    "ศุก": 4,
    "เสาร์": 5,
    "เสา": 5,
    "อาทิตย์": 6,
}
_EN_WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
_EN_WEEKDAYS.update({name.lower(): i for i, name in enumerate(calendar.day_abbr)})
_WD_RX = "|".join(sorted(_TH_WEEKDAYS, key=len, reverse=True))
_EN_WD_RX = "|".join(sorted(_EN_WEEKDAYS, key=len, reverse=True))

_DAY = r"(?<!\d)(?P<d>[12]\d|3[01]|0?[1-9])(?!\d)"
_YEAR = r"(?:\s*(?:พ\.?ศ\.?|ค\.?ศ\.?|ปี)?\s*(?P<y>\d{4}|\d{2})(?!\d))?"


@dataclass(frozen=True, slots=True)
class Found:
    value: date  # the day, or the first day of a period
    start: int
    end: int
    until: date | None = None  # the last day of a period


Resolved = date | tuple[date, date] | None


def year_from(text: str | None, today: date) -> int | None:
    """2568/68 (Buddhist era) or 2025/25 (CE) → CE year; None when absent."""
    if not text:
        return None
    y = int(text)
    if len(text) == 2:
        y = y + 2500 - 543 if y >= 50 else 2000 + y
    elif y >= 2400:
        y -= 543
    return y


def _safe(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _upcoming(today: date, month: int, day: int) -> date | None:
    """The next date (today or later) with this month and day."""
    for year in (today.year, today.year + 1):
        found = _safe(year, month, day)
        if found and found >= today:
            return found
    return None


def _next_day_of_month(today: date, day: int) -> date | None:
    """ "วันที่ 15": the 15th of this month, or of the next month that has one if it has passed."""
    y, m = today.year, today.month
    for _ in range(13):
        found = _safe(y, m, day)
        if found and found >= today:
            return found
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return None


def _weekday(today: date, weekday: int, next_week: bool) -> date:
    if next_week:  # ศุกร์หน้า: that weekday in the (Monday-based) week after this one
        monday = today - timedelta(days=today.weekday()) + timedelta(days=7)
        return monday + timedelta(days=weekday)
    return today + timedelta(days=(weekday - today.weekday()) % 7)


def _first_of_next_month(today: date) -> date:
    return date(today.year + 1, 1, 1) if today.month == 12 else date(today.year, today.month + 1, 1)


def _month_end(day: date) -> date:
    return date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])


def _month_alone(today: date, month: int) -> tuple[date, date]:
    if month == today.month:
        return today, _month_end(today)
    year = today.year if month > today.month else today.year + 1
    first = date(year, month, 1)
    return first, _month_end(first)


def _from_today(today: date, first: date, last: date) -> tuple[date, date]:
    """A period with its past days cut off (workshops that have begun cannot be booked)."""
    return max(first, today), last


Rule = tuple[re.Pattern[str], Callable[[re.Match[str], date], Resolved]]


def _dmy(m: re.Match[str], today: date) -> date | None:
    month = MONTHS[m.group("m")] if m.group("m") in MONTHS else int(m.group("m"))
    year = year_from(m.group("y"), today)
    day = int(m.group("d"))
    return _safe(year, month, day) if year else _upcoming(today, month, day)


def _relative(m: re.Match[str], today: date) -> date | None:
    n, unit = int(m.group("n")), m.group("u")
    if unit in ("วัน", "day", "days"):
        return today + timedelta(days=n)
    if unit in ("สัปดาห์", "อาทิตย์", "week", "weeks"):
        return today + timedelta(weeks=n)
    month = today.month - 1 + n
    return _safe(today.year + month // 12, month % 12 + 1, 1)


_WORDS = {
    "วันนี้": 0,
    "today": 0,
    "คืนนี้": 0,
    "tonight": 0,
    "พรุ่งนี้": 1,
    "พรุ้งนี้": 1,
    "พุ่งนี้": 1,
    "tomorrow": 1,
    "tmr": 1,
    "มะรืนนี้": 2,
    "มะรืน": 2,
    "day after tomorrow": 2,
    "เมื่อวาน": -1,
    "yesterday": -1,
}


def _word(m: re.Match[str], today: date) -> date:
    return today + timedelta(days=_WORDS[m.group(0)])


_PART_DAYS = {
    "ต้น": (1, 10),
    "early": (1, 10),
    "beginning": (1, 10),
    "กลาง": (11, 20),
    "mid": (11, 20),
    "ปลาย": (21, 31),
    "end": (21, 31),
    "late": (21, 31),
}


def _week_month(m: re.Match[str], today: date) -> tuple[date, date]:
    """สัปดาห์นี้ / อาทิตย์หน้า / เดือนนี้ / ปลายเดือนหน้า / this week / early next month …"""
    word = m.group(0)
    following = "หน้า" in word or "next" in word
    if "เดือน" in word or "month" in word:
        first = _first_of_next_month(today) if following else today.replace(day=1)
        last = _month_end(first)
        part = m.group("tp") or m.group("tq") or m.group("ep") or m.group("eq")
        if part:
            low, high = _PART_DAYS[part]
            first, last = first.replace(day=low), min(last, first.replace(day=min(high, last.day)))
            if last < today and not following:  # ปลายเดือน said on the 31st … : the month after
                return _week_month(m, _first_of_next_month(today))
        return _from_today(today, first, last)
    monday = today - timedelta(days=today.weekday()) + timedelta(days=7 if following else 0)
    if "สุด" in word or "weekend" in word or "เสาร์" in word:  # เสาร์อาทิตย์นี้: the weekend
        return _from_today(today, monday + timedelta(days=5), monday + timedelta(days=6))
    return _from_today(today, monday, monday + timedelta(days=6))


def _th_weekday(m: re.Match[str], today: date) -> date:
    return _weekday(today, _TH_WEEKDAYS[m.group("w")], m.group("s") == "หน้า")


def _en_weekday(m: re.Match[str], today: date) -> date:
    return _weekday(today, _EN_WEEKDAYS[m.group("w")], m.group("s") == "next")


_RULES: list[Rule] = [
    (
        re.compile(r"(?<!\d)(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?!\d)"),
        lambda m, t: _safe(int(m.group("y")), int(m.group("m")), int(m.group("d"))),
    ),
    (
        re.compile(
            rf"(?:วันที่|วัน|ที่)?\s*{_DAY}(?P<sep>[/.-])(?P<m>1[0-2]|0?[1-9])"
            rf"(?:(?P=sep)(?P<y>\d{{4}}|\d{{2}}))?(?![\d.:])"
        ),
        _dmy,
    ),
    (
        re.compile(
            rf"(?:วันที่|วัน|ที่|the)?\s*{_DAY}(?:st|nd|rd|th)?\s*(?:of\s+)?"
            rf"(?:เดือน\s*)?(?P<m>{_MONTH_RX})(?![a-z]){_YEAR}"
        ),
        _dmy,
    ),
    (
        re.compile(
            rf"(?<![a-z])(?P<m>{'|'.join(_EN_MONTHS + _EN_ABBR)})\.?\s+{_DAY}"
            rf"(?:st|nd|rd|th)?(?:,?\s*(?P<y>\d{{4}}))?"
        ),
        _dmy,
    ),
    (re.compile(r"(?:อีก\s*|in\s+)(?P<n>\d{1,2})\s*(?P<u>วัน|สัปดาห์|อาทิตย์|เดือน|days?|weeks?|months?)"), _relative),
    (re.compile(r"(?P<n>\d{1,2})\s*(?P<u>วัน|สัปดาห์|อาทิตย์|เดือน)ข้างหน้า"), _relative),
    (re.compile("|".join(sorted((re.escape(w) for w in _WORDS), key=len, reverse=True))), _word),
    (
        re.compile(
            rf"(?:วัน)(?P<w>{_WD_RX})\s*(?P<s>นี้|หน้า|ที่จะถึง)?"
            rf"|(?P<w2>{_WD_RX.replace('|อาทิตย์', '')})\s*(?P<s2>นี้|หน้า|ที่จะถึง)?"
        ),
        lambda m, t: _weekday(t, _TH_WEEKDAYS[m.group("w") or m.group("w2")], (m.group("s") or m.group("s2")) == "หน้า"),
    ),
    (
        re.compile(
            r"(?:(?P<tp>ต้น|กลาง|ปลาย)\s*)?เดือน\s*(?:หน้า|นี้)"
            rf"|(?P<tq>ต้น|กลาง|ปลาย)\s*เดือน(?!\s*(?:{_ALONE_RX}|\d))"
            r"|(?:(?P<ep>early|mid|late|end)[\s-]+(?:of\s+)?(?:the\s+)?)?(?:next|this)\s+month"
            r"|(?P<eq>early|mid|late|end)[\s-]+of\s+(?:the\s+)?month"
            r"|(?:สุด)?(?:สัปดาห์|อาทิตย์|อาทิต)\s*(?:หน้า|นี้)|สุดสัปดาห์|(?:next|this)\s+week(?:end)?|weekend"
            r"|(?:วัน)?เสาร์\s*[-–]?\s*(?:วัน)?อาทิตย์\s*(?:หน้า|นี้)?"
        ),
        _week_month,
    ),
    (re.compile(rf"(?<![a-z])(?:(?P<s>next|this|on)\s+)?(?P<w>{_EN_WD_RX})(?![a-z])"), _en_weekday),
    (re.compile(rf"วันที่\s*{_DAY}"), lambda m, t: _next_day_of_month(t, int(m.group("d")))),
    (
        re.compile(rf"(?:เดือน\s*)?(?P<m>{_ALONE_RX})|เดือน\s*(?P<n>1[0-2]|0?[1-9])(?!\d)"),
        lambda m, t: _month_alone(t, MONTHS[m.group("m")] if m.group("m") else int(m.group("n"))),
    ),
]


def find_date(norm: str, today: date) -> Found | None:
    """The leftmost (then longest) date expression in normalised text, resolved."""
    best: tuple[int, int, date | tuple[date, date]] | None = None
    for pattern, resolve in _RULES:
        for m in pattern.finditer(norm):
            start = m.start() + (len(m.group(0)) - len(m.group(0).lstrip()))
            if best is not None and (start, -m.end()) >= (best[0], -best[1]):
                break
            value = resolve(m, today)
            if value is not None:
                best = (start, m.end(), value)
                break
    if best is None:
        return None
    start, end, value = best
    if isinstance(value, tuple):
        return Found(value[0], start, end, value[1])
    return Found(value, start, end)
