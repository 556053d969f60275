"""Fill a database with the content under bot/: sample workshops and the knowledge base."""

from __future__ import annotations

from otopbot.db import Database, utcnow
from otopbot.settings import Settings


def seed_all(database: Database, settings: Settings) -> dict[str, int]:
    """Idempotent: running it twice changes nothing the second time. Broken content raises ContentError."""
    from otopbot.content import check_content
    from otopbot.knowledge.store import sync_from_content
    from otopbot.services.workshops import load_sample_workshops

    check_content(settings.content_dir)
    with database.transaction() as session:
        workshops = load_sample_workshops(session, settings.content_dir, utcnow())
    with database.transaction() as session:
        entries = sync_from_content(session, settings.content_dir)
    return {"workshops": workshops, "knowledge entries": entries}
