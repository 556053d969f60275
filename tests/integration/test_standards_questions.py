"""Standards questions through the webhook: answered with a source, or passed to staff and answered once."""

from __future__ import annotations

import contextlib

from sqlalchemy import select

from otopbot.knowledge import questions as learning
from otopbot.models import Question, QuestionKind, QuestionStatus
from otopbot.services import kpi


def test_a_colloquial_question_gets_the_right_entry_with_its_source(chat) -> None:  # type: ignore[no-untyped-def]
    owner = chat.follow()
    answer = chat.visible_text(owner.say("อยากรู้ว่ามาตรฐานผลิตภัณฑ์ชุมชนมันคืออะไรอะครับ"))
    assert "มผช" in answer and "ที่มา" in answer
    with chat.runtime.database.transaction() as session:
        assert kpi.summary(session).questions_by_bot == 1
        tally = session.scalars(select(Question)).one()
        assert tally.kind == QuestionKind.ANSWERED_BY_BOT and tally.user_id is None and tally.text is None


def test_an_unanswerable_question_reaches_staff_and_their_answer_reaches_the_owner_once(chat) -> None:  # type: ignore[no-untyped-def]
    owner = chat.follow()
    owner.say("ขอใบอนุญาตตั้งโรงงานผลิตปุ๋ยต้องไปที่ไหนคะ")
    with chat.runtime.database.transaction() as session:
        (question,) = learning.open_questions(session)
        question_id = question.id
    for _ in range(2):  # a second click on "answer" must not send it again
        with chat.runtime.database.transaction() as session, contextlib.suppress(learning.QuestionError):
            learning.answer(
                session,
                question_id,
                "ติดต่อสำนักงานอุตสาหกรรมจังหวัดได้เลยค่ะ",
                "dss-staff",
                locales_dir=chat.runtime.settings.locales_dir,
            )
    chat.settle()
    received = chat.visible_text(owner.new_messages())
    assert received.count("สำนักงานอุตสาหกรรมจังหวัด") == 1
    with chat.runtime.database.transaction() as session:
        assert session.get_one(Question, question_id).status == QuestionStatus.ANSWERED


def test_two_questions_on_one_topic_get_two_short_answers_and_read_more_shows_the_rest(chat) -> None:  # type: ignore[no-untyped-def]
    from harness import postbacks

    owner = chat.follow()
    need = owner.say("ทำน้ำพริกขายที่บ้าน ต้องขอเลข อย ด้วยไหมคะ")
    need_text = chat.visible_text(need)
    assert need_text.startswith("ต้องมีเลข อย. ค่ะ") and "ที่มา: อย. food.fda.moph.go.th · ตรวจสอบ" in need_text
    cost = owner.say("แล้วขอเลข อย เสียค่าธรรมเนียมกี่บาทคะ")
    cost_text = chat.visible_text(cost)
    assert "200 บาท" in cost_text and "200 บาท" not in need_text  # a different facet of the same entry
    assert len(need_text) < 900 and len(cost_text) < 900  # a short answer, not the whole topic
    more = next(p for p in postbacks(cost) if p.startswith("kb:more:fda-food-serial"))
    rest = owner.tap(more)
    rest_text = chat.visible_text(rest)
    assert "13" in rest_text and "อ่านเพิ่ม" not in rest_text.split("\n")[0]  # the summary comes first
    choices = postbacks(rest)
    assert "kb:facet:fda-food-serial:need" in choices and "kb:facet:fda-food-serial:cost" not in choices
    digits = owner.tap("kb:facet:fda-food-serial:what")
    assert "หลัก 10–13" in chat.visible_text(digits)
    labels = [q["action"]["label"] for m in rest for q in m.get("quickReply", {}).get("items", [])]
    assert labels and all(len(label) <= 20 for label in labels)
