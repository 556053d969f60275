"""Announcements reach exactly their audience, in batches of at most 500, and go out once."""

from __future__ import annotations

from datetime import timedelta

from console_helpers import NOW, add_enterprise, add_workshop, post
from sqlalchemy import select

from otopbot.models import Broadcast, OutboxMessage, OutboxStatus
from otopbot.services import broadcasts


def _audience_rows(database) -> list[OutboxMessage]:
    with database.transaction() as db:
        return list(db.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_broadcast_to_one_category_reaches_only_its_following_users_in_batches(staff_client, database) -> None:
    dss = staff_client("dss")
    expected = set()
    with database.transaction() as db:
        for n in range(1203):
            category = "ceramics" if n % 2 else "food"
            following = n % 7 != 0
            user, _ = add_enterprise(
                db, n, category=category, following=following, language="en" if n % 5 == 0 else "th"
            )
            if category == "ceramics" and following:
                expected.add(user.line_user_id)
    response = post(
        dss,
        "/console/broadcasts/new",
        {
            "kind": "text",
            "text_th": "งานแสดงสินค้าเซรามิก",
            "text_en": "Ceramics fair",
            "category": "ceramics",
            "timing": "now",
            "action": "send",
        },
    )
    assert response.status_code == 302
    rows = _audience_rows(database)
    assert all(r.kind == "multicast" and 1 <= len(r.recipients) <= 500 for r in rows)
    sent_to = [uid for r in rows for uid in r.recipients]
    assert len(sent_to) == len(set(sent_to)) and set(sent_to) == expected
    assert len({r.retry_key for r in rows}) == len(rows)
    by_lang = {r.language: r.payload[0]["text"] for r in rows}
    assert by_lang == {"th": "งานแสดงสินค้าเซรามิก", "en": "Ceramics fair"}
    assert len(rows) == sum(-(-len(ids) // 500) for ids in _split(rows).values())
    page = dss.get(response.headers["Location"]).get_data(as_text=True)
    assert f"{len(expected)}" in page


def _split(rows: list[OutboxMessage]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for r in rows:
        out.setdefault(r.language, []).extend(r.recipients)
    return out


def test_preview_counts_the_audience_and_shows_the_workshop_card(staff_client, database) -> None:
    dss = staff_client("dss")
    with database.transaction() as db:
        for n in range(4):
            add_enterprise(db, n, category="glass" if n < 3 else "paper")
        workshop_id = add_workshop(db, category="glass").id
    page = post(
        dss,
        "/console/broadcasts/new",
        {"kind": "workshop", "workshop_id": workshop_id, "category": "glass", "timing": "now", "action": "preview"},
    ).get_data(as_text=True)
    assert "ประกาศนี้จะส่งถึง 3 คน" in page
    assert "อบรมมาตรฐานอาหาร" in page and "จองที่นั่ง" in page and "Food standards" in page
    assert _audience_rows(database) == []


def test_an_audience_over_the_monthly_quota_is_refused(staff_client, database, quota) -> None:
    dss = staff_client("dss")
    with database.transaction() as db:
        for n in range(5):
            add_enterprise(db, n)
    quota.remaining = 4
    response = post(
        dss, "/console/broadcasts/new", {"kind": "text", "text_th": "ทดสอบ", "timing": "now", "action": "send"}
    )
    assert response.status_code == 409
    assert "มากกว่าจำนวนข้อความ LINE ที่เหลือ" in response.get_data(as_text=True)
    assert _audience_rows(database) == []


def test_a_scheduled_broadcast_is_dispatched_once_when_due(database) -> None:
    with database.transaction() as db:
        for n in range(3):
            add_enterprise(db, n, region="south")
        add_enterprise(db, 9, region="north")
        item = broadcasts.create(
            db,
            title="x",
            payload=broadcasts.text_payload("สวัสดี", None),
            audience={"region": "south"},
            created_by="t",
            scheduled_at=NOW + timedelta(hours=1),
        )
    with database.transaction() as db:
        assert broadcasts.dispatch_due(db, NOW) == 0
    with database.transaction() as db:
        assert broadcasts.dispatch_due(db, NOW + timedelta(hours=2)) == 1
    with database.transaction() as db:
        assert broadcasts.dispatch_due(db, NOW + timedelta(hours=3)) == 0
        rows = list(db.scalars(select(OutboxMessage)))
        assert db.get(Broadcast, item.id).status == "sending"
    assert len(rows) == 1 and len(rows[0].recipients) == 3 and rows[0].broadcast_id == item.id


def test_two_workers_cannot_both_dispatch_the_same_broadcast(database) -> None:
    """The claim is a conditional UPDATE: the second session sees status already 'sending'."""
    with database.transaction() as db:
        add_enterprise(db, 1)
        item = broadcasts.create(
            db, title="x", payload=broadcasts.text_payload("สวัสดี", None), audience={}, created_by="t", scheduled_at=NOW
        )
    first = database.sessions()
    second = database.sessions()
    try:
        with first.begin():
            assert broadcasts.dispatch_due(first, NOW) == 1
        with second.begin():
            assert broadcasts.dispatch_due(second, NOW) == 0
    finally:
        first.close()
        second.close()
    with database.transaction() as db:
        assert len(list(db.scalars(select(OutboxMessage).where(OutboxMessage.broadcast_id == item.id)))) == 1


def test_progress_counts_delivery_and_finishes_the_broadcast(database) -> None:
    with database.transaction() as db:
        for n in range(3):
            add_enterprise(db, n)
        item = broadcasts.create(
            db, title="x", payload=broadcasts.text_payload("สวัสดี", None), audience={}, created_by="t", scheduled_at=NOW
        )
        broadcasts.send_now(db, item.id, NOW)
    with database.transaction() as db:
        for row in db.scalars(select(OutboxMessage)):
            row.status = OutboxStatus.SENT
        db.flush()
        broadcasts.finish_sent(db, NOW)
        figures = broadcasts.progress(db, db.get(Broadcast, item.id))
        assert db.get(Broadcast, item.id).status == "sent"
    assert figures.delivered_users == 3 and figures.pending == 0


def test_cancelled_schedule_never_goes_out(staff_client, database) -> None:
    dss = staff_client("dss")
    with database.transaction() as db:
        add_enterprise(db, 1)
        item = broadcasts.create(
            db,
            title="x",
            payload=broadcasts.text_payload("สวัสดี", None),
            audience={},
            created_by="t",
            scheduled_at=NOW + timedelta(days=1),
        )
    post(dss, f"/console/broadcasts/{item.id}/cancel")
    with database.transaction() as db:
        assert broadcasts.dispatch_due(db, NOW + timedelta(days=2)) == 0
    assert _audience_rows(database) == []
