"""Enterprise registrations of interest: submit, edit, look up, and erase their personal fields."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from otopbot.models import LineUser, Registration, RegistrationStatus
from otopbot.nlu import gazetteer

HELP_TOPICS = ("production", "innovation", "standards", "packaging", "testing")
PERSONAL_FIELDS = ("enterprise_name", "ce_number", "district", "products", "contact_name", "phone")


@dataclass(frozen=True, slots=True)
class Submitted:
    registration: Registration
    created: bool  # False when an existing registration was edited


def for_user(db: Session, user: LineUser) -> Registration | None:
    """The user's registration, if they have one that was not erased."""
    return db.scalar(select(Registration).where(Registration.user_id == user.id, Registration.erased_at.is_(None)))


def _region(province: str) -> str:
    region = gazetteer.region_of(province)
    if region is None:
        raise ValueError(f"unknown province {province!r}")
    return region


def _help_codes(value: Any) -> str:
    codes = [code for code in (value or []) if code in HELP_TOPICS]
    return ",".join(codes)


def _apply(registration: Registration, values: Mapping[str, Any]) -> None:
    registration.enterprise_name = values["enterprise_name"]
    registration.enterprise_type = values["enterprise_type"]
    registration.ce_number = values.get("ce_number")
    registration.province = values["province"]
    registration.district = values.get("district")
    registration.region = _region(values["province"])
    registration.category = values["category"]
    registration.products = values["products"]
    registration.contact_name = values["contact_name"]
    registration.phone = values["phone"]
    registration.help_wanted = _help_codes(values.get("help_wanted"))


def submit(db: Session, user: LineUser, values: Mapping[str, Any], now: datetime) -> Submitted:
    """Create the user's registration (pending DIP's selection) or update the one they have."""
    registration = for_user(db, user)
    created = registration is None
    if registration is None:
        registration = Registration(user_id=user.id, status=RegistrationStatus.PENDING, created_at=now)
        db.add(registration)
    _apply(registration, values)
    registration.language = user.language
    registration.updated_at = now
    db.flush()
    return Submitted(registration, created)


def form_values(registration: Registration) -> dict[str, Any]:
    """The registration as the registration form's slot values, to show or correct."""
    return {
        "enterprise_name": registration.enterprise_name,
        "enterprise_type": registration.enterprise_type,
        "ce_number": registration.ce_number,
        "province": registration.province,
        "district": registration.district,
        "category": registration.category,
        "products": registration.products,
        "contact_name": registration.contact_name,
        "phone": registration.phone,
        "help_wanted": [c for c in registration.help_wanted.split(",") if c],
    }


def erase(registration: Registration, now: datetime) -> None:
    """Null the personal fields and unlink the user; keep category, region and status for statistics."""
    for name in PERSONAL_FIELDS:
        setattr(registration, name, None)
    registration.user_id = None
    registration.status_note = None
    registration.erased_at = now
    registration.updated_at = now
