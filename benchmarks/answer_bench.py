"""Answers per second at saturation, and SQL statements per event, with a realistic mix.

    .venv/bin/python benchmarks/answer_bench.py [--database-url URL] [--users 150] [--workers 2]

Every owner follows the bot first (their follow answered before the clock starts, as on LINE, where a
message comes from a friend; `--first-contacts` skips that). A backlog of stored webhook events
(standards questions, workshop lists, registration-form steps and bookings from many owners) is
drained by `--workers` answering processes (`otopbot.worker.loop.run_once`) into an in-process LINE
simulator over real HTTP; every answer is delivered. Prints answers/s for
the drain, then the statements one event of each kind costs (counted on the engine, BEGIN excluded).
Default database: a temporary SQLite file; pass a PostgreSQL URL for the production figure.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from sqlalchemy import event, func, select  # noqa: E402

from otopbot.app import build_context  # noqa: E402
from otopbot.db import Database  # noqa: E402
from otopbot.events import answer_event, process_event, store_events  # noqa: E402
from otopbot.line.client import LineClient  # noqa: E402
from otopbot.migrate import upgrade  # noqa: E402
from otopbot.models import InboundEvent, InboundStatus, OutboxMessage, OutboxStatus, Workshop  # noqa: E402
from otopbot.runtime import Runtime  # noqa: E402
from otopbot.seeding import seed_all  # noqa: E402
from otopbot.settings import Settings  # noqa: E402
from otopbot.simulator.app import create_simulator  # noqa: E402
from otopbot.simulator.serving import serve_in_thread  # noqa: E402

SECRET, TOKEN = "bench-secret-0123456789abcdef00", "bench-token"
QUESTIONS = [
    "ขอ มผช ใช้เวลากี่เดือนครับ",
    "ทำน้ำพริกขายต้องมี อย ไหมคะ",
    "เซรามิกต้องตรวจตะกั่วไหม",
    "มอก กับ มผช ต่างกันยังไง",
    "ส่งตัวอย่างตรวจที่ไหนคะ",
]
WORKSHOPS = ["มีอบรมอะไรบ้างคะ", "อบรมอาหารที่ขอนแก่นมีไหม", "เดือนหน้ามีเวิร์กช็อปเซรามิกไหม"]
FORM = ["สมัครเข้าร่วมโครงการค่ะ", ("postback", "form:yes"), "ร้านน้ำพริกแม่เพ็ญ", ("postback", "form:sme")]


SIMULATOR: Any = None  # the simulator's state: it issues the reply tokens, as LINE would


def reply_token(user: str) -> str:
    return str(SIMULATOR.issue_reply_token(user)) if SIMULATOR is not None else f"bench-reply-{time.time_ns()}"


def text_event(n: int, user: str, text: str) -> dict[str, Any]:
    return {
        "type": "message",
        "mode": "active",
        "timestamp": int(time.time() * 1000),
        "webhookEventId": f"BENCH{n:08d}{time.time_ns()}",
        "deliveryContext": {"isRedelivery": False},
        "source": {"type": "user", "userId": user},
        "replyToken": reply_token(user),
        "message": {"id": str(n), "type": "text", "text": text, "quoteToken": "q"},
    }


def postback_event(n: int, user: str, data: str) -> dict[str, Any]:
    event = text_event(n, user, "")
    del event["message"]
    return {**event, "type": "postback", "postback": {"data": data}}


def owner_script(index: int, workshop_id: int) -> list[tuple[str, Any]]:
    """One owner's messages: mostly questions and workshop lists, some form steps, a booking."""
    kind = index % 10
    if kind < 4:
        return [("question", QUESTIONS[index % len(QUESTIONS)]), ("question", QUESTIONS[(index + 2) % 5])]
    if kind < 6:
        return [("workshops", WORKSHOPS[index % len(WORKSHOPS)])]
    if kind < 9:
        return [("form", step) for step in FORM]
    return [("booking", ("postback", f"book:{workshop_id}:1"))]


