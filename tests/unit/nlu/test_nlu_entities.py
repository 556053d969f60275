"""Entities as owners type them: spoken province names, categories, phones, seats, Thai dates."""

from __future__ import annotations

from datetime import date

import pytest

from otopbot.nlu.entities import category, count, date_in, phone, province
from otopbot.nlu.gazetteer import province_names_en, provinces, region_of

WEDNESDAY = date(2025, 6, 11)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("อบรมที่โคราชมีไหม", "นครราชสีมา"),
        ("อยู่ กทม. ค่ะ", "กรุงเทพมหานคร"),
        ("กรุงเทพฯ", "กรุงเทพมหานคร"),
        ("bangkok", "กรุงเทพมหานคร"),
        ("ไปอยุธยาได้", "พระนครศรีอยุธยา"),
        ("พระนครศรีอยุธยา", "พระนครศรีอยุธยา"),  # not นครศรี(ธรรมราช)
        ("นครศรีมีอบรมไหม", "นครศรีธรรมราช"),
        ("สุราษฎร์ค่ะ", "สุราษฎร์ธานี"),
        ("อุบลราชธานี", "อุบลราชธานี"),
        ("ทำหมอนยางอยู่อุบล", "อุบลราชธานี"),
        ("workshop in Chiang Mai", "เชียงใหม่"),
        ("chiangmai", "เชียงใหม่"),
        ("จังหวัดเลยครับ", "เลย"),
        ("อยู่ที่ตากค่ะ", "ตาก"),
        ("สระแก้ว", "สระแก้ว"),
    ],
)
def test_province_from_official_and_spoken_names(text: str, expected: str) -> None:
    assert province(text) == expected


@pytest.mark.parametrize("text", ["จองเลยค่ะ", "กล้วยตากแห้ง", "เผยแพร่ความรู้", "ขอนมหน่อย", "หาดใหญ่", "nancy"])
def test_ordinary_words_are_not_provinces(text: str) -> None:
    assert province(text) is None


def test_gazetteer_has_all_77_provinces_in_six_regions() -> None:
    all_provinces = provinces()
    assert len(all_provinces) == 77
    assert {p.region for p in all_provinces} == {"north", "northeast", "central", "east", "west", "south"}
    assert region_of("นครราชสีมา") == "northeast"
    assert region_of("สงขลา") == "south"
    assert region_of("ไม่มีจังหวัดนี้") is None
    assert province_names_en()["เชียงใหม่"] == "Chiang Mai"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("อบรมแปรรูปอาหาร", "food"),
        ("ทำน้ำพริกขาย", "food"),
        ("ขนมไทยต้องขอ อย ไหม", "food"),
        ("เซรามิค", "ceramics"),
        ("เครื่องปั้นดินเผาด่านเกวียน", "ceramics"),
        ("หมอนยางพารา", "rubber"),
        ("กระดาษสา", "paper"),
        ("กระจกเงา", "glass"),
        ("แก้วใส่อาหารต้องมี มอก ไหม", "glass"),  # earliest specific word wins
        ("จานเซรามิกใส่อาหาร", "ceramics"),  # อาหาร is only a weak hint
        ("แก้วมังกรอบแห้ง", "food"),  # dragon fruit, not glass
        ("pottery class", "ceramics"),
    ],
)
def test_category_from_synonyms(text: str, expected: str) -> None:
    assert category(text) == expected


def test_province_names_do_not_leak_into_categories() -> None:
    assert category("อบรมที่สระแก้ว") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("โทรกลับ 081-234-5678 ค่ะ", "0812345678"),
        ("๐๘๑ ๒๓๔ ๕๖๗๘", "0812345678"),
        ("+66 81 234 5678", "0812345678"),
        ("เบอร์ 0891234567", "0891234567"),
        ("02-201-7000", "022017000"),
    ],
)
def test_phone_as_digits_only(text: str, expected: str) -> None:
    assert phone(text) == expected


@pytest.mark.parametrize("text", ["จอง 2 ที่", "15/07/2568", "ปี 2568", "โทรมาได้นะ"])
def test_no_phone_in_other_numbers(text: str) -> None:
    assert phone(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ขอจอง 2 ที่", 2),
        ("๓ ที่ค่ะ", 3),
        ("จองสามที่", 3),
        ("ไปกันสองคน", 2),
        ("4 ท่าน", 4),
        ("2", 2),
        ("ห้าค่ะ", 5),
        ("ไปคนเดียว", 1),
        ("จองให้ 4 คน วันที่ 5 ก.ค.", 4),
    ],
)
def test_seat_count(text: str, expected: int) -> None:
    assert count(text) == expected


