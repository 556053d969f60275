"""Attendance certificates: sent once after the workshop with a verification code; /verify confirms it."""

from __future__ import annotations

import io
import re
import threading
from datetime import timedelta

import requests
from PIL import Image
from sqlalchemy import func, select
from test_after_workshop import attend, ended_workshop

from otopbot.clock import local
from otopbot.db import Database, utcnow
from otopbot.models import Certificate, LineUser, OutboxMessage, Registration
from otopbot.services import certificates

CODE = re.compile(r"รหัสตรวจสอบ: ([A-Z0-9]{10})")


def _register(db, line_user_id: str) -> None:  # type: ignore[no-untyped-def]
    user = db.scalar(select(LineUser).where(LineUser.line_user_id == line_user_id))
    user.consent_at = utcnow()
    db.add(
        Registration(
            user_id=user.id,
            enterprise_name="วิสาหกิจชุมชนน้ำพริกแม่สมร",
            enterprise_type="sme",
            province="เชียงใหม่",
            region="north",
            category="food",
            contact_name="สมร ใจงาม",
            phone="0812345678",
            help_wanted="standards",
            language="th",
            status="selected",
        )
    )


def _bot_url(chat) -> str:  # type: ignore[no-untyped-def]
    return str(chat.bot_app.config["BOT_URL"])


def test_a_checked_in_owner_gets_one_certificate_that_the_verify_page_confirms(chat) -> None:  # type: ignore[no-untyped-def]
    owner = chat.follow("สมร")
    with chat.runtime.database.transaction() as db:
        _register(db, owner.user_id)
        attend(db, ended_workshop(db), owner.user_id, "CRT001")
    chat.settle()
    received = chat.visible_text(owner.new_messages())
    code = CODE.search(received)
    buddhist_year = str(local(utcnow() - timedelta(hours=7)).year + 543)  # the workshop started 7 hours ago
    assert code and "อบรมยืดอายุน้ำพริก" in received and buddhist_year in received and "เกียรติบัตร" in received
    chat.run_worker()
    assert CODE.search(chat.visible_text(owner.new_messages())) is None  # once only

    page = requests.get(f"{_bot_url(chat)}/verify/{code.group(1)}", timeout=5)
    assert page.status_code == 200
    for printed in ("วิสาหกิจชุมชนน้ำพริกแม่สมร", "สมร ใจงาม", "อบรมยืดอายุน้ำพริก", code.group(1), "ถูกต้อง"):
        assert printed in page.text
    for private in ("0812345678", "CRT001", owner.user_id, "เชียงใหม่"):
        assert private not in page.text
    image = requests.get(f"{_bot_url(chat)}/certificates/{code.group(1)}.png", timeout=5)
    assert image.status_code == 200 and Image.open(io.BytesIO(image.content)).size == (1600, 1130)

    owner.tap("erase:yes")
    withdrawn = requests.get(f"{_bot_url(chat)}/verify/{code.group(1)}", timeout=5)
    assert withdrawn.status_code == 410 and "เพิกถอน" in withdrawn.text
    assert "สมร ใจงาม" not in withdrawn.text and "น้ำพริกแม่สมร" not in withdrawn.text
    assert requests.get(f"{_bot_url(chat)}/certificates/{code.group(1)}.png", timeout=5).status_code == 404
    with chat.runtime.database.transaction() as db:
        row = db.scalars(select(Certificate)).one()
        assert (row.enterprise_name, row.contact_name, row.user_id) == (None, None, None)


def test_an_unknown_code_is_a_404_that_says_so(chat) -> None:  # type: ignore[no-untyped-def]
    for code in ("ABCDEFGHJK", "x" * 40, "<script>"):
        page = requests.get(f"{_bot_url(chat)}/verify/{code}", timeout=5)
        assert page.status_code == 404
    assert "ไม่พบเกียรติบัตร" in requests.get(f"{_bot_url(chat)}/verify/ABCDEFGHJK", timeout=5).text


def _issue(database: Database, base_url: str | None) -> list[dict[str, object]]:
    with database.transaction() as db:
        certificates.queue_due_certificates(db, utcnow(), base_url=base_url)
    with database.transaction() as db:
        return [r for row in db.scalars(select(OutboxMessage)) for r in row.payload]


def _one_attendee(database: Database) -> None:
    with database.transaction() as db:
        db.add(LineUser(line_user_id="U" + "c" * 32, language="th", following=True))
        db.flush()
        attend(db, ended_workshop(db), "U" + "c" * 32, "IMG001")


def test_the_image_goes_only_over_https(database: Database) -> None:
    _one_attendee(database)
    sent = _issue(database, "https://otop.example.go.th")
    image = next(r for r in sent if r["kind"] == "image")
    assert str(image["url"]).startswith("https://otop.example.go.th/certificates/")
    assert "https://otop.example.go.th/verify/" in str(sent[0]["text"])


def test_without_https_the_text_carries_the_code_and_no_image(database: Database) -> None:
    _one_attendee(database)
    sent = _issue(database, "http://192.168.1.20:8000")
    assert [r["kind"] for r in sent] == ["text"] and CODE.search(str(sent[0]["text"]))


def test_two_workers_issue_each_certificate_once(database: Database) -> None:
    with database.transaction() as db:
        workshop = ended_workshop(db)
        for n in range(10):
            db.add(LineUser(line_user_id=f"U{n:032x}", language="th", following=True))
            db.flush()
            attend(db, workshop, f"U{n:032x}", f"TWC{n:03d}")

    def issue() -> None:
        with database.transaction() as db:
            certificates.queue_due_certificates(db, utcnow(), base_url=None)

    threads = [threading.Thread(target=issue) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    issue()
    with database.transaction() as db:
        assert db.scalar(select(func.count()).select_from(Certificate)) == 10
        assert db.scalar(select(func.count()).select_from(OutboxMessage)) == 10
        assert len(set(db.scalars(select(Certificate.code)))) == 10
