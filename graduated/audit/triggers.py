"""Database triggers that make the audit tables append-only, whatever code runs against them.

They guard the audit trail, the security log and both hash chains' seals. ``install`` and
``remove`` skip tables that do not exist yet, so the first trigger migration (which runs before the
later tables are created) and the test suite's flush handling (see conftest.py) share them.
The test suite removes them only around its own table flushes.
"""

from django.db.backends.base.base import BaseDatabaseWrapper

# The audit trail's own trigger names predate the other tables; they are kept so that databases
# (and backups) made before keep working with ``remove``.
_LEGACY = "audit_auditevent"
TABLES = ("audit_auditevent", "audit_securityevent", "audit_auditseal", "audit_securityeventseal")


def _prefix(table: str) -> str:
    return "audit_event" if table == _LEGACY else table


def _sqlite(table: str) -> tuple[list[str], list[str]]:
    name = _prefix(table)
    install = [
        f"""CREATE TRIGGER IF NOT EXISTS {name}_no_update BEFORE UPDATE ON {table}
            BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;""",
        f"""CREATE TRIGGER IF NOT EXISTS {name}_no_delete BEFORE DELETE ON {table}
            BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;""",
    ]
    return install, [f"DROP TRIGGER IF EXISTS {name}_no_update;", f"DROP TRIGGER IF EXISTS {name}_no_delete;"]


_PG_FUNCTION = """CREATE OR REPLACE FUNCTION audit_event_refuse_change() RETURNS trigger AS $$
    BEGIN RAISE EXCEPTION 'audit events are append-only'; END; $$ LANGUAGE plpgsql;"""


def _postgresql(table: str) -> tuple[list[str], list[str]]:
    name = _prefix(table)
    install = [
        _PG_FUNCTION,
        f"""CREATE OR REPLACE TRIGGER {name}_append_only BEFORE UPDATE OR DELETE ON {table}
            FOR EACH ROW EXECUTE FUNCTION audit_event_refuse_change();""",
        # TRUNCATE skips row triggers, so it is refused separately.
        f"""CREATE OR REPLACE TRIGGER {name}_no_truncate BEFORE TRUNCATE ON {table}
            FOR EACH STATEMENT EXECUTE FUNCTION audit_event_refuse_change();""",
    ]
    remove = [
        f"DROP TRIGGER IF EXISTS {name}_no_truncate ON {table};",
        f"DROP TRIGGER IF EXISTS {name}_append_only ON {table};",
    ]
    return install, remove


_BUILDERS = {"sqlite": _sqlite, "postgresql": _postgresql}


def _statements(connection: BaseDatabaseWrapper, *, installing: bool) -> list[str]:
    builder = _BUILDERS.get(connection.vendor)
    if builder is None:
        return []
    existing = set(connection.introspection.table_names())
    statements: list[str] = []
    for table in TABLES:
        if table in existing:
            install, remove = builder(table)
            statements += install if installing else remove
    return statements


def install(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        for statement in _statements(connection, installing=True):
            cursor.execute(statement)


def remove(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        for statement in _statements(connection, installing=False):
            cursor.execute(statement)
