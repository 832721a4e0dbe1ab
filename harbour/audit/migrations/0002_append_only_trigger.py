"""On PostgreSQL, refuse UPDATE and DELETE on the audit table at the database itself.

The model already refuses them; the trigger also stops raw SQL, a shell session or a future bug.
TRUNCATE is not covered, on purpose: only the test runner uses it, to empty a test database.
(Since 0003 a statement trigger refuses TRUNCATE as well; see docs/decisions/0008.)
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION harbour_audit_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_auditevent is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS harbour_audit_append_only ON audit_auditevent;
CREATE TRIGGER harbour_audit_append_only
    BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION harbour_audit_refuse_change();
"""

DROP = """
DROP TRIGGER IF EXISTS harbour_audit_append_only ON audit_auditevent;
DROP FUNCTION IF EXISTS harbour_audit_refuse_change();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
