"""The main menu as quick replies, and small reply helpers every flow shares."""

from __future__ import annotations

from otopbot import cards
from otopbot.dialogue.turn import Turn
from otopbot.i18n import N_
from otopbot.postbacks import MenuAction, MenuItem, MyData, MyDataStep
from otopbot.replies import Choice, Reply, Text

# (label msgid, postback data); the same actions as the rich menu
MAIN_ACTIONS: tuple[tuple[str, str], ...] = (
    (N_("Register"), MenuAction(MenuItem.REGISTER).data),
    (N_("Workshops"), MenuAction(MenuItem.WORKSHOPS).data),
    (N_("My bookings"), MenuAction(MenuItem.MY_BOOKINGS).data),
    (N_("Standards Q&A"), MenuAction(MenuItem.STANDARDS).data),
    (N_("Contact staff"), MenuAction(MenuItem.CONTACT).data),
    (N_("My data"), MyData(MyDataStep.SHOW).data),
)


def choice(turn: Turn, label: str, postback: str) -> Choice:
    """A postback button whose label (≤20 characters) is also what the chat shows when tapped."""
    text = turn.t(label)
    return Choice(label=text[:20], postback=postback, display_text=text)


def main_menu(turn: Turn) -> tuple[Choice, ...]:
    actions = [choice(turn, label, data) for label, data in MAIN_ACTIONS]
    other_language = "English" if turn.t.lang == "th" else "ภาษาไทย"
    actions.append(Choice(label=other_language, postback=MenuAction(MenuItem.LANGUAGE).data, display_text=other_language))
    return tuple(actions)


def with_menu(turn: Turn, text: str) -> Text:
    return Text(text, main_menu(turn))


def what_i_can_do(turn: Turn) -> str:
    return turn.t(
        "I can help you to:\n• register your enterprise's interest in the DSS/DIP technology-transfer programme\n"
        "• find and book workshops near you\n• answer questions about product standards (มผช., อย., มอก.)\n"
        "• pass your question to our staff\nType what you need, or choose below."
    )


def fit(replies: list[Reply], limit: int = 5) -> list[Reply]:
    """LINE takes at most five messages per reply; keep the first ones and the last (the question)."""
    if len(replies) <= limit:
        return replies
    return replies[: limit - 1] + replies[-1:]


def category_label(turn: Turn, category: str | None) -> str:
    return cards.category_label(turn.t, category)
