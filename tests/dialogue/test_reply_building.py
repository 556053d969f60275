"""Reply building: a "which of these topics?" question is never sent without its topics."""

from __future__ import annotations

from otopbot.dialogue.menu import fit
from otopbot.line.render import render
from otopbot.replies import Choice, Confirm, Text, reply_from_dict, to_dict

TOPICS = (Choice("มผช. คืออะไร", postback="kb:topic:mpc-overview"), Choice("ขอ อย.", postback="kb:topic:fda"))
WHICH = Text("ไม่แน่ใจว่าเข้าใจถูกไหมคะ เรื่องไหนตรงกับคำถามคะ", TOPICS, needs_choices=True)
FORM_QUESTION = Text("กิจการหรือกลุ่มของท่านชื่ออะไรคะ", (Choice("ยกเลิก", postback="form:__cancel"),))


def labels_shown(messages: list[dict]) -> list[str]:  # type: ignore[type-arg]
    return [item["action"]["label"] for m in messages for item in m.get("quickReply", {}).get("items", [])]


def test_a_question_asked_in_the_middle_of_a_form_keeps_its_topics_on_screen() -> None:
    """Only the last message's quick replies reach the phone: the topic question goes after the form's."""
    sent = render(fit([WHICH, FORM_QUESTION]))
    assert [m["text"] for m in sent] == [FORM_QUESTION.text, WHICH.text]
    assert labels_shown(sent) == ["มผช. คืออะไร", "ขอ อย."]


def test_a_topic_question_without_topics_is_never_sent() -> None:
    empty = Text(WHICH.text, (), needs_choices=True)
    sent = render(fit([empty, FORM_QUESTION]))
    assert [m["text"] for m in sent] == [FORM_QUESTION.text]


def test_replies_that_need_no_choices_keep_their_order() -> None:
    confirm = Confirm("ยินยอมไหมคะ", Choice("ยินยอม", postback="form:yes"), Choice("ไม่", postback="form:no"))
    replies = [Text("หนึ่ง"), Text("สอง"), confirm]
    assert fit(replies) == replies


def test_the_flag_survives_the_outbox() -> None:
    assert reply_from_dict(to_dict(WHICH)) == WHICH


def test_a_destructive_button_is_red_text_and_never_the_green_main_action() -> None:
    from otopbot.line.render import BRAND_GREEN, DESTRUCTIVE_RED
    from otopbot.replies import Card

    book = Card("อบรม", actions=(Choice("จอง", postback="book:1"),))
    cancel = Card("การจอง", actions=(Choice("ยกเลิกการจอง", postback="cancel:B1", destructive=True),))
    [book_json, cancel_json] = render([book, cancel])
    [book_button] = book_json["contents"]["footer"]["contents"]
    [cancel_button] = cancel_json["contents"]["footer"]["contents"]
    assert (book_button["style"], book_button["color"]) == ("primary", BRAND_GREEN)
    assert (cancel_button["style"], cancel_button["color"]) == ("link", DESTRUCTIVE_RED)
