"""A programme item lies within its event: a rule across two tables, so a trigger.

Checked when an item is written. When an event is moved, its service writes the event
first and then its items, so each item is checked against the new dates.
"""

from django.db import migrations

MESSAGE = "programme item must lie within its event"

SQLITE_FORWARD = [
    f"""
    CREATE TRIGGER events_programmeitem_within_event_{action.lower()}
    BEFORE {action} ON events_programmeitem
    FOR EACH ROW
    WHEN EXISTS (
        SELECT 1 FROM events_event e
        WHERE e.id = NEW.event_id AND (NEW.starts_at < e.starts_at OR NEW.ends_at > e.ends_at)
    )
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
    """
    for action in ("INSERT", "UPDATE")
]
SQLITE_BACKWARD = [
    f"DROP TRIGGER IF EXISTS events_programmeitem_within_event_{action};"
    for action in ("insert", "update")
]

POSTGRES_FORWARD = [
    f"""
    CREATE OR REPLACE FUNCTION events_programmeitem_within_event() RETURNS trigger AS $$
    BEGIN
        IF EXISTS (
            SELECT 1 FROM events_event e
            WHERE e.id = NEW.event_id AND (NEW.starts_at < e.starts_at OR NEW.ends_at > e.ends_at)
        ) THEN
            RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER events_programmeitem_within_event
    BEFORE INSERT OR UPDATE ON events_programmeitem
    FOR EACH ROW EXECUTE FUNCTION events_programmeitem_within_event();
    """,
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS events_programmeitem_within_event ON events_programmeitem;",
    "DROP FUNCTION IF EXISTS events_programmeitem_within_event();",
]


def forward(apps, schema_editor):
    statements = {"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}
    for sql in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


def backward(apps, schema_editor):
    statements = {"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}
    for sql in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("events", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
