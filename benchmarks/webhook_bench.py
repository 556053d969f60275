"""Webhook throughput and latency under gunicorn (2 workers), beside a signature-only Flask handler.

    .venv/bin/python benchmarks/webhook_bench.py [--seconds 15] [--concurrency 8] [--database-url URL]

Both servers run under the same gunicorn settings in the same run; the load generator posts signed
text-message webhooks for many distinct users on 127.0.0.1 and prints p50/p95/p99 and requests/s,
and their ratio. The bot is connected to an in-process LINE simulator, so replies really go out.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from otopbot.simulator.app import create_simulator  # noqa: E402
from otopbot.simulator.serving import serve_in_thread  # noqa: E402

SECRET = "benchmark-secret-0123456789abcdef"
TOKEN = "benchmark-token"
MESSAGES = ["สวัสดีค่ะ", "มีอบรมเซรามิกที่ลำปางไหม", "มผช คืออะไร", "ดูการจองของฉัน", "ขอบคุณครับ", "help"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def signed(body: bytes) -> dict[str, str]:
    signature = base64.b64encode(hmac.new(SECRET.encode(), body, hashlib.sha256).digest()).decode()
    return {"X-Line-Signature": signature, "Content-Type": "application/json"}


def event_body(i: int) -> bytes:
    user = "U" + hashlib.md5(str(i % 500).encode()).hexdigest()
    event = {
        "type": "message",
        "mode": "active",
        "timestamp": int(time.time() * 1000),
        "webhookEventId": uuid.uuid4().hex[:26].upper(),
        "deliveryContext": {"isRedelivery": False},
        "source": {"type": "user", "userId": user},
        "replyToken": uuid.uuid4().hex,
        "message": {"id": str(i), "type": "text", "text": MESSAGES[i % len(MESSAGES)], "quoteToken": "q"},
    }
    return json.dumps({"destination": "U" + "0" * 32, "events": [event]}, ensure_ascii=False).encode()


def start_gunicorn(app: str, port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "--workers",
        "2",
        "--threads",
        "4",
        "--bind",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
        "--preload",
        app,
    ]
    process = subprocess.Popen(command, cwd=ROOT / "benchmarks", env=env)
    deadline = time.monotonic() + 240  # loading the NLU and knowledge takes a while on a busy machine
    while time.monotonic() < deadline:
        try:
            requests.post(f"http://127.0.0.1:{port}/callback", data=b"{}", timeout=1)
            return process
        except requests.ConnectionError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit(f"{app} did not start")


def load(url: str, seconds: float, concurrency: int) -> tuple[list[float], int, float]:
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop = time.monotonic() + seconds
    counter = iter(range(10**9))

    def client() -> None:
        nonlocal errors
        session = requests.Session()
        while time.monotonic() < stop:
            body = event_body(next(counter))
            started = time.perf_counter()
            response = session.post(url, data=body, headers=signed(body), timeout=10)
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                errors += response.status_code != 200

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, errors, time.perf_counter() - began


def report(name: str, latencies: list[float], errors: int, wall: float) -> dict[str, float]:
    ordered = sorted(latencies)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000  # noqa: E731
    figures = {
        "rps": len(ordered) / wall,
        "p50": statistics.median(ordered) * 1000,
        "p95": pick(0.95),
        "p99": pick(0.99),
    }
    print(
        f"{name:<28} {figures['rps']:8.1f} req/s   p50 {figures['p50']:7.1f} ms   p95 {figures['p95']:7.1f} ms"
        f"   p99 {figures['p99']:7.1f} ms   errors {errors}"
    )
    return figures


def answered_report(database_url: str, timeout: float = 120) -> None:
    """Wait until every stored event is answered (web process or worker) and say how long that took."""
    from sqlalchemy import func, select

    from otopbot.db import Database
    from otopbot.models import InboundEvent, InboundStatus

    database = Database(database_url)
    started = time.monotonic()
    while True:
        with database.transaction() as session:
            counts = dict(
                session.execute(select(InboundEvent.status, func.count()).group_by(InboundEvent.status)).all()
            )
        waiting = counts.get(InboundStatus.PENDING, 0) + counts.get(InboundStatus.PROCESSING, 0)
        if not waiting or time.monotonic() - started > timeout:
            break
        time.sleep(0.5)
    database.dispose()
    print(
        f"{'':<28} events answered {counts.get(InboundStatus.DONE, 0)}, still waiting {waiting}, "
        f"backlog drained {time.monotonic() - started:.1f} s after the load stopped"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--drain-timeout", type=float, default=300, help="seconds to wait for every answer")
    parser.add_argument("--workers", type=int, default=1, help="`otopbot worker` processes answering")
    args = parser.parse_args()
    simulator = serve_in_thread(create_simulator(SECRET, TOKEN, None))
    workdir = tempfile.mkdtemp(prefix="otopbot-bench-")
    database_url = args.database_url or f"sqlite:///{workdir}/bench.sqlite3"
    env = {
        **os.environ,
        "LINE_CHANNEL_SECRET": SECRET,
        "LINE_CHANNEL_ACCESS_TOKEN": TOKEN,
        "SECRET_KEY": "b" * 32,
        "DATABASE_URL": database_url,
        "LINE_API_BASE_URL": simulator.url,
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT / "src"),
    }
    subprocess.run(
        [sys.executable, "-m", "otopbot", "db", "upgrade"], env=env, check=True, cwd=workdir, stdout=subprocess.DEVNULL
    )
    print(
        f"gunicorn, 2 workers x 4 threads; {args.workers} otopbot worker(s); {args.concurrency} clients for "
        f"{args.seconds:.0f} s each; database {database_url.split(':')[0]}"
    )
    results = {}
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    workers = [
        subprocess.Popen([sys.executable, "-m", "otopbot", "worker"], env=env, cwd=workdir) for _ in range(args.workers)
    ]
    try:
        for name, app in (("signature-only Flask", "_minimal_webhook:app"), ("otopbot webhook", "otopbot.wsgi:app")):
            port = free_port()
            server = start_gunicorn(app, port, env)
            try:
                results[name] = report(name, *load(f"http://127.0.0.1:{port}/callback", args.seconds, args.concurrency))
                if name == "otopbot webhook":
                    answered_report(database_url, args.drain_timeout)
            finally:
                server.terminate()
                server.wait(10)
    finally:
        for worker in workers:
            worker.terminate()
            worker.wait(10)
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    base, ours = results["signature-only Flask"], results["otopbot webhook"]
    print(
        f"ratio otopbot / baseline: throughput {ours['rps'] / base['rps']:.2f}x, p99 {ours['p99'] / base['p99']:.2f}x"
    )
    simulator.shutdown()


if __name__ == "__main__":
    main()
