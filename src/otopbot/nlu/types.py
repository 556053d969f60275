"""What the NLU returns: the contract the dialogue layer and the evaluation rely on."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any


class Intent(StrEnum):
    GREET = "greet"
    HELP = "help"
    REGISTER_INTEREST = "register_interest"
    LIST_WORKSHOPS = "list_workshops"
    BOOK_WORKSHOP = "book_workshop"
    MY_BOOKINGS = "my_bookings"
    CANCEL_BOOKING = "cancel_booking"
    ASK_STANDARD = "ask_standard"
    CONTACT_STAFF = "contact_staff"
    THANKS = "thanks"
    DELETE_MY_DATA = "delete_my_data"
    MY_DATA = "my_data"  # see what is kept (never erase)
    OUT_OF_SCOPE = "out_of_scope"


class Category(StrEnum):
    FOOD = "food"
    CERAMICS = "ceramics"
    GLASS = "glass"
    RUBBER = "rubber"
    PAPER = "paper"


@dataclass(frozen=True, slots=True)
class Entities:
    category: str | None = None  # a Category value
    province: str | None = None  # official Thai name, e.g. "นครราชสีมา"
    date: date | None = None  # a day, or the first day of a period (สัปดาห์หน้า, เดือนนี้)
    phone: str | None = None  # digits only
    count: int | None = None
    date_end: dt.date | None = None  # the last day of a period; None for a single day
    region: str | None = None  # north, northeast, central, east, west, south (ภาคใต้, อีสาน)
    widen: str | None = None  # "other" (ที่อื่น, มีรอบอื่นไหม) or "all" (ทุกจังหวัด): drop the place
    follow_up: bool = False  # แล้ว…ล่ะ: refines the previous request rather than starting anew
    scheme: str | None = None  # another government scheme (คนละครึ่ง, ธ.ก.ส. loans…), out of our scope


@dataclass(frozen=True, slots=True)
class Understanding:
    text: str
    intent: str  # an Intent value
    confidence: float
    entities: Entities = field(default_factory=Entities)

    def to_json(self) -> dict[str, Any]:
        ents = asdict(self.entities)
        for key in ("date", "date_end"):
            value = getattr(self.entities, key)
            ents[key] = value.isoformat() if value else None
        return {"text": self.text, "intent": self.intent, "confidence": round(self.confidence, 4), "entities": ents}
