"""Test-suite support for the audit table's TRUNCATE guard (migration audit/0003).

Django's test runner empties the database with ``TRUNCATE`` after tests that commit (live-server
and transactional tests). On PostgreSQL the guard trigger refuses that, as it should refuse it
from anybody else. The runner connects as a superuser, the only kind of role allowed to set
``session_replication_role = replica``, under which ordinary triggers do not fire; it does so for
the flush statements only, inside their transaction.
"""

from __future__ import annotations

from collections.abc import Sequence


def let_the_test_runner_flush() -> None:
    try:
        from django.db.backends.postgresql.operations import DatabaseOperations
    except ImportError:  # no PostgreSQL driver: nothing to do
        return
    if getattr(DatabaseOperations.execute_sql_flush, "_harbour_audit", False):
        return
    original = DatabaseOperations.execute_sql_flush

    def execute_sql_flush(self: DatabaseOperations, sql_list: Sequence[str]) -> None:
        if not sql_list:
            return original(self, sql_list)
        return original(
            self,
            [
                "SET LOCAL session_replication_role = replica",
                *sql_list,
                "SET LOCAL session_replication_role = origin",
            ],
        )

    execute_sql_flush._harbour_audit = True  # type: ignore[attr-defined]
    DatabaseOperations.execute_sql_flush = execute_sql_flush  # type: ignore[method-assign]
