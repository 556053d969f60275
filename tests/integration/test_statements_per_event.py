"""The database work one answer costs: statements per text event, every write in one transaction.

Round trips are most of an answer's cost (docs/performance.md), so the budget is held here: a plain
standards question from a known owner takes 5 statements on PostgreSQL (claim-and-done; the sender
marked seen and read with their state, registration and open survey; the topic remembered for a
follow-up; the question logged for staff; the outbox row) and 6 on SQLite (the sender's update and
the read are two there), and they all commit together in one transaction.
"""

from __future__ import annotations

import time
from dataclasses import replace
from typing import Any

from sqlalchemy import event

from otopbot.events import process_event, store_events
from otopbot.line.client import LineClient
from otopbot.runtime import Runtime
from otopbot.seeding import seed_all

OWNER = "U" + "c" * 32


def _text_event(n: int, text: str) -> dict[str, Any]:
    return {
        "type": "message",
        "mode": "active",
        "timestamp": int(time.time() * 1000),
        "webhookEventId": f"STMT{n}{time.time_ns()}",
        "deliveryContext": {"isRedelivery": False},
        "source": {"type": "user", "userId": OWNER},
        "replyToken": f"stmt-{n}",
        "message": {"id": str(n), "type": "text", "text": text, "quoteToken": "q"},
    }


def _cost(runtime: Runtime, line: LineClient, text: str, n: int) -> tuple[int, int]:
    """(statements, commits) spent processing one stored text event (BEGIN not counted)."""
    with runtime.database.transaction() as session:
        [event_id] = store_events(session, [_text_event(n, text)])
    seen = {"statements": 0, "commits": 0}

    def on_statement(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if not statement.lstrip().upper().startswith("BEGIN"):
            seen["statements"] += 1

    def on_commit(*_: Any) -> None:
        seen["commits"] += 1

    engine = runtime.database.engine
    event.listen(engine, "before_cursor_execute", on_statement)
    event.listen(engine, "commit", on_commit)
    try:
        assert process_event(runtime, line, event_id), "the event was answered"
    finally:
        event.remove(engine, "before_cursor_execute", on_statement)
        event.remove(engine, "commit", on_commit)
    return seen["statements"], seen["commits"]


def test_a_plain_question_costs_five_statements_in_one_transaction(settings, database, bot_context_factory) -> None:  # type: ignore[no-untyped-def]
    seed_all(database, settings)
    context = replace(bot_context_factory(settings), settings=settings)
    runtime = Runtime(settings, database, context)
    line = LineClient(settings)
    try:
        _cost(runtime, line, "สวัสดีค่ะ", 1)  # the owner's first message creates them
        _cost(runtime, line, "มผช คืออะไรคะ", 2)  # the knowledge index is built once
        statements, commits = _cost(runtime, line, "ขอ มผช ใช้เวลากี่เดือนครับ", 3)
        listing, listing_commits = _cost(runtime, line, "มีอบรมอะไรบ้างคะ", 4)
    finally:
        line.close()
    budget = 5 if database.engine.dialect.name == "postgresql" else 6
    assert commits == 1 and listing_commits == 1
    assert statements <= budget, f"a plain question took {statements} statements"
    assert listing <= budget + 1, f"a workshop list took {listing} statements"
