"""Staff edit one short answer (facet) of a knowledge entry: previewed first, at most 500 characters,
audited, and the entry's revision goes up so every process reloads it."""

from __future__ import annotations

from datetime import date

from console_helpers import post
from sqlalchemy import select

from otopbot.models import AuditEntry, KnowledgeEntry

FACET = {
    "id": "time",
    "label_th": "ใช้เวลากี่วัน",
    "label_en": "How long",
    "questions": ["ขอ อย. กี่วัน"],
    "answer_th": "ประมาณ 30 วันทำการค่ะ",
    "answer_en": "About 30 working days.",
    "products": [],
}


def _entry(database) -> None:  # type: ignore[no-untyped-def]
    with database.transaction() as db:
        db.add(
            KnowledgeEntry(
                id="fda-number",
                title_th="เลข อย.",
                title_en="FDA number",
                questions=["ขอ อย."],
                answer_th="สรุป",
                answer_en="summary",
                categories=["food"],
                related=[],
                source="อย.",
                checked_on=date(2025, 1, 1),
                revision=3,
                facets=[FACET],
            )
        )


def _stored(database) -> KnowledgeEntry:  # type: ignore[no-untyped-def]
    with database.transaction() as db:
        return db.get_one(KnowledgeEntry, "fda-number")


def test_a_preview_shows_the_answer_as_owners_read_it_and_saves_nothing(staff_client, database) -> None:  # type: ignore[no-untyped-def]
    _entry(database)
    dss = staff_client("dss")
    assert "ใช้เวลากี่วัน" in dss.get("/console/knowledge/fda-number/edit").get_data(as_text=True)
    shown = post(
        dss,
        "/console/knowledge/fda-number/facets/time",
        {"answer_th": "ประมาณ 20 วันทำการค่ะ\nยื่นออนไลน์ได้", "answer_en": "About 20 working days.", "action": "preview"},
    )
    page = shown.get_data(as_text=True)
    assert shown.status_code == 200 and "line-bubble" in page and "อ่านเพิ่ม" in page and "Read more" in page
    assert "ประโยคแรกที่ผู้ใช้เห็น" in page
    assert _stored(database).facets[0]["answer_th"] == "ประมาณ 30 วันทำการค่ะ" and _stored(database).revision == 3


def test_saving_replaces_only_the_text_bumps_the_revision_and_is_audited(staff_client, database) -> None:  # type: ignore[no-untyped-def]
    _entry(database)
    dss = staff_client("dss")
    saved = post(
        dss,
        "/console/knowledge/fda-number/facets/time",
        {"answer_th": "ประมาณ 20 วันทำการค่ะ", "answer_en": "About 20 working days.", "action": "save"},
    )
    assert saved.status_code == 302
    entry = _stored(database)
    assert entry.facets == [FACET | {"answer_th": "ประมาณ 20 วันทำการค่ะ", "answer_en": "About 20 working days."}]
    assert entry.revision == 4 and entry.checked_on > date(2025, 1, 1)  # a later seed from the file keeps it
    with database.transaction() as db:
        (audit,) = db.scalars(select(AuditEntry).where(AuditEntry.action == "knowledge.edit_facet")).all()
        assert (audit.target, audit.detail) == ("knowledge:fda-number", "facet time, revision 4")


def test_too_long_or_missing_answers_are_refused_with_the_reason(staff_client, database) -> None:  # type: ignore[no-untyped-def]
    _entry(database)
    dss = staff_client("dss")
    too_long = post(
        dss,
        "/console/knowledge/fda-number/facets/time",
        {"answer_th": "ก" * 501, "answer_en": "About 20 working days.", "action": "save"},
    )
    assert too_long.status_code == 400 and "ไม่เกิน 500 ตัวอักษร" in too_long.get_data(as_text=True)
    no_english = post(
        dss,
        "/console/knowledge/fda-number/facets/time",
        {"answer_th": "ประมาณ 20 วันค่ะ", "answer_en": " ", "action": "save"},
    )
    assert no_english.status_code == 400 and "ทั้งภาษาไทยและภาษาอังกฤษ" in no_english.get_data(as_text=True)
    assert _stored(database).revision == 3
    assert staff_client("dss").get("/console/knowledge/fda-number/facets/cost").status_code == 404
    assert staff_client("dip").get("/console/knowledge/fda-number/facets/time").status_code == 403
