"""A trigger refuses DELETE (and, on PostgreSQL, TRUNCATE) of SSPF audit rows.

Only the retention purge passes (trygg.sspf.guard): on PostgreSQL while the
transaction-local setting trygg.sspf_purge is 'on', on SQLite while the
function trygg_sspf_purging(), which only Trygg's connections define, says 1.
"""

from django.db import migrations

SQLITE = [
    """
    CREATE TRIGGER sspf_sspfauditevent_no_delete
    BEFORE DELETE ON sspf_sspfauditevent
    WHEN NOT trygg_sspf_purging()
    BEGIN SELECT RAISE(ABORT, 'the SSPF audit log is append-only'); END
    """
]
SQLITE_REVERSE = ["DROP TRIGGER IF EXISTS sspf_sspfauditevent_no_delete"]
POSTGRES = [
    """
    CREATE FUNCTION sspf_sspfauditevent_refuse_delete() RETURNS trigger AS $$
    BEGIN
        IF coalesce(current_setting('trygg.sspf_purge', true), '') = 'on' THEN
            RETURN OLD;
        END IF;
        RAISE EXCEPTION 'the SSPF audit log is append-only';
    END
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER sspf_sspfauditevent_no_delete
    BEFORE DELETE ON sspf_sspfauditevent
    FOR EACH ROW EXECUTE FUNCTION sspf_sspfauditevent_refuse_delete()
    """,
    """
    CREATE TRIGGER sspf_sspfauditevent_no_truncate
    BEFORE TRUNCATE ON sspf_sspfauditevent
    FOR EACH STATEMENT EXECUTE FUNCTION sspf_sspfauditevent_refuse_delete()
    """,
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS sspf_sspfauditevent_no_truncate ON sspf_sspfauditevent",
    "DROP TRIGGER IF EXISTS sspf_sspfauditevent_no_delete ON sspf_sspfauditevent",
    "DROP FUNCTION IF EXISTS sspf_sspfauditevent_refuse_delete()",
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
    dependencies = [("sspf", "0004_retention_settings_audit_target")]
    operations = [migrations.RunPython(forwards, backwards)]
