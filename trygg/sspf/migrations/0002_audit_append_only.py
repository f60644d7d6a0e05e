"""A trigger refuses UPDATE of SSPF audit rows: access history cannot be edited, even by SQL.

DELETE is left to the application, which refuses it except in the retention
purge (SspfAuditEventQuerySet.purge_expired); Django's test flush needs it too.
"""

from django.db import migrations

SQLITE = [
    """
    CREATE TRIGGER sspf_sspfauditevent_append_only
    BEFORE UPDATE ON sspf_sspfauditevent
    BEGIN SELECT RAISE(ABORT, 'the SSPF audit log is append-only'); END
    """
]
SQLITE_REVERSE = ["DROP TRIGGER IF EXISTS sspf_sspfauditevent_append_only"]
POSTGRES = [
    """
    CREATE FUNCTION sspf_sspfauditevent_refuse_update() RETURNS trigger AS $$
    BEGIN RAISE EXCEPTION 'the SSPF audit log is append-only'; END
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER sspf_sspfauditevent_append_only
    BEFORE UPDATE ON sspf_sspfauditevent
    FOR EACH ROW EXECUTE FUNCTION sspf_sspfauditevent_refuse_update()
    """,
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS sspf_sspfauditevent_append_only ON sspf_sspfauditevent",
    "DROP FUNCTION IF EXISTS sspf_sspfauditevent_refuse_update()",
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
    dependencies = [("sspf", "0001_cases_and_consent")]
    operations = [migrations.RunPython(forwards, backwards)]
