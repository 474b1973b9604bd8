"""Alembic migrations of the claim store (run by services.core.database.migrate)."""
