"""Finding workshops: filter by what the user said (else their registration), show a carousel.

```mermaid
flowchart LR
    ask([list_workshops / menu:workshops / book without a workshop]) --> filters[category, province
    or region, period from the message]
    filters -- follow-up within 30 min (แล้ว…ล่ะ, ที่อื่น) --> last[the last search's other filters]
    filters -- otherwise --> reg[the registration's category and province]
    last --> found{found?}
    reg --> found
    found -- yes --> carousel[≤10 cards: date, place, seats left, Book]
    found -- no --> relax[other dates → same region → elsewhere → other categories]
    relax --> carousel
    relax -- nothing at all --> none[no workshops open + menu]
```
"""

from __future__ import annotations

import re
from dataclasses import replace

from sqlalchemy.orm import Session

from otopbot import cards
from otopbot.dialogue import memory, reading
from otopbot.dialogue.menu import category_label, with_menu
from otopbot.dialogue.turn import Turn
from otopbot.i18n import N_
from otopbot.models import Workshop
from otopbot.nlu.types import Entities
from otopbot.replies import Carousel, Reply, Text
from otopbot.services import registrations
from otopbot.services import workshops as service
from otopbot.services.bookings import MAX_SEATS
from otopbot.services.workshops import WorkshopQuery

RELAXED_MESSAGES = {
    "other_dates": N_("I found nothing on those dates — here are other dates:"),
    "same_region": N_("Nothing in {province} yet — here are workshops nearby in the same region:"),
    "elsewhere": N_("Nothing near you yet — here are {category} workshops in other provinces:"),
    "other_categories": N_(
        "No {category} workshops are open for booking right now — here are other upcoming workshops:"
    ),
}


def title_of(workshop: Workshop, lang: str) -> str:
    return cards.workshop_title(workshop, lang)


REGION_NAMES = {
    "north": N_("the North"),
    "northeast": N_("the Northeast (Isan)"),
    "central": N_("the Central region"),
    "east": N_("the East"),
    "west": N_("the West"),
    "south": N_("the South"),
}


def _registered(db: Session, turn: Turn) -> WorkshopQuery:
    registration = registrations.for_user(db, turn.user)
    if registration is None:
        return WorkshopQuery()
    return WorkshopQuery(category=registration.category, province=registration.province)


def _refine(base: WorkshopQuery, said: Entities, shown: tuple[int, ...]) -> WorkshopQuery:
    """This message's filters over the base ones; widening drops the place and the dates ("other" places
    or sessions also leave out what was shown, "all" provinces do not)."""
    query = base
    if said.province:
        query = replace(query, province=said.province, region=None)
    elif said.region:
        query = replace(query, province=None, region=said.region)
    if said.category:
        query = replace(query, category=said.category)
    if said.date:
        query = replace(query, on_or_after=said.date, until=said.date_end)
    if said.widen:
        places = {} if said.province or said.region else {"province": None, "region": None}
        dates = {} if said.date else {"on_or_after": None, "until": None}
        query = replace(query, **places, **dates, exclude=shown if said.widen == "other" else ())
    return query


WORKSHOP_WORDS = (
    "อบรม",
    "เวิร์กช็อป",
    "เวิร์คช็อป",
    "workshop",
    "workshops",
    "คอร์ส",
    "หลักสูตร",
    "training",
    "สัมมนา",
    "การอบรม",
)


# words for a workshop held at a distance ("มีอบรมออนไลน์ไหม", "เรียนผ่านซูมได้ไหม")
ONLINE_WORDS = ("ออนไลน์", "online", "ซูม", "zoom", "ไลฟ์", "live", "ทางไกล", "เว็บบินาร์", "webinar", "ผ่านเน็ต")
ONLINE_VENUE = re.compile(r"ออนไลน์|online|zoom|ซูม|webinar", re.IGNORECASE)


def asks_online(turn: Turn) -> bool:
    """The owner asks for a workshop to follow from home rather than at a venue."""
    return reading.read(turn.text or "").has(*ONLINE_WORDS)


def asks_online_workshop(turn: Turn) -> bool:
    """ "อบรมผ่านซูมได้ไหม": workshops named and wanted online (a question about bookings it is not)."""
    found = reading.read(turn.text or "")
    return found.has(*ONLINE_WORDS) and found.has(*WORKSHOP_WORDS)


# words asking what a workshop costs ("อบรมเสียเงินไหม"): the list holds no fees, so it says so
COST_WORDS = ("เสียเงิน", "เสียค่า", "ค่าใช้จ่าย", "ค่าอบรม", "กี่บาท", "ฟรี", "จ่ายเงิน", "ตังค์", "free", "cost", "fee")


def _asks_cost(turn: Turn) -> bool:
    found = reading.read(turn.text or "")
    return found.question and found.has(*COST_WORDS)


