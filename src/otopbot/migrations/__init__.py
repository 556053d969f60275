"""Alembic migrations, shipped inside the package so `otopbot db upgrade` works from a wheel."""
