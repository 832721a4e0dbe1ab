"""Chain every audit event to the one before it, and refuse TRUNCATE (issue 12 point 10).

1. Adds ``seq``, ``prev_digest`` and ``digest`` and links the events already written into their
   school's chain, oldest first (by id). On PostgreSQL the append-only trigger is switched off
   for that one backfill, inside this migration's transaction, and back on before it commits.
2. On PostgreSQL, a statement trigger refuses TRUNCATE on the audit table. The test runner, which
   empties tables with TRUNCATE between some tests, does so as a superuser with
   ``session_replication_role = replica`` (conftest.py), which only a superuser can set.
"""

import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

TABLE = "audit_auditevent"

TRUNCATE_GUARD = f"""
DROP TRIGGER IF EXISTS harbour_audit_no_truncate ON {TABLE};
CREATE TRIGGER harbour_audit_no_truncate
    BEFORE TRUNCATE ON {TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION harbour_audit_refuse_change();
"""
DROP_TRUNCATE_GUARD = f"DROP TRIGGER IF EXISTS harbour_audit_no_truncate ON {TABLE};"


def link_existing_events(apps, schema_editor):
    # The live digest function on purpose: a chain is only useful if the verifier of today
    # accepts it, and chain.DIGEST_VERSION pins what it covers.
    from harbour.audit.chain import GENESIS, canonical_changes, digest

    AuditEvent = apps.get_model("audit", "AuditEvent")
    postgres = schema_editor.connection.vendor == "postgresql"
    if postgres:
        schema_editor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER harbour_audit_append_only")
    heads: dict = {}
    batch = []
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        seq, prev = heads.get(event.school_id, (0, GENESIS))
        event.seq, event.prev_digest = seq + 1, prev
        event.changes = canonical_changes(event.changes)
        event.digest = digest(event)
        heads[event.school_id] = (event.seq, event.digest)
        batch.append(event)
        if len(batch) >= 1000:
            AuditEvent.objects.bulk_update(batch, ["seq", "prev_digest", "digest", "changes"])
            batch = []
    if batch:
        AuditEvent.objects.bulk_update(batch, ["seq", "prev_digest", "digest", "changes"])
    if postgres:
        schema_editor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER harbour_audit_append_only")


def add_truncate_guard(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRUNCATE_GUARD, params=None)


def drop_truncate_guard(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_TRUNCATE_GUARD, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_append_only_trigger"),
        ("schools", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="digest",
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="prev_digest",
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="seq",
            field=models.PositiveBigIntegerField(blank=True, editable=False, null=True),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="created_at",
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now),
        ),
        migrations.RunPython(link_existing_events, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="auditevent",
            constraint=models.UniqueConstraint(fields=("school", "seq"), name="audit_one_place_per_school_chain"),
        ),
        migrations.AddConstraint(
            model_name="auditevent",
            constraint=models.UniqueConstraint(
                condition=models.Q(("school__isnull", True)), fields=("seq",), name="audit_one_place_in_global_chain"
            ),
        ),
        migrations.RunPython(add_truncate_guard, drop_truncate_guard),
    ]