@pytest.mark.parametrize("text", ["อยากจองวันที่ 15", "โทร 0812345678", "อบรมปี 2568", "15 ก.ค.", "อบรม 3 วัน", "จองค่ะ"])
def test_no_count_in_dates_phones_or_years(text: str) -> None:
    assert count(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("วันนี้", date(2025, 6, 11)),
        ("พรุ่งนี้ค่ะ", date(2025, 6, 12)),
        ("มะรืน", date(2025, 6, 13)),
        ("วันศุกร์นี้", date(2025, 6, 13)),
        ("ศุกร์หน้า", date(2025, 6, 20)),
        ("อาทิตย์หน้า", date(2025, 6, 16)),  # the week after: its Monday
        ("สัปดาห์หน้า", date(2025, 6, 16)),
        ("เดือนหน้า", date(2025, 7, 1)),
        ("วันที่ 15", date(2025, 6, 15)),
        ("วันที่ 5", date(2025, 7, 5)),  # already passed this month
        ("15 ก.ค.", date(2025, 7, 15)),
        ("15 กรกฎา", date(2025, 7, 15)),
        ("๑๕ กรกฎาคม ๒๕๖๘", date(2025, 7, 15)),
        ("14 มิ.ย. 68", date(2025, 6, 14)),
        ("3 มค", date(2026, 1, 3)),
        ("15/7/68", date(2025, 7, 15)),
        ("2025-07-15", date(2025, 7, 15)),
        ("July 15", date(2025, 7, 15)),
        ("next friday", date(2025, 6, 20)),
        ("อีก 3 วัน", date(2025, 6, 14)),
        ("เดือน 8", date(2025, 8, 1)),
    ],
)
def test_dates_relative_to_today(text: str, expected: date) -> None:
    assert date_in(text, WEDNESDAY) == expected


@pytest.mark.parametrize("text", ["จอง 2 ที่", "31 ก.พ.", "เวลา 09.30", "may i book", "โทร 081-234-5678"])
def test_no_date(text: str) -> None:
    assert date_in(text, WEDNESDAY) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("chili paste workshop", "food"),  # a synonym with a space once crashed the lookup
        ("processed food training", "food"),
        ("สมุดทำมือ", "paper"),
        ("แก้วเซรามิก", "ceramics"),  # a ceramic mug, not glass
        ("อบรมทำแจกัน", "ceramics"),  # a vase alone is ceramic…
        ("แจกันแก้ว", "glass"),  # …unless it is glass
        ("ขวดโหล", "glass"),
        ("ไข่เค็มไชยา", "food"),
        ("ถุงมือยาง", "rubber"),
    ],
)
def test_category_from_product_words(text: str, expected: str) -> None:
    assert category(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("แถวสารคามมีอบรมไหม", "มหาสารคาม"), ("อยู่ปทุมค่ะ", "ปทุมธานี"), ("อบรมแถวนนท์", "นนทบุรี"), ("ศีรษะเกษ", "ศรีสะเกษ")],
)
def test_province_short_spoken_forms(text: str, expected: str) -> None:
    assert province(text) == expected


def test_a_nickname_is_not_a_province() -> None:
    assert province("ผมชื่อนนท์ครับ") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [("สมาชิก 15 คน อยากจอง 3 ที่", 3), ("จอง 2 ที่ กลุ่มเรามี 10 คน", 2), ("book three seats", 3), ("one person please", 1)],
)
def test_seat_count_is_the_one_asked_for(text: str, expected: int) -> None:
    assert count(text) == expected


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("เสาร์อาทิตย์นี้มีอบรมไหม", date(2025, 6, 14), date(2025, 6, 15)),
        ("เสาร์-อาทิตย์หน้าว่างค่ะ", date(2025, 6, 21), date(2025, 6, 22)),
    ],
)
def test_saturday_and_sunday_together_are_the_weekend(text: str, first: date, last: date) -> None:
    from otopbot.nlu.dates import find_date
    from otopbot.nlu.normalize import normalize

    found = find_date(normalize(text), WEDNESDAY)
    assert found is not None and (found.value, found.until) == (first, last)
