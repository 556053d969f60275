"""Broadcast to 10,000 followers through the LINE simulator: multicasts of 500 vs one push each.

Run: .venv/bin/python benchmarks/broadcast_bench.py [--followers 10000] [--delay 0.01] [--push-sample 1000]

Both paths go through the real outbox and the worker's delivery (`otopbot.worker.delivery`) over
HTTP to the simulator, with a per-call delay fault standing in for the network round trip to LINE.
The one-by-one path is timed on `--push-sample` followers and scaled to the full audience (pushing
to all 10,000 one by one would take minutes, which is the point).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from sqlalchemy import insert, select

from otopbot.db import Database, utcnow
from otopbot.line.client import LineClient
from otopbot.migrate import upgrade
from otopbot.models import LineUser, Registration
from otopbot.replies import Text
from otopbot.services import broadcasts, outbox
from otopbot.settings import Settings
from otopbot.simulator.app import create_simulator, state_of
from otopbot.simulator.client import SimulatorClient
from otopbot.simulator.serving import serve_in_thread
from otopbot.worker.delivery import deliver, due_ids

SECRET, TOKEN = "0123456789abcdef0123456789abcdef", "bench-token"
ROOT = Path(__file__).resolve().parents[1]


def seed(database: Database, sim_app: object, followers: int) -> list[str]:
    """Followers in our database (with a registration) and in the simulator."""
    state = state_of(sim_app)  # type: ignore[arg-type]
    ids = [f"U{n:032x}" for n in range(followers)]
    for uid in ids:
        state.add_user("bench", user_id=uid, language="th").following = True
    with database.transaction() as db:
        db.execute(insert(LineUser), [{"line_user_id": uid, "language": "th", "following": True} for uid in ids])
        user_ids = list(db.scalars(select(LineUser.id).order_by(LineUser.id)))
        db.execute(
            insert(Registration),
            [
                {
                    "user_id": user_id,
                    "enterprise_name": f"e{user_id}",
                    "enterprise_type": "sme",
                    "province": "ลำปาง",
                    "region": "north",
                    "category": "ceramics",
                    "language": "th",
                    "status": "pending",
                }
                for user_id in user_ids
            ],
        )
    return ids


def drain(database: Database, line: LineClient) -> int:
    """Deliver every due outbox row the way the worker does; returns rows delivered."""
    delivered = 0
    while True:
        with database.transaction() as db:
            ids = due_ids(db, utcnow(), limit=500)
        if not ids:
            return delivered
        for outbox_id in ids:
            delivered += deliver(database, line, outbox_id)


def calls(sim: SimulatorClient, path: str) -> int:
    return sum(1 for r in sim.requests() if r["path"] == path)


def run(followers: int, delay: float, push_sample: int) -> None:
    workdir = Path(tempfile.mkdtemp(prefix="broadcast-bench-"))
    url = f"sqlite:///{workdir / 'bench.sqlite3'}"
    upgrade(url)
    database = Database(url)
    sim_app = create_simulator(SECRET, TOKEN, None)
    served = serve_in_thread(sim_app)
    sim = SimulatorClient(served.url)
    settings = Settings(
        database_url=url,
        secret_key="bench-secret-key-0123456789",
        line_channel_secret=SECRET,
        line_channel_access_token=TOKEN,
        line_api_base_url=served.url,
        content_dir=ROOT / "bot",
        locales_dir=ROOT / "locales",
    )
    line = LineClient(settings)
    try:
        ids = seed(database, sim_app, followers)
        sim.add_fault("*", count=10**9, delay=delay)
        print(f"followers: {followers}, simulated LINE round trip: {delay * 1000:.0f} ms per call")

        started = time.perf_counter()
        with database.transaction() as db:
            item = broadcasts.create(
                db,
                title="bench",
                payload=broadcasts.text_payload("ประกาศทดสอบ", None),
                audience={"category": "ceramics"},
                created_by="bench",
            )
            queued = broadcasts.dispatch_due(db, utcnow())
        queued_at = time.perf_counter()
        rows = drain(database, line)
        finished = time.perf_counter()
        received = sum(1 for e in state_of(sim_app).timeline if e["via"] == "multicast")
        multicasts = calls(sim, "/v2/bot/message/multicast")
        print(
            f"multicast: {multicasts} calls (floor {-(-followers // 500)}), {rows} outbox rows, "
            f"{received} messages received; queue {queued_at - started:.2f} s, deliver {finished - queued_at:.2f} s, "
            f"total {finished - started:.2f} s (broadcast {item.id}, dispatched {queued})"
        )

        sample = ids[:push_sample]
        started = time.perf_counter()
        with database.transaction() as db:
            users = list(db.scalars(select(LineUser).where(LineUser.line_user_id.in_(sample))))
            for user in users:
                outbox.push(db, user, [Text("ประกาศทดสอบ")])
        drain(database, line)
        elapsed = time.perf_counter() - started
        pushes = calls(sim, "/v2/bot/message/push")
        scaled = elapsed * followers / max(1, len(sample))
        print(
            f"one push each: {pushes} calls for {len(sample)} followers in {elapsed:.2f} s; "
            f"scaled to {followers}: {followers} calls, ~{scaled:.0f} s "
            f"({scaled / max(1e-9, finished - queued_at):.0f}x slower than multicast delivery)"
        )
    finally:
        line.close()
        sim.close()
        served.shutdown()
        database.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--followers", type=int, default=10_000)
    parser.add_argument("--delay", type=float, default=0.01, help="seconds added to every LINE call")
    parser.add_argument("--push-sample", type=int, default=1000)
    args = parser.parse_args()
    run(args.followers, args.delay, args.push_sample)


if __name__ == "__main__":
    main()
