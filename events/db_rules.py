"""Rules that span two tables, kept by the database itself with triggers.

A programme item lies within its event: checked by the database whenever an item is
written (when an event is moved, its items are written after it). SQLite refuses to
rebuild a table that a trigger refers to, and Django rebuilds tables for many schema
changes there, so the triggers are dropped before ``migrate`` runs and created again
after it (``pre_migrate`` / ``post_migrate``): no migration has to know about them.
"""

_SQLITE_TRIGGER = """
    CREATE TRIGGER IF NOT EXISTS events_programmeitem_within_event_%(name)s
    BEFORE %(action)s ON events_programmeitem
    FOR EACH ROW
    WHEN EXISTS (
        SELECT 1 FROM events_event e
        WHERE e.id = NEW.event_id AND (NEW.starts_at < e.starts_at OR NEW.ends_at > e.ends_at)
    )
    BEGIN SELECT RAISE(ABORT, 'programme item must lie within its event'); END;
"""
_SQLITE_CREATE = [
    _SQLITE_TRIGGER % {"name": "insert", "action": "INSERT"},
    _SQLITE_TRIGGER % {"name": "update", "action": "UPDATE"},
]
_SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS events_programmeitem_within_event_{action};"
    for action in ("insert", "update")
]

_POSTGRES_CREATE = [
    """
    CREATE OR REPLACE FUNCTION events_programmeitem_within_event() RETURNS trigger AS $$
    BEGIN
        IF EXISTS (
            SELECT 1 FROM events_event e
            WHERE e.id = NEW.event_id AND (NEW.starts_at < e.starts_at OR NEW.ends_at > e.ends_at)
        ) THEN
            RAISE EXCEPTION 'programme item must lie within its event'
                USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql;
    """,
    "DROP TRIGGER IF EXISTS events_programmeitem_within_event ON events_programmeitem;",
    """
    CREATE TRIGGER events_programmeitem_within_event
    BEFORE INSERT OR UPDATE ON events_programmeitem
    FOR EACH ROW EXECUTE FUNCTION events_programmeitem_within_event();
    """,
]
_POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS events_programmeitem_within_event ON events_programmeitem;",
]


def _run(connection, statements) -> None:
    # Raw SQL: the ORM has no way to declare triggers.
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def _table_exists(connection) -> bool:
    with connection.cursor() as cursor:
        return "events_programmeitem" in connection.introspection.table_names(cursor)


def drop_triggers(using: str = "default", **kwargs) -> None:
    from django.db import connections

    connection = connections[using]
    if not _table_exists(connection):
        return
    statements = {"sqlite": _SQLITE_DROP, "postgresql": _POSTGRES_DROP}
    _run(connection, statements.get(connection.vendor, []))


def create_triggers(using: str = "default", **kwargs) -> None:
    from django.db import connections

    connection = connections[using]
    if not _table_exists(connection):
        return
    statements = {"sqlite": _SQLITE_CREATE, "postgresql": _POSTGRES_CREATE}
    _run(connection, statements.get(connection.vendor, []))
