"""On PostgreSQL the webhook only stores events; the worker, woken by NOTIFY, answers at once.

So the threads that accept LINE's webhooks never spend time on answers, and an owner still gets the
answer by reply token well inside its lifetime, even when the worker's poll interval is long.
"""

from __future__ import annotations

import threading
import time
from dataclasses import replace

import pytest

from otopbot.runtime import Runtime
from otopbot.worker.loop import run_forever


def test_a_stored_event_wakes_the_worker_which_answers_by_reply(bot, line_sim, database) -> None:  # type: ignore[no-untyped-def]
    runtime: Runtime = bot.extensions["otopbot"]
    if not runtime.settings.database_url.startswith("postgresql"):
        pytest.skip("LISTEN/NOTIFY needs PostgreSQL: set TEST_DATABASE_URL (the CI's second pass does)")
    assert not runtime.settings.answers_in_web
    slow_poll = replace(runtime, settings=runtime.settings.with_overrides(worker_poll_seconds=30.0))
    stop = threading.Event()
    worker = threading.Thread(target=run_forever, args=(slow_poll, stop), daemon=True)
    worker.start()
    try:
        time.sleep(1.0)  # the worker has finished its first pass and is waiting for a notification
        user = line_sim.create_user("สมศรี", language="th")["userId"]
        started = time.monotonic()
        line_sim.say(user, "สวัสดีค่ะ")
        answers = line_sim.wait_for_messages(user, count=1, timeout=10.0)
        waited = time.monotonic() - started
    finally:
        stop.set()
        worker.join(timeout=35)
    assert answers and answers[0]["via"] == "reply"
    assert waited < 5.0, f"answered after {waited:.1f} s: the worker was not woken by the notification"
