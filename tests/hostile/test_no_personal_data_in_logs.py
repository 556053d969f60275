"""No personal data in the logs: a whole conversation, logged as production logs it, never names the owner.

The bot logs with `otopbot.logs.configure` (INFO; urllib3 and werkzeug at WARNING). Whatever any
logger emits during a follow, a registration, a question and a data request must not contain the
owner's LINE user id, display name, phone number (in any spelling) or anything they typed.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator

import pytest
from hostile_helpers import register

from otopbot.logs import JsonFormatter, configure

DISPLAY_NAME = "ทดสอบ ความลับสุดยอด"
ENTERPRISE = "วิสาหกิจชุมชนบ้านลับแลซ่อนเร้น"
PRODUCTS = "ข้าวเกรียบปลาสูตรลับเฉพาะ"
CONTACT = "สมหญิง รักษ์ความลับ"
PHONE = "089 876 5432"
TYPED = ["มผช ข้าวเกรียบต้องตรวจอะไรบ้างคะ", "ข้อมูลของฉัน", "ขอบคุณมากค่ะ หนูชื่อสมหญิงนะคะ"]


@pytest.fixture
def production_logging(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """Configure logging exactly as the bot's processes do, and capture every record that passes."""
    root = logging.getLogger()
    saved_handlers, saved_level = root.handlers[:], root.level
    saved = {name: logging.getLogger(name).level for name in ("urllib3", "werkzeug")}
    configure("INFO")
    root.addHandler(caplog.handler)
    caplog.handler.setLevel(logging.NOTSET)
    yield caplog
    root.handlers[:] = saved_handlers
    root.setLevel(saved_level)
    for name, level in saved.items():
        logging.getLogger(name).setLevel(level)


def _secrets(user_id: str) -> list[str]:
    digits = PHONE.replace(" ", "")
    return [user_id, DISPLAY_NAME, ENTERPRISE, PRODUCTS, CONTACT, PHONE, digits, "089-876-5432", *TYPED]


def test_a_whole_conversation_leaves_no_personal_data_in_the_logs(chat, production_logging) -> None:  # type: ignore[no-untyped-def]
    owner = chat.follow(display_name=DISPLAY_NAME)
    # LINE hiccups on the way, so the delivery path logs its retries about this owner's messages
    chat.sim.add_fault("/v2/bot/message/reply", status=500, count=2)
    chat.sim.add_fault("/v2/bot/message/push", status=429, count=1)
    register(chat, owner, enterprise=ENTERPRISE, products=PRODUCTS, contact=CONTACT, phone=PHONE)
    for text in TYPED:
        owner.say(text)
    chat.sim.unfollow(owner.user_id)
    chat.settle()

    formatter = JsonFormatter()
    records = production_logging.records
    assert records, "the conversation logged something (otherwise this test proves nothing)"
    assert any("outbox" in record.getMessage() for record in records)
    for record in records:
        shown = formatter.format(record) + " " + (formatter.formatException(record.exc_info) if record.exc_info else "")
        leaked = [secret for secret in _secrets(owner.user_id) if secret in shown]
        assert leaked == [], f"{record.name}: {record.getMessage()[:120]!r}"


def test_a_slow_profile_call_does_not_log_the_user_id(chat, production_logging) -> None:  # type: ignore[no-untyped-def]
    from otopbot.errors import LineRetryable

    newcomer = chat.sim.create_user(display_name=DISPLAY_NAME)["userId"]
    chat.sim.add_fault("/v2/bot/profile/*", delay=chat.runtime.settings.line_timeout_seconds + 0.3, count=4)
    chat.sim.follow(newcomer)
    with contextlib.suppress(LineRetryable):  # see test_a_profile_outage_does_not_stop_the_worker_delivering_…
        chat.run_worker()
    formatter = JsonFormatter()
    leaked = [record.name for record in production_logging.records if newcomer in formatter.format(record)]
    assert leaked == []
