"""What the NLU returns: the contract the dialogue layer and the evaluation rely on."""

from __future__ import annotations

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
    date: date | None = None
    phone: str | None = None  # digits only
    count: int | None = None


@dataclass(frozen=True, slots=True)
class Understanding:
    text: str
    intent: str  # an Intent value
    confidence: float
    entities: Entities = field(default_factory=Entities)

    def to_json(self) -> dict[str, Any]:
        ents = asdict(self.entities)
        ents["date"] = self.entities.date.isoformat() if self.entities.date else None
        return {"text": self.text, "intent": self.intent, "confidence": round(self.confidence, 4), "entities": ents}
