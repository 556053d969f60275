"""Intents of realistic LINE messages (written for these tests: not training or eval lines)."""

from __future__ import annotations

from datetime import date

import pytest

from otopbot.nlu.engine import NluEngine

CASES = [
    ("หวัดดีค่าาา แอดมิน", "greet"),
    ("ช่วยบอกหน่อยว่าไลน์นี้ทำอะไรได้", "help"),
    ("กลุ่มแม่บ้านทำขนมที่ยโสธร อยากเข้าร่วมโครงการค่ะ", "register_interest"),
    ("มีอบรมเซรามิคที่ลำปางเดือนหน้าไหมคะ", "list_workshops"),
    ("ขอจองอบรมน้ำพริก ๒ ที่ค่ะ", "book_workshop"),
    ("ที่จองไว้เมื่อวานได้ไหมคะ เช็คให้หน่อย", "my_bookings"),
    ("ยกเลิคการจองอบรมวันเสาร์ค่ะ ติดธุระ", "cancel_booking"),
    ("ขอ มผช น้ำพริกต้องใช้เอกสารอะไรบ้างคะ", "ask_standard"),
    ("ขอคุยกับเจ้าหน้าที่หน่อยค่ะ", "contact_staff"),
    ("ขอบคุนมากค่ะ", "thanks"),
    ("ลบข้อมูลส่วนตัวของผมออกจากระบบด้วย", "delete_my_data"),
    ("ราคายางพาราวันนี้กิโลละเท่าไหร่", "out_of_scope"),
    ("I want to cancel my booking", "cancel_booking"),
    ("how do I get มอก for my product", "ask_standard"),
    ("555555", "out_of_scope"),
]


@pytest.mark.parametrize(("text", "intent"), CASES)
def test_realistic_messages(engine: NluEngine, text: str, intent: str) -> None:
    assert engine.understand(text, date(2025, 6, 11)).intent == intent


def test_understanding_carries_text_confidence_and_entities(engine: NluEngine) -> None:
    result = engine.understand("จองอบรมหมอนยางที่ตรัง ๓ ที่ วันศุกร์หน้าค่ะ", date(2025, 6, 11))
    assert result.intent == "book_workshop"
    assert 0.0 < result.confidence <= 1.0
    assert result.entities.category == "rubber"
    assert result.entities.province == "ตรัง"
    assert result.entities.count == 3
    assert result.entities.date == date(2025, 6, 20)
    assert result.to_json()["entities"]["date"] == "2025-06-20"


def test_confusable_booking_messages_are_told_apart(engine: NluEngine) -> None:
    """จอง appears in three intents; สมัคร in two."""
    day = date(2025, 6, 11)
    assert engine.understand("จองอบรมให้หน่อยครับ", day).intent == "book_workshop"
    assert engine.understand("จองอะไรไว้บ้างนะ", day).intent == "my_bookings"
    assert engine.understand("ขอยกเลิกที่จองไว้", day).intent == "cancel_booking"
    assert engine.understand("สมัครอบรมเซรามิกค่ะ", day).intent == "book_workshop"
    assert engine.understand("สมัครเข้าร่วมโครงการค่ะ", day).intent == "register_interest"
