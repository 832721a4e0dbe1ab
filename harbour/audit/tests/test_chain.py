"""The audit hash chain and ``manage.py audit_verify`` (issue 12 point 10).

Tampering is done with raw SQL, as someone with database access would: on SQLite there are no
triggers to stop it; on PostgreSQL the test first switches triggers off the way only a superuser
can, to show that the chain catches what the triggers would have refused.
"""

from __future__ import annotations

import io
from contextlib import contextmanager
from itertools import pairwise

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction

from harbour.audit import chain
from harbour.audit.models import AuditEvent
from harbour.audit.services import record

TABLE = AuditEvent._meta.db_table


@contextmanager
def tampering():
    """A cursor that can change the audit table behind Harbour's back."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        yield cursor
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = origin")


def verify(*args: str) -> tuple[bool, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("audit_verify", *args, stdout=out, stderr=err)
    except CommandError as exc:
        return False, err.getvalue() + str(exc)
    return True, out.getvalue()


@pytest.fixture
def events(world):
    return [
        record(action="learner.view", actor=world.dsl, obj=world.learner),
        record(action="learner.view", actor=world.teacher, obj=world.learner, changes={"n": 1}),
        record(action="membership.change_role", actor=world.head, obj=world.teacher, changes={"role": ("a", "b")}),
        record(action="learner.view", actor=world.outsider, obj=world.other_learner),
        record(action="account.sign_in", user=world.dsl.user),
        record(action="learner.view", actor=world.dsl, obj=world.learner2),
    ]


def test_each_school_has_its_own_numbered_chain(world, events):
    alpha = list(AuditEvent.objects.filter(school=world.school).order_by("seq"))
    assert [event.seq for event in alpha] == [1, 2, 3, 4]
    assert alpha[0].prev_digest == chain.GENESIS
    for before, after in pairwise(alpha):
        assert after.prev_digest == before.digest
    assert AuditEvent.objects.get(pk=events[3].pk).seq == 1  # Beta's first
    assert AuditEvent.objects.get(pk=events[4].pk).seq == 1  # outside any school
    assert AuditEvent.objects.get(pk=events[4].pk).school is None


def test_stored_digest_matches_what_reads_back(world, events):
    """Tuples become lists in JSON: the digest is taken over what the database gives back."""
    for event in AuditEvent.objects.all():
        assert event.digest == chain.digest(event)
    assert AuditEvent.objects.get(pk=events[2].pk).changes == {"role": ["a", "b"]}


def test_verify_reports_ok_on_an_untouched_trail(world, events):
    ok, output = verify()
    assert ok
    assert "OK: 3 audit chain(s) intact." in output
    assert "alpha: 4 event(s), last number 4" in output


def test_verify_names_the_changed_event(world, events):
    with tampering() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET actor_email = %s WHERE id = %s", ["someone@else.test", events[1].pk])
    ok, output = verify()
    assert not ok
    assert f"BROKEN alpha: school {world.school.pk}: event id {events[1].pk} (number 2 in the chain)" in output
    assert "changed after it was written" in output
    assert "tampered with: 1 chain(s) broken" in output


def test_verify_finds_a_deleted_event(world, events):
    with tampering() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [events[1].pk])
    ok, output = verify()
    assert not ok
    assert f"event id {events[2].pk} (number 3 in the chain)" in output
    assert "event number 2 is missing before it (deleted?)" in output


def test_verify_finds_the_first_event_deleted(world, events):
    with tampering() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [events[0].pk])
    ok, output = verify("--school", "alpha")
    assert not ok
    assert "event number 1 is missing before it" in output


def test_verify_finds_an_event_rewritten_with_a_fresh_digest(world, events):
    """Recomputing the changed row's digest does not help: the next event still points at the old one."""
    forged = AuditEvent.objects.get(pk=events[1].pk)
    forged.actor_email = "someone@else.test"
    with tampering() as cursor:
        cursor.execute(
            f"UPDATE {TABLE} SET actor_email = %s, digest = %s WHERE id = %s",
            [forged.actor_email, chain.digest(forged), forged.pk],
        )
    ok, output = verify()
    assert not ok
    assert f"event id {events[2].pk} (number 3 in the chain): it does not follow event id {events[1].pk}" in output


def test_verify_finds_a_row_inserted_behind_harbours_back(world, events):
    with tampering() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE} (school_id, actor_email, actor_role, action, object_type, object_id, object_repr,"
            " changes, user_agent, created_at, prev_digest, digest) VALUES"
            " (%s, '', '', 'concern.view', '', '', '', '{}', '', %s, '', '')",
            [world.school.pk, events[0].created_at],
        )
    ok, output = verify()
    assert not ok
    assert "it has no place in the chain" in output


def test_verify_checks_one_school_only_when_asked(world, events):
    with tampering() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET action = 'x' WHERE id = %s", [events[3].pk])  # Beta's
    assert verify("--school", "alpha")[0]
    assert not verify("--school", "beta")[0]
    ok, output = verify("--school", "nowhere")
    assert not ok
    assert "No school with the slug 'nowhere'" in output


def test_two_events_can_never_share_a_place(world, events):
    """The database backs the lock: a second "number 1" in a chain is refused."""
    first = AuditEvent.objects.get(pk=events[0].pk)
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE} (school_id, actor_email, actor_role, action, object_type, object_id, object_repr,"
            " changes, user_agent, created_at, seq, prev_digest, digest) VALUES"
            " (%s, '', '', 'x', '', '', '', '{}', '', %s, 1, '', '')",
            [world.school.pk, first.created_at],
        )


def test_bulk_create_links_every_event(world):
    AuditEvent.objects.bulk_create(
        [AuditEvent(school=world.school, action="a.one"), AuditEvent(school=world.school, action="a.two")]
    )
    assert list(AuditEvent.objects.order_by("seq").values_list("action", "seq")) == [("a.one", 1), ("a.two", 2)]
    assert verify()[0]


def test_existing_events_are_linked_by_the_migration(world):
    """The backfill of migration 0003 gives events written before the chain valid places."""
    import importlib

    from django.db.migrations.loader import MigrationLoader

    state = MigrationLoader(connection).project_state(("audit", "0003_hash_chain_and_truncate_guard"))
    migration = importlib.import_module("harbour.audit.migrations.0003_hash_chain_and_truncate_guard")
    record(action="before.one", actor=world.dsl)
    record(action="before.two", actor=world.outsider)
    record(action="before.three", actor=world.dsl)
    with tampering() as cursor:  # as if written before the chain existed
        cursor.execute(f"UPDATE {TABLE} SET seq = NULL, prev_digest = '', digest = ''")
    assert not verify()[0]

    class Editor:
        connection = connection

        def execute(self, sql, params=None):
            with connection.cursor() as cursor:
                cursor.execute(sql, params)

    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:  # settle the test's deferred checks, as migrate has none
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        migration.link_existing_events(state.apps, Editor())
    assert verify()[0]
    assert AuditEvent.objects.get(action="before.three").seq == 2
