"""What owners mean mid-conversation: see vs erase my data, periods, regions, widening, follow-ups,
other government schemes and Latin-script words (messages written for these tests).
"""

from __future__ import annotations

from datetime import date

import pytest

from otopbot.nlu.engine import NluEngine

TODAY = date(2025, 6, 11)  # a Wednesday


@pytest.mark.parametrize(
    "text",
    [
        "ข้อมูลของฉัน",
        "ขอดูข้อมูลของผมหน่อยครับ",
        "ขอดูข้อมูลที่เก็บไว้หน่อยค่า",
        "ข้อมูลฉันมีอะไรบ้างคะ",
        "เก็บข้อมูลอะไรของหนูไว้บ้าง",
        "ขอเช็คข้อมูลที่ให้ไว้ค่ะ",
        "show me my data",
    ],
)
def test_looking_at_my_data_is_my_data_never_delete(engine: NluEngine, text: str) -> None:
    assert engine.understand(text, TODAY).intent == "my_data"


@pytest.mark.parametrize(
    "text",
    [
        "ลบข้อมูลของหนูทิ้งเลยค่ะ",
        "ขอลบข้อมูลที่เก็บไว้ด้วยครับ",
        "ขอเพิกถอนความยินยอมค่ะ",
        "please delete my data",
        "ข้อมูลของฉัน ลบให้หมดเลย",
        "ไม่ต้องการให้เก็บข้อมูลของผมอีก",
    ],
)
def test_only_erase_words_delete(engine: NluEngine, text: str) -> None:
    assert engine.understand(text, TODAY).intent == "delete_my_data"


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("สัปดาห์นี้มีอบรมไหม", date(2025, 6, 11), date(2025, 6, 15)),
        ("อาทิตย์หน้ามีเวิร์กช็อปอะไร", date(2025, 6, 16), date(2025, 6, 22)),
        ("เดือนนี้มีอบรมอะไรบ้าง", date(2025, 6, 11), date(2025, 6, 30)),
        ("เดือนหน้ามีอบรมไหมครับ", date(2025, 7, 1), date(2025, 7, 31)),
        ("ปลายเดือนมีคอร์สไหม", date(2025, 6, 21), date(2025, 6, 30)),
        ("ต้นเดือนหน้ามีอบรมอะไรบ้าง", date(2025, 7, 1), date(2025, 7, 10)),
        ("any workshops next month", date(2025, 7, 1), date(2025, 7, 31)),
        ("workshops this week?", date(2025, 6, 11), date(2025, 6, 15)),
    ],
)
def test_periods_are_ranges_from_their_first_day(engine: NluEngine, text: str, first: date, last: date) -> None:
    result = engine.understand(text, TODAY)
    assert result.intent == "list_workshops"
    assert (result.entities.date, result.entities.date_end) == (first, last)
    assert result.to_json()["entities"]["date_end"] == last.isoformat()


def test_a_single_day_has_no_end(engine: NluEngine) -> None:
    assert engine.understand("อบรมวันศุกร์หน้ามีไหม", TODAY).entities.date_end is None


@pytest.mark.parametrize(
    ("text", "region"),
    [
        ("อีสานมีอบรมอะไรบ้างคะ", "northeast"),
        ("แถวภาคใต้มีอบรมยางไหม", "south"),
        ("ภาคตะวันออกเฉียงเหนือมีคอร์สไหม", "northeast"),
        ("ทางเหนือมีอบรมไหมคะ", "north"),
        ("ภาคกลางมีเวิร์กช็อปอะไรบ้าง", "central"),
        ("workshops in the south", "south"),
        ("แล้วตะวันออกล่ะ", "east"),
    ],
)
def test_regions_are_an_entity_and_a_search(engine: NluEngine, text: str, region: str) -> None:
    result = engine.understand(text, TODAY)
    assert (result.intent, result.entities.region) == ("list_workshops", region)


