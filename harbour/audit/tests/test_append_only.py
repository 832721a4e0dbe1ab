"""The audit trail is append-only, in the model and, on PostgreSQL, in the database (REP-06)."""

import pytest
from django.db import DatabaseError, connection, transaction

from harbour.audit.models import AppendOnlyError, AuditEvent
from harbour.audit.services import record


@pytest.fixture
def event(world):
    return record(action="learner.view", actor=world.dsl, obj=world.learner)


def test_saving_an_existing_event_is_refused(event):
    event.action = "learner.nothing_to_see"
    with pytest.raises(AppendOnlyError):
        event.save()
    assert AuditEvent.objects.get(pk=event.pk).action == "learner.view"


def test_deleting_an_event_is_refused(event):
    with pytest.raises(AppendOnlyError):
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_queryset_update_is_refused(event):
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(actor_email="someone@else.test")
    assert AuditEvent.objects.get(pk=event.pk).actor_email == "dsl@alpha.test"


def test_queryset_delete_is_refused(event):
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only")
def test_database_refuses_raw_update_and_delete(event):
    """Raw SQL skips the model entirely; the trigger from migration audit/0002 still says no."""
    table = AuditEvent._meta.db_table
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET actor_email = %s WHERE id = %s", ["x@y.test", event.pk])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE id = %s", [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).actor_email == "dsl@alpha.test"
