"""On PostgreSQL the audit trail survives its own database (issue 12 point 10).

- The triggers refuse UPDATE, DELETE and TRUNCATE on the audit table, even to its owner.
- The role the application connects as, granted exactly as docs/deploy.md says
  (``harbour_db_roles``), owns nothing and may only INSERT and SELECT on the audit table: its
  UPDATE, DELETE and TRUNCATE are refused by privileges before any trigger is reached, while the
  rest of Harbour's tables stay writable and an audit event can still be recorded.
- Concurrent writers never fork a chain.

Run with ``DATABASE_URL=postgres://postgres@127.0.0.1:5432/harbour_test_audit``.
"""

from __future__ import annotations

import io
import secrets
import threading
from collections.abc import Iterator

import psycopg
import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from harbour.audit.db_roles import check_app_role, create_role_statement, grant_statements
from harbour.audit.models import AuditEvent
from harbour.audit.services import record

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL roles and triggers"),
]

TABLE = AuditEvent._meta.db_table


def _superuser_conninfo(**overrides: object) -> dict[str, object]:
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    params.pop("prepare_threshold", None)
    params.pop("server_side_binding", None)
    return {**params, **overrides}


@pytest.fixture
def app_role(db) -> Iterator[str]:
    """A fresh login role, granted as documented, dropped afterwards (roles are cluster-wide)."""
    name = f"harbour_app_test_{secrets.token_hex(4)}"
    database = connection.settings_dict["NAME"]
    # Grants on committed tables go through their own autocommit connection: the test's own
    # connection sits in a transaction that the app role's connection could not see.
    with psycopg.connect(**_superuser_conninfo(autocommit=True)) as admin:
        admin.execute(create_role_statement(name))
        for statement in grant_statements(name, database=database):
            admin.execute(statement)
    try:
        yield name
    finally:
        with psycopg.connect(**_superuser_conninfo(autocommit=True)) as admin:
            admin.execute(f'DROP OWNED BY "{name}"')
            admin.execute(f'DROP ROLE "{name}"')


def _refused(conn: psycopg.Connection, sql: str, params: list[object] | None = None) -> str:
    """Run ``sql`` in a savepoint, expect PostgreSQL to refuse it, return its error code."""
    try:
        with conn.transaction():
            conn.execute(sql, params)
    except psycopg.Error as exc:
        return exc.sqlstate or "?"
    raise AssertionError(f"PostgreSQL allowed: {sql}")


# --- Triggers: even the owner cannot rewrite the trail ---------------------------------------


def test_owner_is_refused_truncate_by_the_trigger(world):
    record(action="learner.view", actor=world.dsl, obj=world.learner)
    with connection.cursor() as cursor:
        # The test's transaction still holds deferred foreign-key checks, which TRUNCATE would
        # report first; settle them so the trigger is what answers.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {TABLE} CASCADE")
    assert AuditEvent.objects.exists()


def test_owner_is_refused_update_and_delete_by_the_trigger(world):
    event = record(action="learner.view", actor=world.dsl, obj=world.learner)
    for sql in (f"UPDATE {TABLE} SET action = 'x' WHERE id = %s", f"DELETE FROM {TABLE} WHERE id = %s"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).action == "learner.view"


# --- The app role -----------------------------------------------------------------------------


def test_app_role_passes_the_documented_check(app_role):
    with connection.cursor() as cursor:
        assert check_app_role(cursor, app_role) == []
    out = io.StringIO()
    call_command("harbour_db_roles", app_role, "--check", stdout=out)
    assert "OK:" in out.getvalue()


def test_check_catches_an_app_role_that_could_tamper(app_role):
    with psycopg.connect(**_superuser_conninfo(autocommit=True)) as admin:
        admin.execute(f'GRANT UPDATE, TRUNCATE ON {TABLE} TO "{app_role}"')
    with connection.cursor() as cursor:
        problems = {str(problem) for problem in check_app_role(cursor, app_role)}
    assert problems == {f"{app_role} holds UPDATE on {TABLE}", f"{app_role} holds TRUNCATE on {TABLE}"}


@pytest.mark.django_db(transaction=True)
def test_app_role_may_add_and_read_events_but_never_change_them(world, app_role):
    """Connected as the app role: INSERT and SELECT work; UPDATE, DELETE, TRUNCATE, disabling or
    dropping the triggers are all refused. Nothing the test does as that role is committed."""
    # Committed (transaction=True) so the app role's own connection can see the rows.
    event = record(action="learner.view", actor=world.dsl, obj=world.learner)
    with psycopg.connect(**_superuser_conninfo(user=app_role, password=None)) as conn:
        assert conn.execute("SELECT current_user").fetchone()[0] == app_role
        with conn.transaction(force_rollback=True):
            row = conn.execute(f"SELECT action FROM {TABLE} WHERE id = %s", [event.pk]).fetchone()
            assert row == ("learner.view",)
            conn.execute(
                f"INSERT INTO {TABLE} (school_id, actor_email, actor_role, action, object_type, object_id,"
                " object_repr, changes, user_agent, created_at, seq, prev_digest, digest)"
                " VALUES (%s, '', '', 'app.insert', '', '', '', '{}', '', now(), 999999, '', '')",
                [world.school.pk],
            )
            denied = "42501"  # insufficient_privilege
            assert _refused(conn, f"UPDATE {TABLE} SET action = 'x' WHERE id = %s", [event.pk]) == denied
            assert _refused(conn, f"DELETE FROM {TABLE} WHERE id = %s", [event.pk]) == denied
            assert _refused(conn, f"TRUNCATE {TABLE}") == denied
            assert _refused(conn, f"ALTER TABLE {TABLE} DISABLE TRIGGER harbour_audit_append_only") == denied
            assert _refused(conn, f"DROP TRIGGER harbour_audit_no_truncate ON {TABLE}") == denied
            assert _refused(conn, "SET session_replication_role = replica") == denied
            # Ordinary tables stay writable: the app works as before.
            conn.execute("UPDATE schools_school SET name = name WHERE id = %s", [world.school.pk])
    assert AuditEvent.objects.get(pk=event.pk).action == "learner.view"
    assert not AuditEvent.objects.filter(action="app.insert").exists()


@pytest.mark.django_db(transaction=True)
def test_harbour_records_audit_events_when_connected_as_the_app_role(world, app_role):
    """The real service, with Django connected as the app role: the chain lock and insert work,
    and so do ordinary writes and audit_verify."""
    first = record(action="learner.view", actor=world.dsl, obj=world.learner)
    owner = connection.settings_dict["USER"]
    connection.close()
    connection.settings_dict["USER"] = app_role
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user")
            assert cursor.fetchone()[0] == app_role
        second = record(action="learner.view", actor=world.head, obj=world.learner)
        world.school.name = "Alpha Primary"
        world.school.save(update_fields=["name"])
        out = io.StringIO()
        call_command("audit_verify", stdout=out)
        assert "OK:" in out.getvalue()
    finally:
        connection.close()
        connection.settings_dict["USER"] = owner
    assert AuditEvent.objects.get(pk=second.pk).seq == first.seq + 1


# --- Concurrency -------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_never_fork_the_chain(world):
    """Eight threads, each its own connection, append at once: one chain, no gap, no repeat."""
    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def write() -> None:
        try:
            start.wait()
            for _ in range(5):
                record(action="learner.view", actor=world.dsl, obj=world.learner)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=write) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    seqs = list(AuditEvent.objects.filter(school=world.school).order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, 41))
    out = io.StringIO()
    call_command("audit_verify", stdout=out)
    assert "OK:" in out.getvalue()
