"""The main menu as quick replies, and small reply helpers every flow shares."""

from __future__ import annotations

from otopbot import cards
from otopbot.dialogue.turn import Turn
from otopbot.i18n import N_
from otopbot.nlu.tokens import tokenize
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


def choice(turn: Turn, label: str, postback: str, *, destructive: bool = False) -> Choice:
    """A postback button whose label is also what the chat shows when tapped.

    Labels are written to fit LINE's 20 characters (tests walk them all) rather than cut here: a label
    cut mid-word reads as a broken button. `destructive` (cancel, delete) sets it apart from the main action.
    """
    text = turn.t(label)
    return Choice(label=text, postback=postback, display_text=text, destructive=destructive)


MAX_LABEL = 20  # LINE's limit for quick-reply and template button labels


def word_ends(text: str) -> list[int]:
    """Offsets in `text` where a word ends (Thai words by the tokeniser, since Thai has no spaces)."""
    ends, at = [], 0
    for word in tokenize(text):
        found = text.find(word, at)
        if found < 0:
            break
        at = found + len(word)
        ends.append(at)
    return ends


def short_label(text: str, limit: int = MAX_LABEL) -> str:
    """A label from a longer title (content without its own short label): whole words, never "…"."""
    if len(text) <= limit:
        return text
    ends = [end for end in word_ends(text) if end <= limit]
    return text[: ends[-1]].rstrip(" /-–(,") if ends else text[:limit]


def main_menu(turn: Turn) -> tuple[Choice, ...]:
    actions = [choice(turn, label, data) for label, data in MAIN_ACTIONS]
    other_language = "English" if turn.t.lang == "th" else "ภาษาไทย"
    actions.append(
        Choice(label=other_language, postback=MenuAction(MenuItem.LANGUAGE).data, display_text=other_language)
    )
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
    replies = keep_choices_visible(replies)
    if len(replies) <= limit:
        return replies
    return replies[: limit - 1] + replies[-1:]


def _needs_choices(reply: Reply) -> bool:
    return isinstance(reply, Text) and reply.needs_choices


def keep_choices_visible(replies: list[Reply]) -> list[Reply]:
    """Never send "which of these?" without the choices.

    LINE shows only the last message's quick replies, so such a question goes last (after a form's
    pending question, which comes back once a choice is tapped); one with no choices is left out.
    """
    asking = [r for r in replies if _needs_choices(r) and r.quick_replies]
    others = [r for r in replies if not _needs_choices(r)]
    return others + asking[-1:]


def category_label(turn: Turn, category: str | None) -> str:
    return cards.category_label(turn.t, category)
