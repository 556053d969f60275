"""Time in the programme's zone (Asia/Bangkok); stored instants are always aware UTC."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

BANGKOK = ZoneInfo("Asia/Bangkok")


def local(instant: datetime) -> datetime:
    return instant.astimezone(BANGKOK)


def today_in_bangkok(instant: datetime) -> date:
    return local(instant).date()
