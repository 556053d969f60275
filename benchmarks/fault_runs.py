"""Fault runs: LINE errors and slow calls, a worker killed mid-broadcast, PostgreSQL restarted under load.

    .venv/bin/python benchmarks/fault_runs.py [--only api,reply-timeout,kill,postgres]
        [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/otopbot_fault]

Each run starts from an empty, migrated, seeded PostgreSQL schema (DROPPED first: use a scratch
database; `otopbot_fault` is created if absent), the LINE simulator in this process, gunicorn
(`otopbot.wsgi:app`, 2 workers) and one `otopbot worker`, with LINE_TIMEOUT_SECONDS=1.
Afterwards each run checks that nothing was lost (every stored event processed, every outbox row
delivered) and nothing doubled (per user, LINE delivered exactly the messages of the outbox rows
naming them), and prints the figures.

    api            500s and 429s on reply, push and multicast, and pushes/multicasts slower than the
                   client timeout (LINE delivers them after the bot gave up and retried)
    reply-timeout  replies slower than the client timeout: the reply API has no retry key, so this is
                   the one case where the bot cannot know whether LINE delivered (see the report)
    kill           the worker is SIGKILLed while a 3,000-recipient broadcast is half delivered, restarted
    postgres       PostgreSQL is restarted while webhooks arrive at 40/s and a broadcast is going out
                   (the load generator redelivers failed webhooks like LINE does)
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load_test import (  # noqa: E402
    MESSAGES,
    Audit,
    Cluster,
    Simulator,
    audit,
    reset_database,
    send_at_rate,
    wait_drained,
)
from sqlalchemy import func, select  # noqa: E402

from otopbot.db import Database  # noqa: E402
from otopbot.models import OutboxMessage  # noqa: E402
from otopbot.replies import Text  # noqa: E402
from otopbot.services import outbox  # noqa: E402

DEFAULT_DATABASE = "postgresql+psycopg://postgres@127.0.0.1:5432/otopbot_fault"
LINE_TIMEOUT = 1.0
SLOW = 1.6  # seconds a slow LINE call takes: longer than the bot's 1 s timeout
REPLY, PUSH, MULTICAST = "/v2/bot/message/reply", "/v2/bot/message/push", "/v2/bot/message/multicast"


@contextlib.contextmanager
def running_bot(url: str) -> Iterator[tuple[Simulator, Cluster, Database]]:
    reset_database(url)
    simulator = Simulator(["web", "worker"])
    cluster = Cluster(simulator, url, line_timeout=LINE_TIMEOUT, poll_seconds=0.2)
    database = Database(url)
    try:
        cluster.start_web("web", 2, 4)
        cluster.start_worker("worker")
        cluster.wait_web()
        cluster.wait_workers(database)
        yield simulator, cluster, database
    finally:
        cluster.stop()
        database.dispose()
        simulator.shutdown()


def queue_broadcast(database: Database, users: list[str], text: str) -> int:
    with database.transaction() as session:
        return len(outbox.multicast(session, users, [Text(text)], language="th"))


def send_events(
    simulator: Simulator, web: str, count: int, rate: float, redeliver: int = 0
) -> tuple[list[str], list[str], Any]:
    users = simulator.add_users(count, "fault")
    pairs = [simulator.text_body(u, MESSAGES[i % len(MESSAGES)]) for i, u in enumerate(users)]
    result = send_at_rate([web], [b for _, b in pairs], rate, redeliver=redeliver)
    return [eid for eid, _ in pairs], users, result


def retries(database: Database) -> int:
    with database.transaction() as session:
        return int(session.scalar(select(func.sum(OutboxMessage.attempts - 1))) or 0)


def describe(name: str, checked: Audit, figures: dict[str, Any]) -> dict[str, Any]:
    print(f"\n== {name}")
    for key, value in figures.items():
        print(f"   {key}: {value}")
    for line in checked.lines():
        print("   " + line)
    verdict = "PASS" if checked.ok else "FAIL"
    print(f"   nothing lost, nothing doubled: {verdict}", flush=True)
    return {"run": name, "audit": checked, **figures}


# ---- the runs --------------------------------------------------------------------------------------------


def run_api_faults(url: str) -> dict[str, Any]:
    with running_bot(url) as (simulator, cluster, database):
        faults = [
            (REPLY, 500, 25, 0.0),
            (REPLY, 429, 25, 0.0),
            (PUSH, 500, 25, 0.0),
            (PUSH, 429, 25, 0.0),
            (PUSH, None, 10, SLOW),
            (MULTICAST, 500, 1, 0.0),
            (MULTICAST, 429, 1, 0.0),
            (MULTICAST, None, 1, SLOW),
        ]
        for path, status, count, delay in faults:
            simulator.state.add_fault(_fault(path, status, count, delay))
        chunks = queue_broadcast(database, simulator.add_users(1000, "audience"), "ประกาศ: เปิดรับสมัครอบรมเซรามิก")
        sent, users, result = send_events(simulator, cluster.webs["web"][1], 300, 30)
        drain = wait_drained(database, 300, quiet_for=2 * SLOW)
        return describe(
            "api: 500/429/slow on reply, push, multicast",
            audit(database, simulator, sent, users),
            {
                "faults queued": "reply 25x500 + 25x429; push 25x500 + 25x429 + 10 slow; multicast 500, 429, slow",
                "webhooks": f"{result.sent} at 30/s, errors {result.errors}, p99 {result.pct(0.99):.0f} ms",
                "broadcast": f"1,000 recipients in {chunks} multicasts",
                "LINE answers seen": dict(simulator.statuses()),
                "retries by the bot": retries(database),
                "all delivered after": f"{drain:.1f} s",
            },
        )


def run_reply_timeout(url: str) -> dict[str, Any]:
    with running_bot(url) as (simulator, cluster, database):
        simulator.state.add_fault(_fault(REPLY, None, 10, SLOW))
        sent, users, result = send_events(simulator, cluster.webs["web"][1], 40, 10)
        drain = wait_drained(database, 120, quiet_for=2 * SLOW)
        return describe(
            "reply-timeout: 10 replies slower than the client timeout",
            audit(database, simulator, sent, users),
            {
                "webhooks": f"{result.sent} at 10/s, errors {result.errors}",
                "LINE answers seen": dict(simulator.statuses()),
                "all delivered after": f"{drain:.1f} s",
                "note": "a timed-out reply may still be delivered; the bot then pushes the same answer",
            },
        )


def run_worker_kill(url: str) -> dict[str, Any]:
    with running_bot(url) as (simulator, cluster, database):
        audience = simulator.add_users(3000, "audience")
        simulator.state.add_fault(_fault(MULTICAST, None, 6, 0.6))  # slow enough to land the kill mid-way
        chunks = queue_broadcast(database, audience, "ประกาศ: อบรมมาตรฐาน มผช. ครั้งที่ 2")
        began = time.monotonic()
        deadline = began + 60
        while time.monotonic() < deadline:
            if simulator.done("worker", MULTICAST) >= 2 and simulator.busy("worker", MULTICAST) >= 1:
                break
            time.sleep(0.005)
        accepted_before = simulator.done("worker", MULTICAST)
        cluster.kill_worker("worker", signal.SIGKILL)
        killed_at = time.monotonic()
        time.sleep(1.0)  # the call in flight completes at LINE although nobody is waiting for it
        cluster.start_worker("worker")
        drain = wait_drained(database, 240, quiet_for=1.0)
        recovered = time.monotonic() - killed_at
        return describe(
            "kill: worker SIGKILLed mid-broadcast, restarted",
            audit(database, simulator, []),
            {
                "broadcast": f"3,000 recipients in {chunks} multicasts of 500, each call 0.6 s",
                "multicasts finished before the kill": f"{accepted_before} (plus one in flight)",
                "LINE answers seen": dict(simulator.statuses()),
                "delivered completely after the kill": (
                    f"{recovered:.1f} s (the in-flight row waits for its 60 s lease)"
                ),
                "drain after restart": f"{drain:.1f} s",
            },
        )


def run_postgres_restart(url: str) -> dict[str, Any]:
    version = sorted(os.listdir("/etc/postgresql"))[0]
    restart: dict[str, Any] = {}

    def restart_postgres() -> None:
        began = time.monotonic()
        done = subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"],
            capture_output=True,
            text=True,
            timeout=120,
        )
        restart["seconds"] = time.monotonic() - began
        restart["rc"] = done.returncode
        restart["stderr"] = done.stderr.strip()[-200:]

    try:
        with running_bot(url) as (simulator, cluster, database):
            simulator.state.add_fault(_fault(MULTICAST, None, 4, 0.5))
            chunks = queue_broadcast(database, simulator.add_users(2000, "audience"), "ประกาศ: ตลาดนัด OTOP")
            timer = threading.Timer(6.0, restart_postgres)
            timer.start()
            sent, users, result = send_events(simulator, cluster.webs["web"][1], 800, 40, redeliver=6)
            timer.join()
            drain = wait_drained(database, 300, quiet_for=1.0)
            alive = cluster.alive()
            return describe(
                "postgres: restarted under 40 req/s and a broadcast",
                audit(database, simulator, sent, users),
                {
                    "restart": (
                        f"pg_ctlcluster restart took {restart.get('seconds', float('nan')):.1f} s "
                        f"(rc {restart.get('rc')})"
                    ),
                    "webhooks": f"{result.sent} at 40/s; failed at first try {result.first_try_errors}, "
                    f"still failing after LINE-style redelivery {result.errors} {dict(result.error_kinds)}",
                    "broadcast": f"2,000 recipients in {chunks} multicasts",
                    "LINE answers seen": dict(simulator.statuses()),
                    "processes alive afterwards": alive,
                    "all processed and delivered after the restart": f"{drain:.1f} s",
                },
            )
    finally:
        ensure_postgres_up(version)


def ensure_postgres_up(version: str) -> None:
    for _ in range(60):
        if subprocess.run(["pg_isready", "-h", "127.0.0.1", "-q"]).returncode == 0:
            return
        time.sleep(1)
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"], check=False)


def _fault(path: str, status: int | None, count: int, delay: float) -> Any:
    from otopbot.simulator.state import Fault

    return Fault(path=path, status=status, count=count, delay=delay)


RUNS = {
    "api": run_api_faults,
    "reply-timeout": run_reply_timeout,
    "kill": run_worker_kill,
    "postgres": run_postgres_restart,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default=",".join(RUNS))
    parser.add_argument("--database-url", default=DEFAULT_DATABASE)
    args = parser.parse_args()
    results = [RUNS[name](args.database_url) for name in args.only.split(",")]
    print("\n| run | events stored/sent | events done | outbox sent / other | users doubled | users short | verdict |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for result in results:
        checked: Audit = result["audit"]
        other = {k: v for k, v in checked.outbox_status.items() if k != "sent"}
        print(
            f"| {result['run'].split(':')[0]} | {checked.events_stored}/{checked.events_sent} | "
            f"{checked.event_status.get('done', 0)} | {checked.outbox_status.get('sent', 0)} / {other or 0} | "
            f"{checked.users_doubled} (+{checked.extra_messages} msgs) | {checked.users_short} | "
            f"{'PASS' if checked.ok else 'FAIL'} |"
        )


if __name__ == "__main__":
    main()
