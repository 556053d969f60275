"""Context across messages through the webhook and the LINE simulator: regions, follow-ups that keep
the last search (stored in the database between events), my data, other schemes and a second hello.
"""

from __future__ import annotations

from harness import postbacks, visible_text

NORTHEAST = ("ขอนแก่น", "อุบลราชธานี", "บุรีรัมย์", "นครราชสีมา")
OTHER_REGIONS = ("สงขลา", "ตรัง", "เชียงใหม่", "ลำปาง", "ระยอง", "ชลบุรี", "สุราษฎร์ธานี", "ราชบุรี")


def test_a_region_shows_only_its_workshops(chat) -> None:  # type: ignore[no-untyped-def]
    owner = chat.follow()
    seen = visible_text(owner.say("แถวอีสานมีอบรมอะไรบ้างคะ"))
    assert any(p in seen for p in NORTHEAST)
    assert not [p for p in OTHER_REGIONS if p in seen]


def test_a_follow_up_keeps_the_category_of_the_last_search(chat) -> None:  # type: ignore[no-untyped-def]
    owner = chat.follow()
    first = owner.say("มีอบรมยางพาราที่ตรังไหมครับ")
    assert "ตรัง" in visible_text(first)
    answer = owner.say("แล้วสุราษฎร์ล่ะครับ")
    seen = visible_text(answer)
    assert "สุราษฎร์ธานี" in seen and "ยางพารา" in seen and "ตรัง" not in seen
    assert [p for p in postbacks(answer) if p.startswith("book:")]


def test_seeing_my_data_never_asks_to_erase_it(chat) -> None:  # type: ignore[no-untyped-def]
    owner = chat.follow()
    for text in ("ข้อมูลของฉัน", "ขอดูข้อมูลที่เก็บไว้หน่อยค่ะ", "ข้อมูลของหนูมีอะไรบ้างคะ"):
        answer = owner.say(text)
        seen = visible_text(answer)
        assert "ข้อมูลที่เราเก็บไว้" in seen, text
        assert "ย้อนกลับไม่ได้" not in seen and "erase:yes" not in postbacks(answer), text


def test_another_scheme_gets_a_pointer_and_no_consent_prompt(chat) -> None:  # type: ignore[no-untyped-def]
    owner = chat.follow()
    answer = owner.say("สมัครคนละครึ่งรอบใหม่ตรงไหนคะ")
    seen = visible_text(answer)
    assert "คนละครึ่ง" in seen and "ข้อมูลส่วนบุคคล" not in seen
    assert "form:yes" not in postbacks(answer)


def test_a_second_hello_is_short(chat) -> None:  # type: ignore[no-untyped-def]
    owner = chat.follow()
    owner.say("สวัสดีค่ะ")
    again = owner.say("หวัดดีค่ะ")
    assert again and all(len(m.get("text", "")) <= 200 for m in again)
    assert [m for m in again if m.get("quickReply")]
