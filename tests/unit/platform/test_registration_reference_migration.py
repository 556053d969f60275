"""The `polish1` migration: models and schema agree, and registrations made before it get a reference."""

from __future__ import annotations

from datetime import UTC, datetime

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

import otopbot.models  # noqa: F401  (every table on Base.metadata)
from otopbot.db import Base, Database
from otopbot.migrate import upgrade
from otopbot.services.registrations import reference_from

INSERT = text(
    "INSERT INTO registrations (enterprise_type, province, region, category, help_wanted, language, status, "
    "created_at, updated_at, erased_at) VALUES ('sme', 'น่าน', 'north', 'paper', '', 'th', 'pending', :at, :at, :erased)"
)


def test_the_migrated_schema_matches_the_models(database_url: str) -> None:
    upgrade(database_url)
    db = Database(database_url)
    with db.engine.connect() as connection:
        diffs = compare_metadata(MigrationContext.configure(connection, opts={"compare_type": True}), Base.metadata)
    db.dispose()
    assert not diffs, diffs


def test_registrations_made_before_the_migration_get_a_reference_and_erased_ones_do_not(database_url: str) -> None:
    upgrade(database_url, "0001")
    db = Database(database_url)
    at = datetime(2026, 11, 1, tzinfo=UTC).replace(tzinfo=None)
    with db.engine.begin() as connection:
        for erased in (None, None, at):
            connection.execute(INSERT, {"at": at, "erased": erased})
    upgrade(database_url)
    with db.engine.connect() as connection:
        rows = connection.execute(text("SELECT reference, erased_at FROM registrations ORDER BY id")).all()
    db.dispose()
    live = [r.reference for r in rows if r.erased_at is None]
    assert len(set(live)) == 2 and all(reference_from(ref) == ref for ref in live), rows
    assert [r.reference for r in rows if r.erased_at is not None] == [None]
