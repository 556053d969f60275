"""The privacy notice names everything the registration form collects (PDPA: say what is collected).

Each field of the registration form declares here the words that name it in the notice, in Thai and
in English. A field added to the form without an entry here, or without its words in both notices,
fails these tests — so the notice cannot silently fall behind the form.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from otopbot.dialogue.forms import Form, load_form
from otopbot.i18n import Translator

ROOT = Path(__file__).resolve().parents[2]

# field → (words in the Thai notice, words in the English notice)
NAMED_IN_NOTICE: dict[str, tuple[str, str]] = {
    "enterprise_name": ("ชื่อกิจการ", "enterprise's name"),
    "enterprise_type": ("ประเภทกิจการ", ", type,"),
    "ce_number": ("เลขทะเบียนวิสาหกิจชุมชน", "community enterprise registration number"),
    "province": ("จังหวัด", "province"),
    "district": ("อำเภอ", "district"),
    "category": ("หมวด OTOP", "OTOP category"),
    "products": ("ผลิตภัณฑ์", "products"),
    "contact_name": ("ชื่อผู้ติดต่อ", "contact name"),
    "phone": ("เบอร์โทรศัพท์", "phone number"),
    "help_wanted": ("ความช่วยเหลือที่ต้องการ", "help you want"),
}


def registration_form() -> Form:
    return load_form(ROOT / "bot/forms/registration.yml")


def notice(lang: str) -> str:
    gate = next(slot for slot in registration_form().slots if slot.gate)
    return Translator(ROOT / "locales", lang)(gate.prompt)


def collected_fields() -> list[str]:
    """Every slot that stores something about the enterprise (the consent gate itself is not data)."""
    return [slot.name for slot in registration_form().slots if not slot.gate]


def test_every_field_of_the_form_declares_how_the_notice_names_it() -> None:
    undeclared = [name for name in collected_fields() if name not in NAMED_IN_NOTICE]
    assert not undeclared, f"add these fields to NAMED_IN_NOTICE and to the privacy notice: {undeclared}"


@pytest.mark.parametrize("lang", ["th", "en"])
def test_the_notice_names_every_field_the_form_collects(lang: str) -> None:
    text = notice(lang)
    column = 0 if lang == "th" else 1
    missing = [
        name for name in collected_fields() if name in NAMED_IN_NOTICE and NAMED_IN_NOTICE[name][column] not in text
    ]
    assert not missing, f"the {lang} privacy notice does not name: {missing}"


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("th", ("เพื่อ", "เจ้าหน้าที่โครงการของ วศ. และ กสอ.", "จนกว่าท่านจะลบ", "“ข้อมูลของฉัน”")),
        ("en", ("Why", "staff at DSS and DIP", "until you delete", "“my data”")),
    ],
)
def test_the_notice_says_why_who_sees_it_how_long_and_how_to_erase(lang: str, words: tuple[str, ...]) -> None:
    text = notice(lang)
    assert all(word in text for word in words), text
    assert "{" not in text


def test_the_thai_notice_fits_a_phone_screen() -> None:
    """About two screens of a phone chat at most: short lines, nothing a newcomer has to scroll through."""
    text = notice("th")
    assert len(text) <= 450, len(text)
    assert text.rstrip().endswith("ค่ะ")
