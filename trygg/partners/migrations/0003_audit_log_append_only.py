"""A trigger on each database refuses UPDATE of audit rows: history cannot be edited, even by SQL.

DELETE is left to the application (which refuses it), because Django's test
flush and a retention purge must still be able to empty the table.
"""

from django.db import migrations

SQLITE = [
    """
    CREATE TRIGGER partners_auditevent_append_only
    BEFORE UPDATE ON partners_auditevent
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END
    """
]
SQLITE_REVERSE = ["DROP TRIGGER IF EXISTS partners_auditevent_append_only"]
POSTGRES = [
    """
    CREATE FUNCTION partners_auditevent_refuse_update() RETURNS trigger AS $$
    BEGIN RAISE EXCEPTION 'the audit log is append-only'; END
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER partners_auditevent_append_only
    BEFORE UPDATE ON partners_auditevent
    FOR EACH ROW EXECUTE FUNCTION partners_auditevent_refuse_update()
    """,
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS partners_auditevent_append_only ON partners_auditevent",
    "DROP FUNCTION IF EXISTS partners_auditevent_refuse_update()",
]


def forwards(apps, schema_editor):
    statements = POSTGRES if schema_editor.connection.vendor == "postgresql" else SQLITE
    for sql in statements:
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in POSTGRES_REVERSE if vendor == "postgresql" else SQLITE_REVERSE:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("partners", "0002_audit_log")]
    operations = [migrations.RunPython(forwards, backwards)]
