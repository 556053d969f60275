"""Load test: signed webhooks at rising rates against gunicorn (2 workers) + one `otopbot worker` on PostgreSQL.

    .venv/bin/python benchmarks/load_test.py [--rates 10,20,40,80,160] [--seconds 10]
        [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/otopbot_load]

The LINE simulator runs in this process; the bot runs as real processes (gunicorn `otopbot.wsgi:app`
and `python -m otopbot worker`) against a PostgreSQL database whose schema is DROPPED and rebuilt
(so never point it at a database you care about; the default `otopbot_load` is created if absent).
Every request is a text message from a new LINE user, signed like LINE signs it and carrying a real
reply token issued by the simulator. Each step sends open-loop at a fixed rate (latency counts from
the moment the request was due, so a server that falls behind cannot hide it), then waits for the
bot to finish answering. Afterwards it checks, in the database and in the simulator, that every
event was stored once and answered exactly once, and prints one table.

This module also holds the harness shared by fault_runs.py and two_of_each.py (`Simulator`,
`Cluster`, `send_at_rate`, `audit`).
"""

from __future__ import annotations

import argparse
import base64
import collections
import hashlib
import hmac
import itertools
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from flask import Flask  # noqa: E402
from sqlalchemy import func, select, text  # noqa: E402

from otopbot.db import Database  # noqa: E402
from otopbot.models import InboundEvent, OutboxMessage  # noqa: E402
from otopbot.simulator import webhooks as wh  # noqa: E402
from otopbot.simulator.app import make_blueprint  # noqa: E402
from otopbot.simulator.serving import ServedApp, serve_in_thread  # noqa: E402
from otopbot.simulator.state import SimulatorState, new_user_id  # noqa: E402

SECRET = "loadtest-secret-0123456789abcdef"
TOKEN = "loadtest-access-token"
DEFAULT_DATABASE = "postgresql+psycopg://postgres@127.0.0.1:5432/otopbot_load"
MESSAGES = [
    "สวัสดีค่ะ",
    "มีอบรมเซรามิกที่ลำปางไหม",
    "มผช คืออะไร",
    "ดูการจองของฉัน",
    "ขอบคุณครับ",
    "help",
    "อยากลงทะเบียนค่ะ",
    "ขอเบอร์เจ้าหน้าที่หน่อย",
    "ฉลากอาหารต้องมีอะไรบ้าง",
    "อบรมกระดาษสาเดือนหน้า",
]
SEND_PATHS = ("/v2/bot/message/reply", "/v2/bot/message/push", "/v2/bot/message/multicast")


# ---- the LINE simulator, mounted once per bot process so calls can be attributed -----------------


