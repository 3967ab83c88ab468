"""A search index over contacts' name, email and phone: finding a person by part of a name (issue 4)

The person lookup matched exact identifiers only, so "Tanner" found nobody. Substring search must stay indexed
at 1M people (a LIKE '%...%' over contacts reads every row):

- SQLite: an FTS5 table with the trigram tokenizer (substring match, case-insensitive, terms of 3+ characters)
  over contacts as external content, so the values are stored once, in contacts. Triggers keep it current on
  insert, update and delete (an erasure's blanking or deletion removes the person's entry).
- PostgreSQL: pg_trgm GIN indexes on lower(full_name), email (stored lower-cased) and phone; they serve
  LIKE '%...%' for patterns of 3+ characters.

Neither is in the models (a virtual table, an extension's operator class): data_access.migrate.include_name
leaves them out of the models-versus-database comparison by their names (SEARCH_OBJECTS_PREFIX).

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = ("full_name", "email", "phone")
# PostgreSQL: one index per column (each OR branch of the search reads its own), lower() where not stored lowered
PG_INDEXES = {
    "contact_search_full_name": "lower(full_name)",
    "contact_search_email": "email",
    "contact_search_phone": "phone",
}


def _sqlite_triggers() -> list[str]:
    new = ", ".join(f"new.{c}" for c in COLUMNS)
    old = ", ".join(f"old.{c}" for c in COLUMNS)
    cols = ", ".join(COLUMNS)
    insert = f"INSERT INTO contact_search (rowid, {cols}) VALUES (new.person_id, {new});"
    # External content: FTS5 removes an entry only when given the values it was indexed with.
    delete = (
        f"INSERT INTO contact_search (contact_search, rowid, {cols}) VALUES ('delete', old.person_id, {old});"
    )
    return [
        f"CREATE TRIGGER contact_search_insert AFTER INSERT ON contacts BEGIN {insert} END",
        f"CREATE TRIGGER contact_search_delete AFTER DELETE ON contacts BEGIN {delete} END",
        f"CREATE TRIGGER contact_search_update AFTER UPDATE OF person_id, {cols} ON contacts "
        f"BEGIN {delete} {insert} END",
    ]


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            f"CREATE VIRTUAL TABLE contact_search USING fts5({', '.join(COLUMNS)}, content='contacts', "
            "content_rowid='person_id', tokenize='trigram')"
        )
        for trigger in _sqlite_triggers():
            op.execute(trigger)
        op.execute(
            "INSERT INTO contact_search (contact_search) VALUES ('rebuild')"
        )  # the contacts already held
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, expression in PG_INDEXES.items():
        op.execute(f"CREATE INDEX {name} ON contacts USING gin ({expression} gin_trgm_ops)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER contact_search_{trigger}")
        op.execute("DROP TABLE contact_search")
        return
    for name in PG_INDEXES:
        op.execute(f"DROP INDEX {name}")
    # pg_trgm stays: other objects may use it, and an extension is the database's, not this schema's