@pytest.mark.parametrize("text", ["อบรมกลางเดือนนี้มีไหม", "วางไว้ใต้โต๊ะ", "ขนาดกลางกี่บาท"])
def test_ordinary_words_are_not_regions(engine: NluEngine, text: str) -> None:
    assert engine.understand(text, TODAY).entities.region is None


@pytest.mark.parametrize(
    ("text", "province"),
    [
        ("แล้วที่อุบลล่ะคะ", "อุบลราชธานี"),
        ("แล้วสุราษฎร์ล่ะ", "สุราษฎร์ธานี"),
        ("แล้วโคราชละครับ", "นครราชสีมา"),
        ("ส่วนที่ขอนแก่นล่ะคะ", "ขอนแก่น"),
    ],
)
def test_a_follow_up_about_a_place_is_a_workshop_search(engine: NluEngine, text: str, province: str) -> None:
    result = engine.understand(text, TODAY)
    assert (result.intent, result.entities.province, result.entities.follow_up) == ("list_workshops", province, True)


@pytest.mark.parametrize(
    ("text", "widen"),
    [
        ("มีที่อื่นอีกไหมคะ", "other"),
        ("ขอดูทุกจังหวัดเลย", "all"),
        ("จังหวัดอื่นมีไหม", "other"),
        ("มีรอบอื่นอีกไหมครับ", "other"),
        ("อบรมทั่วประเทศมีอะไรบ้าง", "all"),
    ],
)
def test_widening_words(engine: NluEngine, text: str, widen: str) -> None:
    result = engine.understand(text, TODAY)
    assert (result.intent, result.entities.widen) == ("list_workshops", widen)


def test_a_plain_request_is_neither_a_follow_up_nor_widening(engine: NluEngine) -> None:
    entities = engine.understand("มีอบรมเซรามิกที่ลำปางไหม", TODAY).entities
    assert not entities.follow_up and not entities.widen


@pytest.mark.parametrize(
    ("text", "scheme"),
    [
        ("คนละครึ่งรอบนี้ลงทะเบียนตรงไหนคะ", "คนละครึ่ง"),
        ("สมัครไทยช่วยไทยได้ไหมครับ", "ไทยช่วยไทย"),
        ("อยากลงทะเบียนบัตรคนจนค่ะ", "บัตรสวัสดิการแห่งรัฐ"),
        ("ขอสมัครสินเชื่อ sme d bank", "SME D Bank"),
        ("จะกู้ธ.ก.ส.ต้องเตรียมอะไร", "ธ.ก.ส."),
        ("register for เราเที่ยวด้วยกัน", "เราเที่ยวด้วยกัน"),
    ],
)
def test_other_government_schemes_are_out_of_scope(engine: NluEngine, text: str, scheme: str) -> None:
    result = engine.understand(text, TODAY)
    assert (result.intent, result.entities.scheme) == ("out_of_scope", scheme)


def test_our_own_programme_is_still_registration(engine: NluEngine) -> None:
    result = engine.understand("อยากสมัครเข้าโครงการของกรมวิทย์ค่ะ", TODAY)
    assert (result.intent, result.entities.scheme) == ("register_interest", None)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("admin อยู่ไหมคะ", "contact_staff"),
        ("ขอ register หน่อยค่ะ", "register_interest"),
        ("เช็ค booking ให้หน่อย", "my_bookings"),
        ("ขอ cancel รอบพรุ่งนี้", "cancel_booking"),
        ("มี workshop อะไรบ้าง", "list_workshops"),
        ("ขอดู menu", "help"),
    ],
)
def test_latin_script_words(engine: NluEngine, text: str, intent: str) -> None:
    assert engine.understand(text, TODAY).intent == intent


def test_every_province_is_not_the_province_loei(engine: NluEngine) -> None:
    assert engine.understand("ขอดูทุกจังหวัดเลยค่ะ", TODAY).entities.province is None
    assert engine.understand("อยู่จังหวัดเลยค่ะ", TODAY).entities.province == "เลย"
