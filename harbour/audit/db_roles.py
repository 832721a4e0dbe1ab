"""The two PostgreSQL roles of a production database (issue 12 point 10, docs/deploy.md).

- The **owner** owns the schema: it runs ``migrate`` (and ``createcachetable``), nothing else.
- The **app** role is what the web server, worker and scheduler connect as. It owns nothing, so
  it can neither drop nor disable the audit triggers, and on the audit table it holds ``INSERT``
  and ``SELECT`` only: no ``UPDATE``, ``DELETE`` or ``TRUNCATE``, whatever bug or attacker
  drives it. Elsewhere it has ordinary read and write rights.

The statements are generated here once, for the management command, the deploy guide and the
PostgreSQL test that proves them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
DATABASE_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,63}$")
AUDIT_TABLE = "audit_auditevent"
AUDIT_RIGHTS = ("SELECT", "INSERT")
REFUSED_AUDIT_RIGHTS = ("UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER")


class RoleNameError(ValueError):
    """A role or schema name outside the plain lower-case form this command accepts."""


def quote_ident(name: str, pattern: re.Pattern[str] = ROLE_NAME) -> str:
    if not pattern.match(name):
        raise RoleNameError(f"{name!r} is not a plain PostgreSQL name (lower-case letters, digits, _).")
    return f'"{name}"'


def create_role_statement(app_role: str) -> str:
    """A login role with no special powers. Its password is set apart (``\\password`` in psql)."""
    role = quote_ident(app_role)
    return f"CREATE ROLE {role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT NOREPLICATION NOBYPASSRLS"


def grant_statements(app_role: str, *, database: str, schema: str = "public") -> list[str]:
    """What the owner runs, after every ``migrate``, to give the app role its rights. Idempotent."""
    role, db, sch = quote_ident(app_role), quote_ident(database, DATABASE_NAME), quote_ident(schema)
    audit = f"{sch}.{quote_ident(AUDIT_TABLE)}"
    return [
        f"GRANT CONNECT ON DATABASE {db} TO {role}",
        f"GRANT USAGE ON SCHEMA {sch} TO {role}",
        f"REVOKE CREATE ON SCHEMA {sch} FROM {role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {sch} TO {role}",
        f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA {sch} TO {role}",
        # Tables a later migration adds get the same ordinary rights (the owner must run this).
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {sch} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {role}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {sch} GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO {role}",
        # The audit table: append and read, nothing else.
        f"REVOKE ALL ON {audit} FROM {role}",
        f"GRANT {', '.join(AUDIT_RIGHTS)} ON {audit} TO {role}",
    ]


@dataclass(frozen=True)
class RoleProblem:
    problem: str

    def __str__(self) -> str:
        return self.problem


CHECK_SQL = {
    "attributes": "SELECT rolsuper, rolcreaterole, rolcreatedb, rolbypassrls FROM pg_roles WHERE rolname = %s",
    "owns": (
        "SELECT count(*) FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner "
        "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE r.rolname = %s AND n.nspname = %s"
    ),
    "member_of_owner": (
        "SELECT pg_has_role(%s, c.relowner, 'USAGE') FROM pg_class c "
        "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = %s AND c.relname = %s"
    ),
    "privilege": "SELECT has_table_privilege(%s, %s, %s)",
}


def check_app_role(cursor: object, app_role: str, *, schema: str = "public") -> list[RoleProblem]:
    """Every way ``app_role`` could change or remove audit events; an empty list when it cannot."""
    quote_ident(app_role)
    run = cursor.execute  # type: ignore[attr-defined]
    one = cursor.fetchone  # type: ignore[attr-defined]
    run(CHECK_SQL["attributes"], [app_role])
    attributes = one()
    if attributes is None:
        return [RoleProblem(f"There is no role {app_role!r}.")]
    problems = [
        RoleProblem(f"{app_role} has {name}")
        for name, held in zip(("SUPERUSER", "CREATEROLE", "CREATEDB", "BYPASSRLS"), attributes, strict=True)
        if held
    ]
    run(CHECK_SQL["owns"], [app_role, schema])
    owned = one()[0]
    if owned:
        problems.append(RoleProblem(f"{app_role} owns {owned} relation(s) in {schema}: it must own nothing"))
    run(CHECK_SQL["member_of_owner"], [app_role, schema, AUDIT_TABLE])
    row = one()
    if row is None:
        return [*problems, RoleProblem(f"There is no table {schema}.{AUDIT_TABLE}: run migrate first.")]
    if row[0]:
        problems.append(RoleProblem(f"{app_role} can act as the owner of {AUDIT_TABLE} (role membership)"))
    table = f"{schema}.{AUDIT_TABLE}"
    for right in REFUSED_AUDIT_RIGHTS:
        run(CHECK_SQL["privilege"], [app_role, table, right])
        if one()[0]:
            problems.append(RoleProblem(f"{app_role} holds {right} on {AUDIT_TABLE}"))
    for right in AUDIT_RIGHTS:
        run(CHECK_SQL["privilege"], [app_role, table, right])
        if not one()[0]:
            problems.append(RoleProblem(f"{app_role} lacks {right} on {AUDIT_TABLE}: Harbour cannot audit"))
    return problems
