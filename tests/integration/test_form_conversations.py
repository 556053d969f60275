"""Forms through the webhook: signed events via the LINE simulator, answers read back from it.

Consent must come only from a clear yes, and a correction must change the field it names — the two
things an owner (and PDPA) notices first — so both are played end to end here, over HTTP.
"""

from __future__ import annotations

from sqlalchemy import select

from otopbot.models import ConversationState, LineUser, Question, Registration


def _rows(chat, model):  # type: ignore[no-untyped-def]
    with chat.runtime.database.transaction() as session:
        found = list(session.scalars(select(model)))
        session.expunge_all()
        return found


def _consent_given(chat) -> bool:  # type: ignore[no-untyped-def]
    return any(user.consent_at is not None for user in _rows(chat, LineUser))


def test_questions_at_the_consent_prompt_get_answers_and_only_a_yes_consents(chat) -> None:  # type: ignore[no-untyped-def]
    owner = chat.follow()
    first = owner.say("สนใจสมัครเข้าโครงการค่ะ ทำเครื่องปั้นดินเผาที่ลำปาง")
    assert chat.postbacks(first)[-2:] == ["form:yes", "form:no"]
    for question in (
        "ข้อมูลจะถูกเก็บไว้นานเท่าไรคะ",
        "แล้วส่งข้อมูลให้หน่วยงานไหนบ้างคะ",
        "ถ้าไม่ให้เบอร์มือถือได้ไหมคะ",
    ):
        answer = owner.say(question)
        text = chat.visible_text(answer)
        assert "วศ." in text and "ข้อมูลของฉัน" in text, question  # who sees it, how to see or erase it
        assert chat.postbacks(answer)[-2:] == ["form:yes", "form:no"], question
        assert not _consent_given(chat), question
    friends = owner.say("ขอลงชื่อเพื่อนอีก ๒ คนด้วยได้ไหมคะ")  # not about data: its own answer, asked again
    assert chat.postbacks(friends)[-2:] == ["form:yes", "form:no"] and not _consent_given(chat)
    assert "ชื่ออะไร" in chat.visible_text(owner.say("ยินยอมค่ะ"))
    assert _consent_given(chat)


def test_a_typed_no_at_the_consent_prompt_stores_nothing(chat) -> None:  # type: ignore[no-untyped-def]
    owner = chat.follow()
    owner.say("ลงทะเบียนค่ะ")
    assert "ไม่มีการเก็บข้อมูล" in chat.visible_text(owner.say("ไม่ยินยอมค่ะ"))
    assert not _consent_given(chat) and _rows(chat, Registration) == []


def test_corrections_through_the_webhook_change_the_named_field(chat) -> None:  # type: ignore[no-untyped-def]
    owner = chat.follow()
    owner.say("สมัครเข้าร่วมโครงการครับ")
    owner.say("ตกลงครับ")
    owner.say("กลุ่มจักสานบ้านไร่ครับ")
    owner.tap("form:sme")
    owner.say("พะเยาครับ")
    owner.say("กระดาษสาครับ")
    fixed = chat.visible_text(owner.say("ขอโทษครับ จังหวัดผิด จริงๆ อยู่แพร่ครับ"))
    assert "แก้จังหวัดเป็น แพร่ แล้วค่ะ" in fixed and "ผู้ติดต่อ" in fixed  # กระดาษสา was kept as the products too
    owner.say("ประยุทธครับ")
    owner.say("๐๖๑ ๒๓๔ ๕๕๖๖")
    owner.tap("form:packaging")
    owner.tap("form:__done")
    summary = chat.visible_text(owner.say("แก้เบอร์เป็น 0823334444 ครับ"))
    assert "เบอร์โทร: 0823334444" in summary and "จังหวัด: แพร่" in summary
    owner.tap("form:__confirm")
    (saved,) = _rows(chat, Registration)
    assert (saved.province, saved.products, saved.contact_name, saved.phone) == (
        "แพร่",
        "กระดาษสา",
        "ประยุทธ",
        "0823334444",
    )


def test_a_staff_request_through_the_webhook_is_kept_verbatim(chat) -> None:  # type: ignore[no-untyped-def]
    owner = chat.follow()
    owner.tap("menu:contact")
    asked = chat.visible_text(owner.say("ขอปรึกษาเรื่องฉลากโภชนาการค่ะ ทำยังไงดีคะ"))
    assert "เบอร์" in asked
    owner.say("ไม่ให้เบอร์ค่ะ")
    (request,) = _rows(chat, Question)
    assert request.text == "ขอปรึกษาเรื่องฉลากโภชนาการค่ะ ทำยังไงดีคะ" and request.phone is None
    (state,) = _rows(chat, ConversationState)
    assert state.form is None
