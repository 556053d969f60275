"""Finding workshops: filter by what the user said (else their registration), show a carousel.

```mermaid
flowchart LR
    ask([list_workshops / menu:workshops / book without a workshop]) --> filters[category, province, date from the message<br/>else from the registration]
    filters --> found{found?}
    found -- yes --> carousel[≤10 cards: date, place, seats left, Book]
    found -- no --> relax[other dates → same region → elsewhere → other categories]
    relax --> carousel
    relax -- nothing at all --> none[no workshops open + menu]
```
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from otopbot import cards
from otopbot.dialogue.menu import category_label, with_menu
from otopbot.dialogue.turn import Turn
from otopbot.i18n import N_
from otopbot.models import Workshop
from otopbot.replies import Carousel, Reply, Text
from otopbot.services import registrations
from otopbot.services import workshops as service
from otopbot.services.bookings import MAX_SEATS
from otopbot.services.workshops import WorkshopQuery

RELAXED_MESSAGES = {
    "other_dates": N_("I found nothing on those dates — here are other dates:"),
    "same_region": N_("Nothing in {province} yet — here are workshops nearby in the same region:"),
    "elsewhere": N_("Nothing near you yet — here are {category} workshops in other provinces:"),
    "other_categories": N_("No {category} workshops are open for booking right now — here are other upcoming "
                           "workshops:"),
}


def title_of(workshop: Workshop, lang: str) -> str:
    return cards.workshop_title(workshop, lang)


def query_for(db: Session, turn: Turn) -> WorkshopQuery:
    """What the user asked for, falling back to their registered category and province."""
    entities = turn.understanding.entities if turn.understanding else None
    registration = registrations.for_user(db, turn.user)
    category = entities.category if entities and entities.category else None
    province = entities.province if entities and entities.province else None
    if registration is not None:
        category = category or registration.category
        province = province or registration.province
    return WorkshopQuery(category=category, province=province, on_or_after=entities.date if entities else None)


def carousel(turn: Turn, found: list[Workshop], seats: int | None = None) -> Carousel:
    shown = tuple(cards.workshop_card(turn.t, w, seats=seats) for w in found[:10])
    return Carousel(shown, alt_text=turn.t("{n} workshops you can book", n=len(shown)))


def _requested_seats(turn: Turn) -> int | None:
    count = turn.understanding.entities.count if turn.understanding else None
    return count if count is not None and 1 <= count <= MAX_SEATS else None


def list_workshops(db: Session, turn: Turn) -> list[Reply]:
    """Show bookable workshops matching the request, or the nearest alternatives."""
    query = query_for(db, turn)
    finding = service.find(db, turn.now, query)
    if not finding.workshops:
        return [with_menu(turn, turn.t(
            "There are no workshops open for booking right now. New ones are announced here in LINE."))]
    if finding.relaxed:
        intro = turn.t(RELAXED_MESSAGES[finding.relaxed], province=query.province or "",
                       category=category_label(turn, query.category))
    else:
        intro = turn.t("Here are the workshops you can book. Tap “Book” on the one you want:")
    return [Text(intro), carousel(turn, finding.workshops, _requested_seats(turn))]