class Simulator:
    """The LINE simulator on 127.0.0.1, with one mount per bot process (`/<label>/v2/...`).

    All mounts share one state; a small WSGI wrapper counts Messaging API calls per mount, so the
    report can say which process (web or worker) sent what.
    """

    def __init__(self, labels: Sequence[str]) -> None:
        self.labels = tuple(labels)
        self.state = SimulatorState(channel_secret=SECRET, access_token=TOKEN, quota=None)
        app = Flask("otopbot-load-simulator", static_folder=None)
        app.json.ensure_ascii = False  # type: ignore[attr-defined]
        app.register_blueprint(make_blueprint(self.state, "sim_root"))
        for label in self.labels:
            app.register_blueprint(make_blueprint(self.state, f"sim_{label}"), url_prefix=f"/{label}")
        self.calls: collections.Counter[tuple[str, str]] = collections.Counter()
        self.in_flight: collections.Counter[tuple[str, str]] = collections.Counter()
        self._lock = threading.Lock()
        inner = app.wsgi_app

        def counting(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
            path = str(environ.get("PATH_INFO", ""))
            label, _, rest = path.lstrip("/").partition("/")
            key = (label, "/" + rest) if label in self.labels else ("-", path)
            with self._lock:
                self.in_flight[key] += 1
            try:
                return inner(environ, start_response)
            finally:
                with self._lock:
                    self.in_flight[key] -= 1
                    self.calls[key] += 1

        app.wsgi_app = counting  # type: ignore[method-assign]
        self.served: ServedApp = serve_in_thread(app)

    def url_for(self, label: str) -> str:
        return f"{self.served.url}/{label}"

    def add_users(self, count: int, prefix: str = "user") -> list[str]:
        """Create following users directly in the simulator state (fast: no HTTP)."""
        ids = []
        with self.state.lock:
            for i in range(count):
                user = self.state.add_user(f"{prefix} {i}", new_user_id(), "th")
                user.following, user.ever_followed = True, True
                ids.append(user.user_id)
        return ids

    def text_body(self, user_id: str, text_: str) -> tuple[str, bytes]:
        """A signed-ready webhook body with one text event and a live reply token."""
        event = wh.text_event(self.state, user_id, text_)
        body = json.dumps(
            {"destination": self.state.destination, "events": [event]}, ensure_ascii=False, separators=(",", ":")
        ).encode()
        return event["webhookEventId"], body

    def sends_by(self) -> dict[str, int]:
        """Messaging API send calls (reply/push/multicast, any status) per process label."""
        with self._lock:
            totals: collections.Counter[str] = collections.Counter()
            for (label, path), count in self.calls.items():
                if path in SEND_PATHS:
                    totals[label] += count
            return dict(totals)

    def busy(self, label: str, path: str) -> int:
        with self._lock:
            return self.in_flight[(label, path)]

    def done(self, label: str, path: str) -> int:
        with self._lock:
            return self.calls[(label, path)]

    def delivered_per_user(self) -> collections.Counter[str]:
        with self.state.lock:
            return collections.Counter(e["userId"] for e in self.state.timeline if e["via"] != "user")

    def statuses(self) -> collections.Counter[tuple[str, int]]:
        with self.state.lock:
            return collections.Counter(
                (r["path"].rsplit("/", 1)[-1], int(r["status"])) for r in self.state.requests if r["path"] in SEND_PATHS
            )

    def first_answer_at(self) -> dict[str, float]:
        """When each user first received a message from the bot (wall clock)."""
        found: dict[str, float] = {}
        with self.state.lock:
            for entry in self.state.timeline:
                if entry["via"] != "user":
                    found.setdefault(entry["userId"], float(entry["at"]))
        return found

    def shutdown(self) -> None:
        self.served.shutdown()


def sign(body: bytes) -> dict[str, str]:
    signature = base64.b64encode(hmac.new(SECRET.encode(), body, hashlib.sha256).digest()).decode()
    return {
        "X-Line-Signature": signature,
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "LineBotWebhook/2.0",
    }


# ---- the database ----------------------------------------------------------------------------------


def ensure_database(url: str) -> None:
    """Create the target database if it does not exist (connecting to the `postgres` database)."""
    import psycopg

    name = url.rsplit("/", 1)[-1].split("?")[0]
    admin = url.replace("postgresql+psycopg://", "postgresql://").rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is None:
            conn.execute(f'CREATE DATABASE "{name}"')


def reset_database(url: str) -> None:
    """Drop and rebuild schema public, migrate, and load the content (`otopbot seed`): every run starts fresh."""
    from otopbot.migrate import upgrade
    from otopbot.seeding import seed_all
    from otopbot.settings import Settings

    if not url.startswith("postgresql"):
        raise SystemExit("this benchmark needs PostgreSQL (several processes share the database)")
    ensure_database(url)
    db = Database(url)
    with db.engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    db.dispose()
    upgrade(url)
    db = Database(url)
    seed_all(db, Settings(database_url=url, secret_key="load-test-secret-key-0123456789"))
    db.dispose()


# ---- the bot's processes -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Cluster:
    """gunicorn servers and `otopbot worker` processes, each talking to its own simulator mount."""

    simulator: Simulator
    database_url: str
    logdir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="otopbot-load-")))
    line_timeout: float = 5.0
    poll_seconds: float = 0.5
    webs: dict[str, tuple[subprocess.Popen[bytes], str]] = field(default_factory=dict)
    workers: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def env(self, label: str) -> dict[str, str]:
        return {
            **os.environ,
            "LINE_CHANNEL_SECRET": SECRET,
            "LINE_CHANNEL_ACCESS_TOKEN": TOKEN,
            "SECRET_KEY": "load-test-secret-key-0123456789",
            "DATABASE_URL": self.database_url,
            "LINE_API_BASE_URL": self.simulator.url_for(label),
            "LOG_LEVEL": "WARNING",
            "LINE_TIMEOUT_SECONDS": str(self.line_timeout),
            "WORKER_POLL_SECONDS": str(self.poll_seconds),
            "PYTHONPATH": str(ROOT / "src"),
        }

    def _log(self, label: str) -> Any:
        return open(self.logdir / f"{label}.log", "ab")

    def start_web(self, label: str, workers: int = 2, threads: int = 4) -> str:
        port = free_port()
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "--graceful-timeout",
            "5",
            "--preload",
            "otopbot.wsgi:app",
        ]
        log = self._log(label)
        process = subprocess.Popen(command, cwd=self.logdir, env=self.env(label), stdout=log, stderr=log)
        url = f"http://127.0.0.1:{port}"
        self.webs[label] = (process, url)
        return url

    def wait_web(self, timeout: float = 300) -> None:  # start-up is slow on a busy machine
        deadline = time.monotonic() + timeout
        for label, (process, url) in self.webs.items():
            while True:
                if process.poll() is not None:
                    raise SystemExit(f"{label} exited with {process.returncode}; see {self.logdir / label}.log")
                try:
                    if requests.get(f"{url}/healthz", timeout=2).status_code == 200:
                        break
                except requests.RequestException:
                    pass
                if time.monotonic() > deadline:
                    raise SystemExit(f"{label} did not start; see {self.logdir / label}.log")
                time.sleep(0.3)

    def start_worker(self, label: str) -> subprocess.Popen[bytes]:
        log = self._log(label)
        process = subprocess.Popen(
            [sys.executable, "-m", "otopbot", "worker"], cwd=self.logdir, env=self.env(label), stdout=log, stderr=log
        )
        self.workers[label] = process
        return process

    def wait_workers(self, database: Database, timeout: float = 120) -> None:
        """Queue probe pushes until every worker has sent at least one (they load the NLU first)."""
        probe_user = self.simulator.add_users(1, "probe")[0]
        deadline = time.monotonic() + timeout
        while True:
            sends = self.simulator.sends_by()
            if all(sends.get(label, 0) > 0 for label in self.workers):
                return
            for label, process in self.workers.items():
                if process.poll() is not None:
                    raise SystemExit(f"{label} exited with {process.returncode}; see {self.logdir / label}.log")
            if time.monotonic() > deadline:
                raise SystemExit(f"workers did not start; see {self.logdir}")
            queue_probe(database, probe_user)
            time.sleep(0.5)

    def kill_worker(self, label: str, sig: int = signal.SIGKILL) -> None:
        process = self.workers[label]
        process.send_signal(sig)
        process.wait(10)

    def alive(self) -> dict[str, bool]:
        found = {label: p.poll() is None for label, (p, _) in self.webs.items()}
        found.update({label: p.poll() is None for label, p in self.workers.items()})
        return found

    def stop(self) -> None:
        for process in [p for p, _ in self.webs.values()] + list(self.workers.values()):
            if process.poll() is None:
                process.terminate()
        for process in [p for p, _ in self.webs.values()] + list(self.workers.values()):
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()


