"""DIP's selection of registered enterprises: filter the list, select or decline, tell the enterprise.

The decision and the LINE message to the enterprise are written in one transaction, so an
enterprise is never told about a decision that was rolled back (nor left untold).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from otopbot.db import utcnow
from otopbot.i18n import Translator
from otopbot.models import LineUser, Registration, RegistrationStatus
from otopbot.replies import Text
from otopbot.services import outbox, registrations


@dataclass(frozen=True, slots=True)
class RegistrationFilter:
    """Staff's filter over registrations; None or "" means any."""

    status: str | None = None
    category: str | None = None
    province: str | None = None
    region: str | None = None
    enterprise_type: str | None = None
    search: str | None = None


class DecisionError(ValueError):
    """The registration cannot take this decision (unknown, erased, or same status)."""


def query(flt: RegistrationFilter) -> Select[Registration]:
    """Build the filtered query, newest first; erased registrations are left out."""
    stmt = select(Registration).where(Registration.erased_at.is_(None))
    for column, value in (
        (Registration.status, flt.status),
        (Registration.category, flt.category),
        (Registration.province, flt.province),
        (Registration.region, flt.region),
        (Registration.enterprise_type, flt.enterprise_type),
    ):
        if value:
            stmt = stmt.where(column == value)
    if flt.search:
        like = f"%{flt.search.strip()}%"
        reference = registrations.reference_from(flt.search) or like
        stmt = stmt.where(
            Registration.enterprise_name.ilike(like)
            | Registration.contact_name.ilike(like)
            | Registration.phone.ilike(like)
            | Registration.ce_number.ilike(like)
            | Registration.reference.ilike(reference)
        )
    return stmt.order_by(Registration.created_at.desc(), Registration.id.desc())


def find(db: Session, flt: RegistrationFilter, *, limit: int | None = None, offset: int = 0) -> list[Registration]:
    stmt = query(flt).offset(offset)
    if limit is not None:
        stmt = stmt.limit(limit)
    return list(db.scalars(stmt))


def distinct_values(db: Session, column: str) -> list[str]:
    """Values present in the data, for filter drop-downs (provinces, regions)."""
    col = getattr(Registration, column)
    return [v for v in db.scalars(select(col).distinct().order_by(col)) if v]


def decision_message(t: Translator, registration: Registration, status: str, note: str | None) -> str:
    """The text the enterprise reads on LINE, in its own language."""
    name = registration.enterprise_name or ""
    if status == RegistrationStatus.SELECTED:
        text = t(
            "Good news! {name} has been selected for the OTOP technology transfer programme. "
            'DSS staff will contact you about workshops; you can also book one here: type "workshops".',
            name=name,
        )
    else:
        text = t(
            "Thank you for registering {name}. This time your enterprise was not selected for the "
            "programme. You can still ask us about product standards at any time.",
            name=name,
        )
    if note:
        text += "\n" + t("Note from staff: {note}", note=note.strip())
    return text


def decide(
    db: Session,
    registration_id: int,
    status: str,
    note: str | None,
    *,
    locales_dir: Path,
    now: datetime | None = None,
) -> Registration:
    """Select or decline a registration and queue the LINE message telling the enterprise."""
    if status not in (RegistrationStatus.SELECTED, RegistrationStatus.DECLINED):
        raise DecisionError(f"not a decision: {status!r}")
    registration = db.get(Registration, registration_id, with_for_update=True)
    if registration is None or registration.erased_at is not None:
        raise DecisionError("registration not found")
    if registration.status == status and (registration.status_note or "") == (note or ""):
        raise DecisionError("registration already has this status")
    now = now or utcnow()
    registration.status = status
    registration.status_note = (note or "").strip() or None
    registration.decided_at = now
    registration.updated_at = now
    user = db.get(LineUser, registration.user_id) if registration.user_id else None
    if user is not None:
        t = Translator(locales_dir, registration.language or user.language)
        outbox.push(db, user, [Text(decision_message(t, registration, status, registration.status_note))])
    return registration
