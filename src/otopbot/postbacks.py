"""Postback data, typed: every `data` string the bot puts on a button is rendered and parsed here.

A postback comes back from outside (a phone, or anyone holding the channel secret), so parsing is
strict: ASCII digits for ids, bounded integers, bounded codes. Anything else — an unknown prefix,
a malformed id, a number out of the database's range — parses to `Unknown`, which the router logs
(its reason only, never the data) and answers with the help menu. Nothing here raises.

| data                       | type            | sent by                                  |
|----------------------------|-----------------|------------------------------------------|
| `menu:<item>`              | `MenuAction`    | rich menu, main-menu quick replies       |
| `mydata:show` · `mydata:edit` | `MyData`     | "My data" buttons                        |
| `erase:ask|yes|no`         | `Erase`         | "Delete my data" and its Confirm         |
| `book:<id>[:<seats>]`      | `Book`          | workshop cards (chat and broadcasts)     |
| `wait:<id>:<seats>`        | `JoinWaitlist`  | "join the waiting list?" Confirm         |
| `cancel:<code>`            | `CancelBooking` | booking cards                            |
| `cancelok:<code>` · `keep:<code>` | `ConfirmCancel` · `KeepBooking` | "cancel this booking?" Confirm |
| `seats:<code>:<n>`         | `ChangeSeats`   | "change to n seats?" Confirm             |
| `kb:topic:<entry id>`      | `Topic`         | related and nearest standards topics     |
| `kb:more:<entry id>[:<facet>]` | `TopicMore` | "อ่านเพิ่ม" under a facet answer          |
| `kb:facet:<entry id>:<facet>` | `TopicFacet` | the other facets offered by "อ่านเพิ่ม"   |
| `form:<value>`             | `FormAnswer`    | the form engine's choices                |
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

MAX_DATA = 300  # LINE's limit on postback data
MAX_ID = 2**31 - 1  # the largest id an INTEGER column holds (PostgreSQL and SQLite alike)
DIGITS = re.compile(r"[0-9]{1,10}")  # ASCII only: str.isdigit() accepts "²" and Thai digits
BOOKING_CODE = re.compile(r"[A-Z0-9]{1,16}")
ENTRY_ID = re.compile(r"[A-Za-z0-9_.-]{1,200}")
FACET_ID = re.compile(r"[a-z0-9-]{1,64}")


class MenuItem(StrEnum):
    REGISTER = "register"
    WORKSHOPS = "workshops"
    MY_BOOKINGS = "my_bookings"
    STANDARDS = "standards"
    CONTACT = "contact"
    LANGUAGE = "language"
    HELP = "help"


class MyDataStep(StrEnum):
    SHOW = "show"
    EDIT = "edit"


class EraseStep(StrEnum):
    ASK = "ask"
    YES = "yes"
    NO = "no"


@dataclass(frozen=True, slots=True)
class MenuAction:
    item: MenuItem

    @property
    def data(self) -> str:
        return f"menu:{self.item}"


@dataclass(frozen=True, slots=True)
class MyData:
    step: MyDataStep

    @property
    def data(self) -> str:
        return f"mydata:{self.step}"


@dataclass(frozen=True, slots=True)
class Erase:
    step: EraseStep

    @property
    def data(self) -> str:
        return f"erase:{self.step}"


@dataclass(frozen=True, slots=True)
class Book:
    """Book a workshop; `seats` when the user already said how many."""

    workshop_id: int
    seats: int | None = None

    @property
    def data(self) -> str:
        return f"book:{self.workshop_id}" + (f":{self.seats}" if self.seats else "")


@dataclass(frozen=True, slots=True)
class JoinWaitlist:
    workshop_id: int
    seats: int

    @property
    def data(self) -> str:
        return f"wait:{self.workshop_id}:{self.seats}"


@dataclass(frozen=True, slots=True)
class CancelBooking:
    """Ask to confirm cancelling the booking with this code."""

    code: str

    @property
    def data(self) -> str:
        return f"cancel:{self.code}"


@dataclass(frozen=True, slots=True)
class ConfirmCancel:
    code: str

    @property
    def data(self) -> str:
        return f"cancelok:{self.code}"


@dataclass(frozen=True, slots=True)
class KeepBooking:
    code: str

    @property
    def data(self) -> str:
        return f"keep:{self.code}"


@dataclass(frozen=True, slots=True)
class ChangeSeats:
    """Change the booking with this code to `seats` seats (confirmed by a tap)."""

    code: str
    seats: int

    @property
    def data(self) -> str:
        return f"seats:{self.code}:{self.seats}"


@dataclass(frozen=True, slots=True)
class Topic:
    """Show one knowledge-base entry."""

    entry_id: str

    @property
    def data(self) -> str:
        return f"kb:topic:{self.entry_id}"


@dataclass(frozen=True, slots=True)
class TopicMore:
    """Show the rest of an entry: its summary and its facets other than `shown`."""

    entry_id: str
    shown: str = ""

    @property
    def data(self) -> str:
        return f"kb:more:{self.entry_id}" + (f":{self.shown}" if self.shown else "")


@dataclass(frozen=True, slots=True)
class TopicFacet:
    """Show one facet (short answer) of an entry."""

    entry_id: str
    facet_id: str

    @property
    def data(self) -> str:
        return f"kb:facet:{self.entry_id}:{self.facet_id}"


@dataclass(frozen=True, slots=True)
class FormAnswer:
    """A tapped choice of the pending form question; the form engine checks the value."""

    value: str

    @property
    def data(self) -> str:
        return f"form:{self.value}"


@dataclass(frozen=True, slots=True)
class SurveyAnswer:
    """`survey:<id>:<1–5>` a rating tapped, or `survey:<id>:skip` no comment."""

    survey_id: int
    choice: str  # "1" … "5" or "skip"

    @property
    def data(self) -> str:
        return f"survey:{self.survey_id}:{self.choice}"


@dataclass(frozen=True, slots=True)
class Unknown:
    """Data the bot never sends (forged, stale or cut); `reason` is safe to log, the data is not kept."""

    reason: str

    @property
    def data(self) -> str:
        return ""


Postback = (
    MenuAction
    | MyData
    | Erase
    | Book
    | JoinWaitlist
    | CancelBooking
    | ConfirmCancel
    | KeepBooking
    | ChangeSeats
    | Topic
    | TopicMore
    | TopicFacet
    | FormAnswer
    | SurveyAnswer
    | Unknown
)


def _id(text: str) -> int | None:
    """A positive database id written in ASCII digits, else None."""
    if DIGITS.fullmatch(text) is None:
        return None
    value = int(text)
    return value if 0 < value <= MAX_ID else None


def _seats(text: str) -> int | None:
    return int(text) if DIGITS.fullmatch(text) and len(text) <= 3 else None


def _book(rest: str) -> Postback:
    workshop, *more = rest.split(":")
    workshop_id = _id(workshop)
    seats = _seats(more[0]) if len(more) == 1 else None
    if workshop_id is None or len(more) > 1 or (more and seats is None):
        return Unknown("malformed book")
    return Book(workshop_id, seats or None)


def _wait(rest: str) -> Postback:
    workshop, _, count = rest.partition(":")
    workshop_id, seats = _id(workshop), _seats(count)
    if workshop_id is None or seats is None:
        return Unknown("malformed wait")
    return JoinWaitlist(workshop_id, seats)


def _change_seats(rest: str) -> Postback:
    code, _, count = rest.partition(":")
    seats = _seats(count)
    if not BOOKING_CODE.fullmatch(code) or seats is None:
        return Unknown("malformed seat change")
    return ChangeSeats(code, seats)


def _code(kind: Callable[[str], Postback]) -> Callable[[str], Postback]:
    def parse(rest: str) -> Postback:
        return kind(rest) if BOOKING_CODE.fullmatch(rest) else Unknown("malformed booking code")

    return parse


def _enum(kind: Callable[[str], Postback], values: type[StrEnum]) -> Callable[[str], Postback]:
    def parse(rest: str) -> Postback:
        return kind(rest) if rest in set(values) else Unknown("unknown step")

    return parse


def _topic(rest: str) -> Postback:
    kind, _, target = rest.partition(":")
    entry_id, _, facet_id = target.partition(":") if kind in ("more", "facet") else (target, "", "")
    if not ENTRY_ID.fullmatch(entry_id) or (facet_id and not FACET_ID.fullmatch(facet_id)):
        return Unknown("malformed topic")
    if kind == "topic":
        return Topic(entry_id)
    if kind == "more":
        return TopicMore(entry_id, facet_id)
    return TopicFacet(entry_id, facet_id) if kind == "facet" and facet_id else Unknown("malformed topic")


def _survey(rest: str) -> Postback:
    survey, _, choice = rest.partition(":")
    survey_id = _id(survey)
    if survey_id is None or choice not in ("1", "2", "3", "4", "5", "skip"):
        return Unknown("malformed survey answer")
    return SurveyAnswer(survey_id, choice)


def _form(rest: str) -> Postback:
    return FormAnswer(rest) if rest and rest.isprintable() else Unknown("malformed form answer")


PARSERS: dict[str, Callable[[str], Postback]] = {
    "menu": _enum(lambda rest: MenuAction(MenuItem(rest)), MenuItem),
    "mydata": _enum(lambda rest: MyData(MyDataStep(rest)), MyDataStep),
    "erase": _enum(lambda rest: Erase(EraseStep(rest)), EraseStep),
    "book": _book,
    "wait": _wait,
    "cancel": _code(CancelBooking),
    "cancelok": _code(ConfirmCancel),
    "keep": _code(KeepBooking),
    "seats": _change_seats,
    "kb": _topic,
    "survey": _survey,
    "form": _form,
}


def parse(data: str | None) -> Postback:
    """The typed postback for `data`; `Unknown` (never an exception) for anything the bot did not send."""
    text = (data or "").strip()
    if not text or len(text) > MAX_DATA:
        return Unknown("empty or too long")
    prefix, separator, rest = text.partition(":")
    parser = PARSERS.get(prefix)
    if parser is None or not separator:
        return Unknown("unknown prefix")
    return parser(rest)
