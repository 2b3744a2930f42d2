"""Database triggers that make the audit table append-only, whatever code runs against it.

The test suite removes them only around its own table flushes (see conftest.py).
"""

from django.db.backends.base.base import BaseDatabaseWrapper

_SQL = {
    "sqlite": (
        [
            """CREATE TRIGGER IF NOT EXISTS audit_event_no_update BEFORE UPDATE ON audit_auditevent
               BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;""",
            """CREATE TRIGGER IF NOT EXISTS audit_event_no_delete BEFORE DELETE ON audit_auditevent
               BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;""",
        ],
        [
            "DROP TRIGGER IF EXISTS audit_event_no_update;",
            "DROP TRIGGER IF EXISTS audit_event_no_delete;",
        ],
    ),
    "postgresql": (
        [
            """CREATE OR REPLACE FUNCTION audit_event_refuse_change() RETURNS trigger AS $$
               BEGIN RAISE EXCEPTION 'audit events are append-only'; END; $$ LANGUAGE plpgsql;""",
            """CREATE OR REPLACE TRIGGER audit_event_append_only
               BEFORE UPDATE OR DELETE ON audit_auditevent
               FOR EACH ROW EXECUTE FUNCTION audit_event_refuse_change();""",
            # TRUNCATE skips row triggers, so it is refused separately.
            """CREATE OR REPLACE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_auditevent
               FOR EACH STATEMENT EXECUTE FUNCTION audit_event_refuse_change();""",
        ],
        [
            "DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_auditevent;",
            "DROP TRIGGER IF EXISTS audit_event_append_only ON audit_auditevent;",
        ],
    ),
}


def install(connection: BaseDatabaseWrapper) -> None:
    install_sql, _ = _SQL.get(connection.vendor, ([], []))
    with connection.cursor() as cursor:
        for statement in install_sql:
            cursor.execute(statement)


def remove(connection: BaseDatabaseWrapper) -> None:
    _, remove_sql = _SQL.get(connection.vendor, ([], []))
    with connection.cursor() as cursor:
        for statement in remove_sql:
            cursor.execute(statement)