def queue_probe(database: Database, line_user_id: str) -> None:
    from otopbot.replies import Text
    from otopbot.services import outbox

    with database.transaction() as session:
        outbox.multicast(session, [line_user_id], [Text("probe")], language="th")


# ---- sending -----------------------------------------------------------------------------------------------


@dataclass
class StepResult:
    rate: float
    sent: int
    wall: float
    latencies: list[float]
    errors: int
    first_try_errors: int = 0
    error_kinds: collections.Counter[str] = field(default_factory=collections.Counter)
    sent_at: list[float] = field(default_factory=list)  # wall-clock time each body was first posted

    @property
    def achieved(self) -> float:
        return self.sent / self.wall if self.wall else 0.0

    def pct(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000 if ordered else float("nan")

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies) * 1000 if self.latencies else float("nan")


def send_at_rate(
    targets: Sequence[str],
    bodies: Sequence[bytes],
    rate: float,
    senders: int = 64,
    redeliver: int = 0,
    extra: Callable[[int], Sequence[str]] | None = None,
) -> StepResult:
    """POST each body once, open loop at `rate`/s, round-robin over `targets`.

    Latency counts from when the request was due. `redeliver` > 0 behaves like LINE's webhook
    redelivery: a body that did not get a 2xx is sent again (same event) after 1, 2, 4 … s.
    `extra(i)` names more URLs that get the very same body at the same moment (racing duplicates).
    """
    n = len(bodies)
    latencies: list[float] = [0.0] * n
    outcome: list[str] = [""] * n
    first_fail = [False] * n
    sent_at = [0.0] * n
    counter = itertools.count()
    start = time.perf_counter() + 0.1
    finished = [start]

    def post(session: requests.Session, url: str, body: bytes) -> str:
        try:
            return str(session.post(url, data=body, headers=sign(body), timeout=10).status_code)
        except requests.RequestException as error:
            return type(error).__name__

    def sender() -> None:
        session = requests.Session()
        while (i := next(counter)) < n:
            due = start + i / rate
            if (pause := due - time.perf_counter()) > 0:
                time.sleep(pause)
            url = f"{targets[i % len(targets)]}/callback"
            twins = [
                threading.Thread(target=post, args=(requests.Session(), f"{u}/callback", bodies[i]))
                for u in (extra(i) if extra else ())
            ]
            for twin in twins:
                twin.start()
            sent_at[i] = time.time()
            result = post(session, url, bodies[i])
            latencies[i] = time.perf_counter() - due
            first_fail[i] = result != "200"
            for attempt in range(redeliver):
                if result == "200":
                    break
                time.sleep(2**attempt)
                result = post(session, url, bodies[i])
            for twin in twins:
                twin.join()
            outcome[i] = result
            finished.append(time.perf_counter())

    threads = [threading.Thread(target=sender, daemon=True) for _ in range(min(senders, n))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    kinds = collections.Counter(o for o in outcome if o != "200")
    return StepResult(
        rate,
        n,
        max(finished) - start,
        latencies,
        sum(kinds.values()),
        first_try_errors=sum(first_fail),
        error_kinds=kinds,
        sent_at=sent_at,
    )


# ---- waiting and checking -------------------------------------------------------------------------------------


def backlog(database: Database) -> tuple[int, int]:
    """(events not yet done or failed, outbox rows still pending)."""
    with database.transaction() as session:
        events = (
            session.scalar(
                select(func.count()).select_from(InboundEvent).where(InboundEvent.status.in_(["pending", "processing"]))
            )
            or 0
        )
        pending = (
            session.scalar(select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status == "pending"))
            or 0
        )
    return int(events), int(pending)