def befriend(runtime: Runtime, line: LineClient, users: int) -> None:
    """Every owner follows the bot first, as on LINE (a message comes from a friend): their follow is
    answered before the clock starts, so the backlog is answered for known owners, not first contacts."""
    from otopbot.worker.delivery import deliver_claimed

    events = []
    for index in range(users):
        user = f"U{index:032x}"
        SIMULATOR.add_user(f"Owner {index}", user_id=user, language="th")
        events.append({**text_event(index, user, ""), "type": "follow", "follow": {"isUnblocked": False}})
        del events[-1]["message"]
    with runtime.database.transaction() as session:
        new_ids = store_events(session, events)
    for event_id in new_ids:
        answer_event(runtime, line, event_id, deliver_claimed)


def backlog(database: Database, users: int) -> Counter[str]:
    with database.transaction() as session:
        workshop_id = session.scalars(select(Workshop.id).order_by(Workshop.starts_at)).first()
    kinds: Counter[str] = Counter()
    events = []
    for index in range(users):
        user = f"U{index:032x}"
        for kind, step in owner_script(index, workshop_id or 1):
            n = len(events)
            is_postback = isinstance(step, tuple)
            events.append(postback_event(n, user, step[1]) if is_postback else text_event(n, user, step))
            kinds[kind] += 1
    with database.transaction() as session:
        store_events(session, events)
    return kinds


def cpu_seconds(pid: int | None = None) -> float:
    """User + system CPU time of this process (or of `pid`, read from /proc) so far."""
    if pid is None:
        times = os.times()
        return times.user + times.system
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def drain(settings_url: str, api_url: str, content: str, ready: Any, start: Any, profile: str | None, cpu: Any) -> None:
    """One answering process: once all are ready, process and deliver until nothing is left.

    Puts (own CPU seconds, its PostgreSQL backends' CPU seconds) spent draining on `cpu`. With
    `profile`, the drain runs under cProfile (CPU time) and the stats go to `profile`.<pid>.
    """
    import cProfile
    from datetime import timedelta

    from otopbot.worker.loop import run_once, warm_up

    settings = bench_settings(settings_url, api_url, Path(content))
    database = Database(settings.database_url)
    backends: set[int] = set()
    if database.engine.dialect.name == "postgresql":

        @event.listens_for(database.engine, "connect")
        def _backend(dbapi_connection: Any, _record: Any) -> None:
            with dbapi_connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                backends.add(int(cursor.fetchone()[0]))

    runtime = Runtime(settings, database, build_context(settings))
    line = LineClient(settings)
    warm_up(runtime)
    ready.wait()  # the parent now stores the backlog (so reply tokens are fresh when the drain starts)
    start.wait()
    before = {pid: cpu_seconds(pid) for pid in backends}
    own = cpu_seconds()
    profiler = cProfile.Profile(time.process_time) if profile else None
    if profiler is not None:
        profiler.enable()
    while run_once(runtime, line, grace=timedelta(0)).anything:
        pass
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(f"{profile}.{os.getpid()}")
    cpu.put((cpu_seconds() - own, sum(cpu_seconds(pid) - before.get(pid, 0.0) for pid in backends)))
    line.close()


def bench_settings(url: str, api_url: str, content: Path) -> Settings:
    return Settings(
        database_url=Settings.from_env({"DATABASE_URL": url}).database_url,
        secret_key="bench-secret-key-0123456789",
        line_channel_secret=SECRET,
        line_channel_access_token=TOKEN,
        line_api_base_url=api_url,
        content_dir=content,
    )


