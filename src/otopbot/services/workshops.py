"""Finding upcoming workshops for an enterprise, and loading the sample programme.

A search that finds nothing is relaxed step by step (other dates, the same region, anywhere,
other categories) so the user is always offered the nearest alternatives rather than a dead end.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from otopbot import yamlfile
from otopbot.clock import BANGKOK, local
from otopbot.errors import ContentError
from otopbot.models import Workshop, WorkshopStatus
from otopbot.nlu import gazetteer

MAX_RESULTS = 10
DATE_WINDOW_DAYS = 7  # "12 ธ.ค." or "next week" means that day and the week after it


@dataclass(frozen=True, slots=True)
class WorkshopQuery:
    category: str | None = None
    province: str | None = None
    region: str | None = None
    on_or_after: date | None = None  # a local (Bangkok) date
    until: date | None = None  # the last day of a period (เดือนนี้); else a week from on_or_after
    exclude: tuple[int, ...] = ()  # workshops already shown ("มีรอบอื่นไหม")


@dataclass(frozen=True, slots=True)
class Finding:
    """What was found and, if the query had to be relaxed, how (a RELAXATIONS key)."""

    workshops: list[Workshop]
    relaxed: str | None = None


def bookable(db: Session, now: datetime, query: WorkshopQuery, limit: int = MAX_RESULTS) -> list[Workshop]:
    """Open workshops still taking bookings that match the query, soonest first."""
    stmt = select(Workshop).where(
        Workshop.status == WorkshopStatus.OPEN,
        Workshop.starts_at > now,
        Workshop.registration_deadline > now,
    )
    if query.category:
        stmt = stmt.where(Workshop.category == query.category)
    if query.province:
        stmt = stmt.where(Workshop.province == query.province)
    if query.region:
        stmt = stmt.where(Workshop.region == query.region)
    if query.on_or_after:
        start = datetime.combine(query.on_or_after, time(0), BANGKOK)
        end = (
            datetime.combine(query.until + timedelta(days=1), time(0), BANGKOK)
            if query.until
            else start + timedelta(days=DATE_WINDOW_DAYS)
        )
        stmt = stmt.where(Workshop.starts_at >= start, Workshop.starts_at < end)
    if query.exclude:
        stmt = stmt.where(Workshop.id.not_in(query.exclude))
    return list(db.scalars(stmt.order_by(Workshop.starts_at, Workshop.id).limit(limit)))


def _other_dates(q: WorkshopQuery) -> WorkshopQuery | None:
    return replace(q, on_or_after=None, until=None) if q.on_or_after else None


def _same_region(q: WorkshopQuery) -> WorkshopQuery | None:
    region = gazetteer.region_of(q.province) if q.province else None
    return replace(q, province=None, region=region, on_or_after=None, until=None) if region else None


def _elsewhere(q: WorkshopQuery) -> WorkshopQuery | None:
    if not (q.province or q.region):
        return None
    return replace(q, province=None, region=None, on_or_after=None, until=None)


def _other_categories(q: WorkshopQuery) -> WorkshopQuery | None:
    return WorkshopQuery(exclude=q.exclude) if q.category else None


RELAXATIONS: dict[str, Callable[[WorkshopQuery], WorkshopQuery | None]] = {
    "other_dates": _other_dates,
    "same_region": _same_region,
    "elsewhere": _elsewhere,
    "other_categories": _other_categories,
}


def find(db: Session, now: datetime, query: WorkshopQuery) -> Finding:
    """Matching workshops, else the first relaxation of the query that finds some."""
    found = bookable(db, now, query)
    if found:
        return Finding(found)
    for name, relax in RELAXATIONS.items():
        relaxed = relax(query)
        if relaxed is not None and (found := bookable(db, now, relaxed)):
            return Finding(found, name)
    return Finding([])


def get(db: Session, workshop_id: int) -> Workshop | None:
    return db.get(Workshop, workshop_id)


def is_bookable(workshop: Workshop, now: datetime) -> bool:
    return workshop.status == WorkshopStatus.OPEN and workshop.starts_at > now and workshop.registration_deadline > now


# --- sample programme -------------------------------------------------------------------------


def _at(now: datetime, days: int, clock: str) -> datetime:
    hours, minutes = (int(part) for part in clock.split(":"))
    when = datetime.combine(local(now).date() + timedelta(days=days), time(hours, minutes), BANGKOK)
    return when.astimezone(now.tzinfo)


def sample_workshop(item: dict[str, Any], now: datetime) -> Workshop:
    days = int(item["starts_in_days"])
    region = gazetteer.region_of(item["province"])
    if region is None:
        raise ValueError(f"workshops.yml: unknown province {item['province']!r} in {item['code']}")
    return Workshop(
        code=item["code"],
        title=item["title"],
        title_en=item.get("title_en"),
        category=item["category"],
        description=item.get("description", ""),
        venue=item["venue"],
        province=item["province"],
        region=region,
        starts_at=_at(now, days, item.get("start", "09:00")),
        ends_at=_at(now, days + int(item.get("days", 1)) - 1, item.get("end", "16:00")),
        capacity=int(item["capacity"]),
        seats_taken=0,
        registration_deadline=_at(now, days - int(item.get("deadline_days_before", 3)), "23:59"),
        status=WorkshopStatus.OPEN,
    )


SAMPLE_KEYS = ("code", "title", "category", "venue", "province", "starts_in_days", "capacity")


def _checked_sample(path: Path, number: int, item: dict[str, Any], now: datetime) -> Workshop:
    """One sample workshop, or a ContentError naming the file and the item."""
    try:
        return sample_workshop(item, now)
    except (KeyError, TypeError, ValueError) as error:
        raise ContentError(
            f"{path}: workshop {number} ({item.get('code')!r}) is invalid: {type(error).__name__} {error}"
        ) from None


def read_sample_workshops(content_dir: Path) -> tuple[Path, list[dict[str, Any]]]:
    """bot/seed/workshops.yml as a list of workshop mappings; ContentError when missing or malformed."""
    path = content_dir / "seed" / "workshops.yml"
    data = yamlfile.read(path)
    if not isinstance(data, dict) or "workshops" not in data:
        raise ContentError(f"{path}: expected a mapping with a 'workshops' list")
    return path, yamlfile.list_of_mappings(path, data["workshops"], SAMPLE_KEYS, "workshops")


def load_sample_workshops(db: Session, content_dir: Path, now: datetime) -> int:
    """Add the sample workshops of bot/seed/workshops.yml that are not there yet (by code); return how many."""
    path, items = read_sample_workshops(content_dir)
    existing = set(db.scalars(select(Workshop.code)))
    added = 0
    for number, item in enumerate(items, start=1):
        if item["code"] in existing:
            continue
        db.add(_checked_sample(path, number, item, now))
        existing.add(item["code"])
        added += 1
    db.flush()
    return added
