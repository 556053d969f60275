"""Browser fixtures live in tests/conftest.py (one Playwright per test session)."""
