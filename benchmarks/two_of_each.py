"""Two web servers and two workers on one PostgreSQL: no event processed twice, no message sent twice.

    .venv/bin/python benchmarks/two_of_each.py [--events 600] [--rate 30]
        [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/otopbot_two]

Runs two independent gunicorn servers (`otopbot.wsgi:app`, as if on two machines behind a load
balancer) and two `otopbot worker` processes against one PostgreSQL database (schema DROPPED and
rebuilt: use a scratch database). Each process talks to its own mount of the in-process LINE
simulator, so every Messaging API call can be attributed to the process that made it. Then:

  1. webhooks arrive round-robin at both servers; every fifth event is also posted to the *other*
     server at the same moment (a redelivery racing the original), and later a batch of old events
     is redelivered again;
  2. stored-but-unprocessed events (as a crashed web process leaves them) are left for the workers;
  3. a broadcast (multicasts of 500) and hundreds of pushes are queued at once for both workers;

and checks, in the database and in the simulator, that each event was stored and processed once,
each outbox row sent once, and each user received exactly their messages.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load_test import MESSAGES, Cluster, Simulator, audit, reset_database, send_at_rate, wait_drained  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from otopbot.db import Database, utcnow  # noqa: E402
from otopbot.models import InboundEvent, LineUser, OutboxMessage  # noqa: E402
from otopbot.replies import Text  # noqa: E402
from otopbot.services import outbox  # noqa: E402
from otopbot.simulator import webhooks as wh  # noqa: E402

DEFAULT_DATABASE = "postgresql+psycopg://postgres@127.0.0.1:5432/otopbot_two"
WEBS, WORKERS = ("web1", "web2"), ("worker1", "worker2")


def leave_for_workers(database: Database, simulator: Simulator, count: int) -> tuple[list[str], list[str]]:
    """Store events as a web process that crashed before processing them would have left them."""
    users = simulator.add_users(count, "stale")
    ids = []
    with database.transaction() as session:
        for i, user in enumerate(users):
            event = wh.text_event(simulator.state, user, MESSAGES[i % len(MESSAGES)])
            session.add(
                InboundEvent(
                    webhook_event_id=event["webhookEventId"],
                    event_type="message",
                    payload=event,
                    status="pending",
                    attempts=0,
                    received_at=utcnow() - timedelta(seconds=10),
                )
            )
            ids.append(event["webhookEventId"])
    return ids, users


def queue_sends(database: Database, simulator: Simulator, audience: int, pushes: int) -> int:
    """One broadcast (multicasts of 500) and single pushes, all due now, in one transaction."""
    broadcast_to = simulator.add_users(audience, "audience")
    push_to = simulator.add_users(pushes, "push")
    with database.transaction() as session:
        rows = outbox.multicast(session, broadcast_to, [Text("ประกาศ: เปิดรับสมัครอบรมบรรจุภัณฑ์")], language="th")
        for user_id in push_to:
            user = LineUser(line_user_id=user_id, language="th", following=True)
            session.add(user)
            session.flush()
            outbox.push(session, user, [Text("เตือนความจำ: พรุ่งนี้มีอบรมค่ะ")])
        return len(rows) + pushes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=600)
    parser.add_argument("--rate", type=float, default=30)
    parser.add_argument("--stale", type=int, default=300)
    parser.add_argument("--audience", type=int, default=2000)
    parser.add_argument("--pushes", type=int, default=400)
    parser.add_argument("--database-url", default=DEFAULT_DATABASE)
    args = parser.parse_args()

    reset_database(args.database_url)
    simulator = Simulator(WEBS + WORKERS)
    cluster = Cluster(simulator, args.database_url)
    database = Database(args.database_url)
    checks: list[tuple[str, bool, str]] = []
    try:
        urls = [cluster.start_web(label, workers=1, threads=4) for label in WEBS]
        for label in WORKERS:
            cluster.start_worker(label)
        cluster.wait_web()
        cluster.wait_workers(database)
        probes = dict(simulator.sends_by())
        print(
            f"two gunicorn servers (1 worker x 4 threads each) + two otopbot workers, one PostgreSQL; logs in "
            f"{cluster.logdir}"
        )

        users = simulator.add_users(args.events, "chat")
        pairs = [simulator.text_body(u, MESSAGES[i % len(MESSAGES)]) for i, u in enumerate(users)]
        bodies = [b for _, b in pairs]
        began = time.monotonic()
        result = send_at_rate(urls, bodies, args.rate, extra=lambda i: [urls[(i + 1) % 2]] if i % 5 == 0 else [])
        racing = len(range(0, args.events, 5))
        stale_ids, stale_users = leave_for_workers(database, simulator, args.stale)
        queued = queue_sends(database, simulator, args.audience, args.pushes)
        again = send_at_rate(urls[::-1], bodies[:100], 50)  # redelivered later, to the other server
        drain = wait_drained(database, 300, quiet_for=1.0)
        elapsed = time.monotonic() - began

        sent_ids = [eid for eid, _ in pairs] + stale_ids
        checked = audit(database, simulator, sent_ids, users + stale_users)
        with database.transaction() as session:
            stored = int(session.scalar(select(func.count()).select_from(InboundEvent)) or 0)
            attempts = dict(
                session.execute(select(InboundEvent.attempts, func.count()).group_by(InboundEvent.attempts)).all()
            )
            rows = int(session.scalar(select(func.count()).select_from(OutboxMessage)) or 0)
        statuses = simulator.statuses()
        accepted = sum(n for (_, status), n in statuses.items() if status == 200)
        conflicts = sum(n for (_, status), n in statuses.items() if status == 409)
        sends = simulator.sends_by()
        work = {label: sends.get(label, 0) - probes.get(label, 0) for label in WEBS + WORKERS}

        print(
            f"webhooks: {result.sent} round-robin at {args.rate:.0f}/s (p50 {result.p50:.0f} ms, p99 "
            f"{result.pct(0.99):.0f} ms, errors {result.errors}); {racing} of them also posted to the other server "
            f"at the same moment; 100 redelivered later (errors {again.errors})"
        )
        print(
            f"left for the workers: {args.stale} stored, unprocessed events; queued: {queued} outbox rows "
            f"(broadcast to {args.audience} + {args.pushes} pushes)"
        )
        print(f"everything processed and delivered {elapsed:.1f} s after the first webhook (drain {drain:.1f} s)")
        print(f"LINE send calls by process (after start-up probes): {work}")
        print(f"LINE answers: {dict(statuses)}; claim attempts per event: {attempts}")
        for line in checked.lines():
            print(line)
        distinct = len(set(sent_ids))
        checks += [
            (
                "each event stored once",
                stored == distinct and checked.events_missing == 0,
                f"{stored} rows for {distinct} distinct events ({result.sent + racing + 100} webhook deliveries)",
            ),
            (
                "each event processed once",
                checked.event_status == {"done": distinct} and set(attempts) == {1},
                f"status {checked.event_status}, claims per event {attempts}",
            ),
            (
                "each outbox row sent once",
                set(checked.outbox_status) == {"sent"} and accepted == rows and conflicts == 0,
                f"{rows} rows, {accepted} accepted LINE calls, {conflicts} retry-key conflicts",
            ),
            (
                "no user got a message twice",
                checked.users_doubled == 0 and checked.users_short == 0,
                f"{checked.users_exact} of {checked.users_expected} users got exactly their messages",
            ),
            ("both workers did work", all(work[w] > 0 for w in WORKERS), str({w: work[w] for w in WORKERS})),
            ("both web servers took webhooks", result.errors == 0, "round-robin, no errors"),
        ]
        print()
        for name, ok, detail in checks:
            print(f"{'PASS' if ok else 'FAIL'}  {name}: {detail}")
    finally:
        cluster.stop()
        database.dispose()
        simulator.shutdown()


if __name__ == "__main__":
    main()