def wait_drained(database: Database, timeout: float = 180, quiet_for: float = 0.0) -> float:
    """Seconds until nothing is left to do (or `timeout`); `quiet_for` waits a little longer after."""
    began = time.monotonic()
    while time.monotonic() - began < timeout:
        try:
            if backlog(database) == (0, 0):
                time.sleep(quiet_for)
                if backlog(database) == (0, 0):
                    return time.monotonic() - began
        except Exception:  # the database may be restarting (fault runs); keep waiting
            database.engine.dispose()
        time.sleep(0.25)
    return float("inf")


@dataclass
class Audit:
    events_sent: int
    events_stored: int
    events_missing: int
    event_status: dict[str, int]
    outbox_status: dict[str, int]
    users_expected: int
    users_exact: int
    users_doubled: int
    users_short: int
    events_unanswered: int
    extra_messages: int
    missing_messages: int

    @property
    def ok(self) -> bool:
        return (
            self.events_missing == 0
            and self.events_stored == self.events_sent
            and set(self.event_status) <= {"done"}
            and set(self.outbox_status) <= {"sent"}
            and self.users_doubled == 0
            and self.users_short == 0
            and self.events_unanswered == 0
        )

    def lines(self) -> list[str]:
        return [
            f"events sent {self.events_sent}, stored {self.events_stored} (missing {self.events_missing}), "
            f"status {self.event_status}",
            f"outbox rows by status {self.outbox_status}",
            f"users checked {self.users_expected}: received exactly what the outbox holds {self.users_exact}, "
            f"doubled {self.users_doubled} (+{self.extra_messages} messages), short {self.users_short} "
            f"(-{self.missing_messages}), events with no answer queued {self.events_unanswered}",
        ]


def audit(
    database: Database, simulator: Simulator, sent_event_ids: Iterable[str], answered_users: Iterable[str] = ()
) -> Audit:
    """Compare what was sent, what the database holds and what the simulator delivered.

    For every user, the messages LINE delivered must equal the messages of the outbox rows that
    name them (LINE messages per row = replies in its payload): more is a double send, fewer a loss.
    `answered_users` are users each of whom sent exactly one event that must get an answer.
    """
    sent = set(sent_event_ids)
    with database.transaction() as session:
        stored = {row[0]: row[1] for row in session.execute(select(InboundEvent.webhook_event_id, InboundEvent.status))}
        outbox_rows = list(
            session.execute(select(OutboxMessage.recipients, OutboxMessage.payload, OutboxMessage.status))
        )
    event_status = collections.Counter(status for eid, status in stored.items() if eid in sent)
    outbox_status = collections.Counter(status for _, _, status in outbox_rows)
    expected: collections.Counter[str] = collections.Counter()
    rows_for: collections.Counter[str] = collections.Counter()
    for recipients, payload, status in outbox_rows:
        for user in recipients:
            rows_for[user] += 1
            if status == "sent":
                expected[user] += len(payload)
    delivered = simulator.delivered_per_user()
    users = set(expected) | set(delivered)
    doubled = [u for u in users if delivered[u] > expected[u]]
    short = [u for u in users if delivered[u] < expected[u]]
    answered = list(answered_users)
    return Audit(
        events_sent=len(sent),
        events_stored=sum(1 for eid in stored if eid in sent),
        events_missing=len(sent - set(stored)),
        event_status=dict(event_status),
        outbox_status=dict(outbox_status),
        users_expected=len(users),
        users_exact=len(users) - len(doubled) - len(short),
        users_doubled=len(doubled),
        users_short=len(short),
        events_unanswered=sum(1 for u in answered if rows_for[u] == 0),
        extra_messages=sum(delivered[u] - expected[u] for u in doubled),
        missing_messages=sum(expected[u] - delivered[u] for u in short),
    )


