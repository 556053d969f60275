"""DSS answers questions the bot could not, and keeps the knowledge entries (with sources) current."""

from __future__ import annotations

from datetime import date

from console_helpers import add_enterprise, post
from sqlalchemy import select

from otopbot.models import AuditEntry, KnowledgeEntry, LineUser, OutboxMessage, Question


def _entry(db) -> KnowledgeEntry:
    entry = KnowledgeEntry(
        id="food-gmp",
        title_th="GMP อาหาร",
        title_en="Food GMP",
        questions=["GMP คืออะไร"],
        answer_th="คำตอบ",
        answer_en="answer",
        categories=["food"],
        related=[],
        source="อย. 2565",
        checked_on=date(2025, 1, 1),
        revision=1,
    )
    db.add(entry)
    return entry


def test_staff_answer_is_pushed_to_the_user_and_the_question_leaves_the_open_list(staff_client, database) -> None:
    dss = staff_client("dss")
    with database.transaction() as db:
        user, _ = add_enterprise(db, 1)
        question = Question(kind="unanswered", user_id=user.id, text="ขอ อย. ขนมเปี๊ยะต้องทำยังไง", language="th")
        db.add(question)
        db.flush()
        question_id = question.id
    assert "ขนมเปี๊ยะ" in dss.get("/console/questions").get_data(as_text=True)
    post(dss, f"/console/questions/{question_id}/answer", {"answer": "ยื่นขอที่ สสจ. ได้เลยค่ะ"})
    with database.transaction() as db:
        push = db.scalars(select(OutboxMessage)).one()
        assert db.get(Question, question_id).status == "answered"
    assert push.recipients == [user.line_user_id] and "สสจ." in push.payload[0]["text"]
    assert "ขนมเปี๊ยะ" not in dss.get("/console/questions").get_data(as_text=True)


def test_editing_an_entry_bumps_its_revision_and_is_audited(staff_client, database) -> None:
    dss = staff_client("dss")
    with database.transaction() as db:
        _entry(db)
    assert "อย. 2565" in dss.get("/console/knowledge").get_data(as_text=True)
    post(
        dss,
        "/console/knowledge/food-gmp/edit",
        {
            "title_th": "GMP อาหาร (ปรับปรุง)",
            "title_en": "Food GMP",
            "questions": "GMP คืออะไร\nต้องมี GMP ไหม",
            "answer_th": "คำตอบใหม่",
            "answer_en": "new",
            "categories": ["food", "paper"],
            "source": "อย. 2568",
            "checked_on": "2025-06-01",
        },
    )
    with database.transaction() as db:
        entry = db.get(KnowledgeEntry, "food-gmp")
        audit = db.scalars(select(AuditEntry.action)).all()
    assert entry.revision == 2 and entry.questions == ["GMP คืออะไร", "ต้องมี GMP ไหม"]
    assert entry.categories == ["food", "paper"] and entry.source == "อย. 2568"
    assert "knowledge.edit" in audit


def test_an_entry_without_a_source_is_refused(staff_client, database) -> None:
    dss = staff_client("dss")
    with database.transaction() as db:
        _entry(db)
    response = post(dss, "/console/knowledge/food-gmp/edit", {"title_th": "x", "answer_th": "y", "source": ""})
    assert response.status_code == 400
    with database.transaction() as db:
        assert db.get(KnowledgeEntry, "food-gmp").revision == 1


def test_dip_cannot_answer_questions(staff_client) -> None:
    assert staff_client("dip").get("/console/questions").status_code == 403


def test_questions_show_who_asked_registered_or_not_never_none(staff_client, database) -> None:
    dss = staff_client("dss")
    with database.transaction() as db:
        registered, _ = add_enterprise(db, 7, name="วิสาหกิจชุมชนผ้าทอบ้านดอน")
        guest = LineUser(line_user_id="U" + "9" * 32)
        nameless = LineUser(line_user_id="U" + "8" * 32)
        db.add_all([guest, nameless])
        db.flush()
        asked = [
            Question(kind="unanswered", user_id=registered.id, text="ถามหนึ่ง"),
            Question(kind="contact", user_id=guest.id, text="ถามสอง", phone="0899999999"),
            Question(kind="contact", user_id=nameless.id, text="ถามสาม"),
            Question(kind="unanswered", user_id=None, text="ถามสี่"),
        ]
        db.add_all(asked)
        db.flush()
        ids = [q.id for q in asked]
    listing = dss.get("/console/questions").get_data(as_text=True)
    assert "วิสาหกิจชุมชนผ้าทอบ้านดอน · คุณ 7" in listing
    assert listing.count("ยังไม่ได้ลงทะเบียน (คำตอบส่งถึงทาง LINE)") == 2  # no name is kept for them
    assert listing.count("ลบข้อมูลส่วนบุคคลแล้ว") == 1  # erased, or past retention without consent
    assert "None" not in listing and "–" not in listing.split('<ul class="items">')[1]
    detail = dss.get(f"/console/questions/{ids[0]}").get_data(as_text=True)
    assert "วิสาหกิจชุมชนผ้าทอบ้านดอน · คุณ 7" in detail
    assert "ยังไม่ได้ลงทะเบียน" in dss.get(f"/console/questions/{ids[1]}").get_data(as_text=True)
    assert "ลบข้อมูลส่วนบุคคลแล้ว" in dss.get(f"/console/questions/{ids[3]}").get_data(as_text=True)


def test_teach_the_bot_starts_with_no_topic_and_shows_the_guess_as_a_hint(staff_client, database) -> None:
    dss = staff_client("dss")
    with database.transaction() as db:
        _entry(db)
        user, _ = add_enterprise(db, 3)
        question = Question(
            kind="unanswered", user_id=user.id, text="ต้องมีจีเอ็มพีไหม", best_entry_id="food-gmp", best_score=0.41
        )
        db.add(question)
        db.flush()
        question_id = question.id
    page = dss.get(f"/console/questions/{question_id}").get_data(as_text=True)
    teach = page.split('name="entry_id"')[1].split("</select>")[0]
    assert 'value="" selected' in teach and teach.count("selected") == 1
    assert "บอตเดาว่า: GMP อาหาร" in page


def test_checked_on_reads_day_month_buddhist_year(staff_client, database) -> None:
    dss = staff_client("dss")
    with database.transaction() as db:
        _entry(db)
    assert 'value="01/01/2568"' in dss.get("/console/knowledge/food-gmp/edit").get_data(as_text=True)
    post(
        dss,
        "/console/knowledge/food-gmp/edit",
        {"title_th": "GMP อาหาร", "answer_th": "คำตอบ", "source": "อย.", "checked_on": "15/06/2568"},
    )
    with database.transaction() as db:
        assert db.get(KnowledgeEntry, "food-gmp").checked_on == date(2025, 6, 15)