def _online_only(turn: Turn, found: list[Workshop]) -> tuple[list[Workshop], str]:
    """An online request: the online workshops, or honestly none (every one is at a venue) and the rest."""
    online = [w for w in found if ONLINE_VENUE.search(w.venue)]
    if online:
        return online, turn.t("Online workshops you can book:")
    return found, turn.t(
        "There are no online workshops at the moment: every workshop is held at a venue. "
        "Here are the ones you can book:"
    )


BOOKING_WORDS = ("จอง", "การจอง", "ที่นั่ง", "book", "booking", "seat", "seats")


def names_workshops(turn: Turn) -> bool:
    """The message names workshops or bookings in words, not only by the NLU's guess."""
    return reading.read(turn.text or "").has(*WORKSHOP_WORDS, *BOOKING_WORDS)


def _elliptic(turn: Turn, said: Entities) -> bool:
    """ "เดือนหน้ามีไหม", "มีที่ลำปางไหม" right after a search: a filter said without naming workshops
    again leans on the last search, as "แล้ว…ล่ะ" does."""
    if not (said.date or said.province or said.region or said.category):
        return False
    found = reading.read(turn.text or "")
    return not any(found.has(word) for word in WORKSHOP_WORDS)


def refines_last_search(db: Session, turn: Turn) -> bool:
    """A filter said alone ("มีเรื่องยางไหม") within 30 minutes of a search: it is about that search."""
    said = turn.understanding.entities if turn.understanding else Entities()
    return _elliptic(turn, said) and memory.last_search(db, turn.user, turn.now) is not None


def query_for(db: Session, turn: Turn) -> WorkshopQuery:
    """What the user asked for: a follow-up (แล้ว…ล่ะ, ที่อื่น) within 30 minutes refines the last search,
    anything else starts from their registered category and province."""
    said = turn.understanding.entities if turn.understanding else Entities()
    refines = said.follow_up or said.widen or _elliptic(turn, said)
    last = memory.last_search(db, turn.user, turn.now) if refines else None
    if last is not None:
        base = WorkshopQuery(
            category=last.category,
            province=last.province,
            region=last.region,
            on_or_after=last.first_day,
            until=last.last_day,
        )
        return _refine(base, said, last.shown)
    return _refine(_registered(db, turn), said, ())


def carousel(turn: Turn, found: list[Workshop], seats: int | None = None) -> Carousel:
    shown = tuple(cards.workshop_card(turn.t, w, seats=seats) for w in found[:10])
    return Carousel(shown, alt_text=turn.t("{n} workshops you can book", n=len(shown)))


def _requested_seats(turn: Turn) -> int | None:
    count = turn.understanding.entities.count if turn.understanding else None
    return count if count is not None and 1 <= count <= MAX_SEATS else None


def _intro(turn: Turn, query: WorkshopQuery, finding: service.Finding) -> str:
    if finding.relaxed:
        return turn.t(
            RELAXED_MESSAGES[finding.relaxed],
            province=query.province or "",
            category=category_label(turn, query.category),
        )
    if query.region and not query.province:
        return turn.t("Workshops in {region} you can book:", region=turn.t(REGION_NAMES[query.region]))
    if query.exclude:
        return turn.t("Here are other workshops you can book, in every province:")
    return turn.t("Here are the workshops you can book. Tap “Book” on the one you want:")


def list_workshops(db: Session, turn: Turn) -> list[Reply]:
    """Show bookable workshops matching the request, or the nearest alternatives; remember the search."""
    query = query_for(db, turn)
    finding = service.find(db, turn.now, query)
    if not finding.workshops and query.exclude:  # nothing besides what was shown: show it again
        query = replace(query, exclude=())
        finding = service.find(db, turn.now, query)
    said = turn.understanding.entities if turn.understanding else Entities()
    if finding.relaxed and query.category and not said.category and (said.region or said.province):
        # the place was said, the category only assumed (registration, last search): keep the place
        other = service.find(db, turn.now, replace(query, category=None))
        if other.workshops and not other.relaxed:
            query, finding = replace(query, category=None), other
    memory.remember_search(
        db,
        turn.user,
        memory.LastSearch(
            turn.now,
            query.category,
            query.province,
            query.region,
            query.on_or_after,
            query.until,
            tuple(w.id for w in finding.workshops[:10]),
        ),
    )
    if not finding.workshops:
        none = turn.t("There are no workshops open for booking right now. New ones are announced here in LINE.")
        return [with_menu(turn, none)]
    found, intro = list(finding.workshops), _intro(turn, query, finding)
    if asks_online(turn):
        found, intro = _online_only(turn, found)
    elif _asks_cost(turn):
        intro = turn.t(
            "The workshop list does not show fees: our staff can tell you (type “ติดต่อเจ้าหน้าที่”). "
            "Here are the ones you can book:"
        )
    return [Text(intro), carousel(turn, found, _requested_seats(turn))]
