"""A console broadcast to one category arrives in the LINE simulator for that category's users only."""

from __future__ import annotations

from console_helpers import PASSWORD, log_in, post
from sqlalchemy import select

from otopbot.console import auth
from otopbot.models import LineUser, Registration


def test_broadcast_to_ceramics_reaches_only_ceramics_followers(chat, bot) -> None:  # type: ignore[no-untyped-def]
    database = chat.runtime.database
    potters = [chat.follow("ช่างปั้น หนึ่ง"), chat.follow("ช่างปั้น สอง")]
    cook = chat.follow("แม่ครัว")
    with database.transaction() as db:
        for n, (person, category) in enumerate([(potters[0], "ceramics"), (potters[1], "ceramics"), (cook, "food")]):
            user = db.scalars(select(LineUser).where(LineUser.line_user_id == person.user_id)).one()
            db.add(
                Registration(
                    user_id=user.id,
                    enterprise_name=f"กิจการ {n}",
                    enterprise_type="sme",
                    province="ลำปาง",
                    region="north",
                    category=category,
                    language="th",
                )
            )
        auth.create_staff(db, "dss-e2e", PASSWORD, "dss")
    staff = bot.test_client()
    assert log_in(staff, "dss-e2e").status_code == 302
    response = post(
        staff,
        "/console/broadcasts/new",
        {"kind": "text", "text_th": "เชิญร่วมงานเซรามิกแฟร์", "category": "ceramics", "timing": "now", "action": "send"},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    chat.settle()
    for potter in potters:
        assert "เชิญร่วมงานเซรามิกแฟร์" in chat.visible_text(potter.new_messages())
    assert "เชิญร่วมงานเซรามิกแฟร์" not in chat.visible_text(cook.new_messages())
    page = staff.get(response.headers["Location"]).get_data(as_text=True)
    assert "ส่งแล้ว 1 จาก 1 ชุด" in page
