"""``manage.py harbour_db_roles APP_ROLE``: the app role's grants (issue 12 point 10, docs/deploy.md).

Prints the SQL by default. ``--execute`` runs it over the current connection, which must be the
owner's (the role that ran ``migrate``); ``--create-role`` also creates the login role, which
needs a role with CREATEROLE. ``--check`` changes nothing and exits non-zero if the app role could
change, delete or truncate audit events, or owns anything.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections, transaction

from harbour.audit.db_roles import RoleNameError, check_app_role, create_role_statement, grant_statements


class Command(BaseCommand):
    help = "Print, apply or check the PostgreSQL grants of the role the application connects as."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("app_role", help="The role the web server, worker and scheduler connect as.")
        parser.add_argument("--database", default="default", help="Database alias (default: default).")
        parser.add_argument("--schema", default="public")
        parser.add_argument("--dbname", help="Database name in the printed SQL (default: the connection's).")
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--execute", action="store_true", help="Run the grants now, as the owner.")
        mode.add_argument("--check", action="store_true", help="Only check the app role's rights.")
        parser.add_argument("--create-role", action="store_true", help="Also create the login role.")

    def handle(self, *args: Any, app_role: str, database: str, schema: str, **options: Any) -> None:
        connection = connections[database]
        try:
            dbname = options["dbname"] or (
                connection.settings_dict["NAME"] if connection.vendor == "postgresql" else "harbour"
            )
            statements = grant_statements(app_role, database=dbname, schema=schema)
            create = create_role_statement(app_role)
        except RoleNameError as exc:
            raise CommandError(str(exc)) from exc
        if options["create_role"]:
            statements = [create, *statements]
        if not (options["execute"] or options["check"]):
            self.stdout.write("-- Run as the owner of Harbour's tables, after every migrate.")
            for statement in statements:
                self.stdout.write(f"{statement};")
            return
        if connection.vendor != "postgresql":
            raise CommandError("Database roles and grants exist on PostgreSQL only.")
        if options["execute"]:
            if app_role == connection.settings_dict["USER"]:
                raise CommandError("The app role must not be the role running migrations (the owner).")
            with transaction.atomic(using=database), connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)
            self.stdout.write(f"Granted {app_role} its rights; checking them…")
        with connection.cursor() as cursor:
            problems = check_app_role(cursor, app_role, schema=schema)
        for problem in problems:
            self.stderr.write(f"PROBLEM: {problem}")
        if problems:
            raise CommandError(f"{app_role} could tamper with the audit trail or lacks rights ({len(problems)}).")
        self.stdout.write(self.style.SUCCESS(f"OK: {app_role} owns nothing and may only read and add audit events."))
