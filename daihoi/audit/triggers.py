"""Database triggers that keep the audit chain append-only, for PostgreSQL and SQLite.

The SQL lives here once and is used by the migration that installs it and by
`suspend_immutability()`, which lifts it for the length of one restore transaction.

Rows of the chain may be inserted, never updated, deleted or truncated. The head row
(`AuditHead`) may be updated — `record()` moves it forward — but never deleted.

SQLite rebuilds a table for most schema changes and the rebuild drops its triggers: a later
migration that alters these tables must run `install(schema_editor)` again after it.
"""

from __future__ import annotations

ENTRY_TABLE = "audit_auditentry"
HEAD_TABLE = "audit_audithead"
TABLES = (ENTRY_TABLE, HEAD_TABLE)

MESSAGE = "audit log is append-only (nhật ký kiểm toán chỉ được ghi thêm)"

# No "%" anywhere: psycopg would read it as a parameter placeholder.
POSTGRESQL_FUNCTION = f"""
CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION USING
        MESSAGE = '{MESSAGE}: ' || TG_OP || ' ' || TG_TABLE_NAME,
        ERRCODE = 'restrict_violation';
END
$$
"""

POSTGRESQL_TRIGGERS = (
    f"""CREATE TRIGGER audit_entry_no_update_delete BEFORE UPDATE OR DELETE ON {ENTRY_TABLE}
        FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()""",
    f"""CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON {ENTRY_TABLE}
        FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change()""",
    f"""CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON {HEAD_TABLE}
        FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()""",
    f"""CREATE TRIGGER audit_head_no_truncate BEFORE TRUNCATE ON {HEAD_TABLE}
        FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change()""",
)

POSTGRESQL_DROP = (
    f"DROP TRIGGER IF EXISTS audit_entry_no_update_delete ON {ENTRY_TABLE}",
    f"DROP TRIGGER IF EXISTS audit_entry_no_truncate ON {ENTRY_TABLE}",
    f"DROP TRIGGER IF EXISTS audit_head_no_delete ON {HEAD_TABLE}",
    f"DROP TRIGGER IF EXISTS audit_head_no_truncate ON {HEAD_TABLE}",
    "DROP FUNCTION IF EXISTS audit_refuse_change()",
)

# SQLite has no TRUNCATE: its "DELETE FROM t" without WHERE fires the row trigger like any delete.
SQLITE_TRIGGERS = (
    f"""CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON {ENTRY_TABLE}
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
    f"""CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON {ENTRY_TABLE}
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
    f"""CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON {HEAD_TABLE}
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
)

SQLITE_DROP = (
    "DROP TRIGGER IF EXISTS audit_entry_no_update",
    "DROP TRIGGER IF EXISTS audit_entry_no_delete",
    "DROP TRIGGER IF EXISTS audit_head_no_delete",
)

# Used inside a transaction by suspend_immutability(). DISABLE TRIGGER USER leaves the
# foreign-key triggers PostgreSQL creates itself alone.
POSTGRESQL_DISABLE = tuple(f"ALTER TABLE {t} DISABLE TRIGGER USER" for t in TABLES)
POSTGRESQL_ENABLE = tuple(f"ALTER TABLE {t} ENABLE TRIGGER USER" for t in TABLES)


def install_statements(vendor: str) -> tuple[str, ...]:
    if vendor == "postgresql":
        return (POSTGRESQL_FUNCTION, *POSTGRESQL_TRIGGERS)
    if vendor == "sqlite":
        return SQLITE_TRIGGERS
    return ()  # other databases: the ORM guard is the only protection


def remove_statements(vendor: str) -> tuple[str, ...]:
    if vendor == "postgresql":
        return POSTGRESQL_DROP
    if vendor == "sqlite":
        return SQLITE_DROP
    return ()


def install(apps, schema_editor) -> None:
    """Migration step (RunPython): create the triggers for this database."""
    for sql in install_statements(schema_editor.connection.vendor):
        schema_editor.execute(sql, params=None)


def remove(apps, schema_editor) -> None:
    """Migration step backwards: drop the triggers."""
    for sql in remove_statements(schema_editor.connection.vendor):
        schema_editor.execute(sql, params=None)
