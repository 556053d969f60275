"""Enterprise registrations of interest: submit, edit, look up, and erase their personal fields."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from otopbot.i18n import N_
from otopbot.models import LineUser, Registration, RegistrationStatus
from otopbot.nlu import gazetteer
from otopbot.services import menus, owner_facts

# The help an owner can ask for, and its label: the chat's choices (bot/forms/registration.yml) and the
# console read the same msgids, so staff see the words the owner tapped (a test keeps the form in step).
HELP_LABELS = {
    "production": N_("Production process"),
    "innovation": N_("Product innovation"),
    "standards": N_("Standards"),
    "packaging": N_("Packaging"),
    "testing": N_("Testing"),
}
HELP_TOPICS = tuple(HELP_LABELS)
PERSONAL_FIELDS = ("enterprise_name", "ce_number", "district", "products", "contact_name", "phone", "reference")
# no 0/O, 1/I/L, 2/Z, 5/S, 8/B: an owner reads the reference to staff over the phone
REFERENCE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
REFERENCE_LENGTH = 4  # 25**4 = 390,625 numbers for a programme of ~10,000 enterprises


@dataclass(frozen=True, slots=True)
class Submitted:
    registration: Registration
    created: bool  # False when an existing registration was edited


def for_user(db: Session, user: LineUser) -> Registration | None:
    """The user's registration, if they have one that was not erased."""
    if (facts := owner_facts.known(db, user.id)) is not None:  # read with the sender (events.py)
        return facts.registration
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


def new_reference(db: Session) -> str:
    """A reference like R-7K3Q not yet used; the unique index is the last guard against a race."""
    while True:
        reference = "R-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))
        if db.scalar(select(Registration.id).where(Registration.reference == reference)) is None:
            return reference


def reference_from(text: str) -> str | None:
    """A reference as staff may type it from a phone call (r-7k3q, R7K3Q, "R 7K3Q"), written as stored."""
    code = "".join(ch for ch in text.upper() if ch.isalnum())
    if len(code) != REFERENCE_LENGTH + 1 or not code.startswith("R"):
        return None
    return f"R-{code[1:]}"


def submit(db: Session, user: LineUser, values: Mapping[str, Any], now: datetime) -> Submitted:
    """Create the user's registration (pending DIP's selection) or update the one they have."""
    registration = for_user(db, user)
    created = registration is None
    if registration is None:
        registration = Registration(
            user_id=user.id, status=RegistrationStatus.PENDING, created_at=now, reference=new_reference(db)
        )
        db.add(registration)
    _apply(registration, values)
    registration.language = user.language
    registration.updated_at = now
    if created:
        menus.queue(db, user, menus.REGISTERED)  # workshops and bookings first from now on
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
