"""The LINE display name greets the person and is never stored: not before consent, and not after it
(the registration asks for a contact name; keeping a second name would be data nobody needs)."""

from __future__ import annotations

from datetime import timedelta

from privacy_helpers import found_in_every_text_column

from otopbot.db import utcnow
from otopbot.worker.loop import purge_expired

LINE_NAME = "ป้าจันทร์ ชอบชาเขียว"


def test_the_line_name_is_used_to_greet_and_kept_nowhere(chat) -> None:  # type: ignore[no-untyped-def]
    visitor = chat.follow(display_name=LINE_NAME)
    assert "ป้าจันทร์" in chat.visible_text(visitor.inbox())  # the welcome says it
    visitor.say("ขอติดต่อเจ้าหน้าที่เรื่องการขอมาตรฐานผลิตภัณฑ์ชุมชนสำหรับชาใบหม่อนค่ะ")
    visitor.tap("form:__skip")
    visitor.say("อยากสมัครเข้าร่วมโครงการค่ะ ทำเซรามิกที่ลำปาง")
    visitor.tap("form:yes")  # consent given: still no reason to keep the LINE name
    database = chat.runtime.database
    found = found_in_every_text_column(database, [LINE_NAME])
    assert found == ["outbox_messages.payload: " + LINE_NAME]  # only the welcome as sent, until delivered long enough
    purge_expired(database, 30, utcnow() + timedelta(days=31))
    assert found_in_every_text_column(database, [LINE_NAME, "ป้าจันทร์"]) == []