# ---- the load test itself ----------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rates", default="10,20,40,80,160")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--database-url", default=DEFAULT_DATABASE)
    parser.add_argument("--web-workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--senders", type=int, default=64)
    parser.add_argument("--drain-timeout", type=float, default=240)
    args = parser.parse_args()
    rates = [float(r) for r in args.rates.split(",")]

    reset_database(args.database_url)
    simulator = Simulator(["web", "worker"])
    cluster = Cluster(simulator, args.database_url)
    database = Database(args.database_url)
    try:
        web = cluster.start_web("web", args.web_workers, args.threads)
        cluster.start_worker("worker")
        cluster.wait_web()
        cluster.wait_workers(database)
        print(
            f"bot: gunicorn {args.web_workers} workers x {args.threads} threads + 1 otopbot worker; "
            f"PostgreSQL {args.database_url.rsplit('@', 1)[-1]}; {os.cpu_count()} CPUs; logs in {cluster.logdir}"
        )
        print(f"each step: {args.seconds:.0f} s open-loop at the rate, one text message per new LINE user\n")
        results: list[tuple[StepResult, float, list[float]]] = []
        sent_ids: list[str] = []
        answered_users: list[str] = []
        for rate in rates:
            count = int(rate * args.seconds)
            users = simulator.add_users(count, f"r{int(rate)}")
            pairs = [simulator.text_body(u, MESSAGES[i % len(MESSAGES)]) for i, u in enumerate(users)]
            result = send_at_rate([web], [b for _, b in pairs], rate, args.senders)
            drain = wait_drained(database, args.drain_timeout)
            sent_ids += [eid for eid, _ in pairs]
            answered_users += users
            answered = simulator.first_answer_at()
            delays = [answered[u] - t for u, t in zip(users, result.sent_at, strict=False) if u in answered]
            results.append((result, drain, delays))
            print(
                f"  {rate:6.0f}/s  achieved {result.achieved:6.1f}/s  p50 {result.p50:7.1f} ms  "
                f"p99 {result.pct(0.99):7.1f} ms  errors {result.errors}  answer p50 {_q(delays, 0.5):5.1f} s "
                f"p99 {_q(delays, 0.99):5.1f} s  backlog drained in {drain:5.1f} s",
                flush=True,
            )
        checked = audit(database, simulator, sent_ids, answered_users)
        report(results, checked, simulator)
    finally:
        cluster.stop()
        database.dispose()
        simulator.shutdown()


def _q(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def report(results: list[tuple[StepResult, float, list[float]]], checked: Audit, simulator: Simulator) -> None:
    print(
        "\n| target req/s | achieved req/s | sent | webhook p50 ms | p99 ms | max ms | errors "
        "| answer in chat p50 s | p99 s | drained after step |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    held = 0.0
    for result, drain, delays in results:
        print(
            f"| {result.rate:.0f} | {result.achieved:.1f} | {result.sent} | {result.p50:.1f} | "
            f"{result.pct(0.99):.1f} | {max(result.latencies) * 1000:.1f} | {result.errors} | "
            f"{_q(delays, 0.5):.1f} | {_q(delays, 0.99):.1f} | {drain:.1f} s |"
        )
        if result.errors == 0 and result.pct(0.99) < 1000 and result.achieved >= 0.9 * result.rate:
            held = max(held, result.rate)
    print(
        f"\nhighest rate held with webhook p99 < 1 s and no errors: {held:.0f} req/s "
        "(webhook = LINE's POST answered; 'answer in chat' = until the reply reached the user)"
    )
    sends = simulator.sends_by()
    print(
        f"LINE send calls by process: web {sends.get('web', 0)}, worker {sends.get('worker', 0)}; "
        f"statuses {dict(simulator.statuses())}"
    )
    for line in checked.lines():
        print(line)
    print("exactly once: " + ("PASS" if checked.ok else "FAIL"))


if __name__ == "__main__":
    main()