def statements_per_kind(runtime: Runtime, line: LineClient) -> dict[str, int]:
    counted: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if not statement.lstrip().upper().startswith("BEGIN"):
            counted.append(statement)

    event.listen(runtime.database.engine, "before_cursor_execute", count)
    result: dict[str, int] = {}
    user = "U" + "f" * 32
    samples = [
        ("question", QUESTIONS[0]),
        ("question (again)", QUESTIONS[1]),
        ("workshops", WORKSHOPS[0]),
        ("form start", FORM[0]),
        ("form consent", FORM[1]),
        ("form answer", FORM[2]),
    ]
    for n, (name, step) in enumerate(samples):
        is_postback = isinstance(step, tuple)
        one = postback_event(90_000 + n, user, step[1]) if is_postback else text_event(90_000 + n, user, step)
        with runtime.database.transaction() as session:
            [event_id] = store_events(session, [one])
        counted.clear()
        process_event(runtime, line, event_id)
        result[name] = len(counted)
    event.remove(runtime.database.engine, "before_cursor_execute", count)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url")
    parser.add_argument("--users", type=int, default=150)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--first-contacts", action="store_true", help="owners message without following first")
    parser.add_argument("--profile", help="write each answering process's cProfile stats to PROFILE.<pid>")
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="answer-bench-")
    url = args.database_url or f"sqlite:///{folder}/bench.sqlite3"
    global SIMULATOR
    sim_app = create_simulator(SECRET, TOKEN, None)
    SIMULATOR = sim_app.extensions["otopbot.simulator"]
    sim = serve_in_thread(sim_app)
    settings = bench_settings(url, sim.url, ROOT / "bot")
    if settings.database_url.startswith("postgresql"):
        reset_postgres(settings.database_url)
    upgrade(settings.database_url)
    database = Database(settings.database_url)
    seed_all(database, settings)
    context = multiprocessing.get_context("fork")
    ready, start = context.Barrier(args.workers + 1), context.Barrier(args.workers + 1)
    cpu = context.Queue()
    workers = [
        context.Process(target=drain, args=(url, sim.url, str(ROOT / "bot"), ready, start, args.profile, cpu))
        for _ in range(args.workers)
    ]
    for worker in workers:
        worker.start()
    ready.wait()  # every process has loaded its NLU and knowledge index: start-up is not counted
    runtime = Runtime(settings, database, build_context(settings))
    line = LineClient(settings)
    if not args.first_contacts:
        befriend(runtime, line, args.users)
    kinds = backlog(database, args.users)
    total = sum(kinds.values())
    before = finished(database)
    start.wait()
    started, simulator_cpu = time.perf_counter(), cpu_seconds()
    spent = [cpu.get() for _ in workers]  # this process only serves the simulator meanwhile
    for worker in workers:
        worker.join()
    elapsed, simulator_cpu = time.perf_counter() - started, cpu_seconds() - simulator_cpu
    report(database, kinds, total, elapsed, args.workers, before)
    answering, postgres = sum(own for own, _ in spent), sum(db for _, db in spent)
    per = 1000 / total
    print(
        f"CPU per answer: answering processes {answering * per:.1f} ms, PostgreSQL "
        f"{postgres * per:.1f} ms{'' if postgres else ' (not measured)'}, LINE simulator {simulator_cpu * per:.1f} ms; "
        f"total {(answering + postgres + simulator_cpu) * per:.1f} ms "
        f"(so about {total / (answering + postgres + simulator_cpu) * 2:.0f} answers/s on two idle cores)"
    )
    for name, count in statements_per_kind(runtime, line).items():
        print(f"statements per event, {name}: {count}")
    line.close()
    sim.shutdown()


def report(
    database: Database, kinds: Counter[str], total: int, elapsed: float, workers: int, before: tuple[int, int]
) -> None:
    done, sent = (now - then for now, then in zip(finished(database), before, strict=True))
    mix = ", ".join(f"{kind} {count}" for kind, count in sorted(kinds.items()))
    print(f"database: {database.engine.dialect.name}; answering processes: {workers}")
    print(f"events: {total} ({mix}); processed {done}, answers delivered {sent}")
    print(f"drained in {elapsed:.1f} s (start-up excluded): {total / elapsed:.1f} answers/s")


def finished(database: Database) -> tuple[int, int]:
    """(events processed, outbox rows sent) so far."""
    with database.transaction() as session:
        done = (
            session.scalar(
                select(func.count()).select_from(InboundEvent).where(InboundEvent.status == InboundStatus.DONE)
            )
            or 0
        )
        sent = (
            session.scalar(
                select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status == OutboxStatus.SENT)
            )
            or 0
        )
    return done, sent


def reset_postgres(url: str) -> None:
    from sqlalchemy import text

    database = Database(url)
    with database.engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    database.dispose()


if __name__ == "__main__":
    main()
