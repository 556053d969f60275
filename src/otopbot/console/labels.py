"""Display names of the programme's codes (categories, regions, statuses), as msgids for the catalogs."""

from __future__ import annotations

from otopbot.i18n import N_
from otopbot.services.registrations import HELP_LABELS

CATEGORIES = {
    "food": N_("Processed food"),
    "ceramics": N_("Ceramics"),
    "glass": N_("Glass and mirror"),
    "rubber": N_("Rubber"),
    "paper": N_("Pulp and paper"),
}
REGIONS = {
    "north": N_("North"),
    "northeast": N_("Northeast"),
    "central": N_("Central"),
    "east": N_("East"),
    "west": N_("West"),
    "south": N_("South"),
    "bangkok": N_("Bangkok"),
}
ENTERPRISE_TYPES = {
    "community_enterprise": N_("Community enterprise"),
    "sme": N_("SME"),
    "individual": N_("Individual producer"),
}
REGISTRATION_STATUSES = {"pending": N_("Pending"), "selected": N_("Selected"), "declined": N_("Declined")}
WORKSHOP_STATUSES = {"open": N_("Open"), "closed": N_("Closed"), "cancelled": N_("Cancelled")}
BOOKING_STATUSES = {"confirmed": N_("Confirmed"), "waitlisted": N_("Waiting list"), "cancelled": N_("Cancelled")}
BROADCAST_STATUSES = {
    "draft": N_("Draft"),
    "scheduled": N_("Scheduled"),
    "sending": N_("Sending"),
    "sent": N_("Sent"),
    "cancelled": N_("Cancelled"),
}
QUESTION_KINDS = {"unanswered": N_("Unanswered question"), "contact": N_("Asked to talk to staff")}
QUESTION_STATUSES = {"open": N_("Open"), "answered": N_("Answered"), "closed": N_("Closed")}
LANGUAGE_NAMES = {"th": N_("Thai"), "en": N_("English")}
ROLES = {"admin": N_("Administrator"), "dip": N_("DIP (registrations)"), "dss": N_("DSS (workshops)")}
HELP_CODES = HELP_LABELS  # one mapping for chat and console

TABLES: dict[str, dict[str, str]] = {
    "category": CATEGORIES,
    "region": REGIONS,
    "enterprise_type": ENTERPRISE_TYPES,
    "registration_status": REGISTRATION_STATUSES,
    "workshop_status": WORKSHOP_STATUSES,
    "booking_status": BOOKING_STATUSES,
    "broadcast_status": BROADCAST_STATUSES,
    "question_kind": QUESTION_KINDS,
    "question_status": QUESTION_STATUSES,
    "language": LANGUAGE_NAMES,
    "role": ROLES,
    "help": HELP_CODES,
}


def msgid(table: str, code: str | None) -> str | None:
    """The msgid naming `code`, or None when the code is not one we know (shown as is)."""
    return TABLES.get(table, {}).get(code or "")
