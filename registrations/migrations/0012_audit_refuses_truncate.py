# The audit log is append-only: TRUNCATE, which fires no row trigger, is refused too.

from django.db import migrations

# A statement-level trigger: PostgreSQL runs it for TRUNCATE, which bypasses the row
# trigger of migration 0004. Only a test database (named test_… by Django's test runner)
# may be emptied, since Django empties it between tests with TRUNCATE; a test that
# checks the refusal sets registrations.audit_truncate = 'refuse' for its transaction.
# SQLite has no TRUNCATE and gets no trigger (see 0004).
REFUSE_TRUNCATE_SQL = """
CREATE FUNCTION registrations_auditevent_no_truncate() RETURNS trigger AS $$
BEGIN
    IF current_database() LIKE 'test\\_%'
       AND coalesce(current_setting('registrations.audit_truncate', true), '') <> 'refuse' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'audit events are append-only'
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER registrations_auditevent_no_truncate
    BEFORE TRUNCATE ON registrations_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION registrations_auditevent_no_truncate();
"""

DROP_REFUSE_TRUNCATE_SQL = """
DROP TRIGGER IF EXISTS registrations_auditevent_no_truncate ON registrations_auditevent;
DROP FUNCTION IF EXISTS registrations_auditevent_no_truncate();
"""


def add_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REFUSE_TRUNCATE_SQL, params=None)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_REFUSE_TRUNCATE_SQL, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("registrations", "0011_evacuation_roles"),
    ]

    operations = [
        migrations.RunPython(add_trigger, drop_trigger),
    ]
