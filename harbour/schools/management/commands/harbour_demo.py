"""``manage.py harbour_demo [--if-empty] [--print-logins] [--password PW]``: load the demo trust.

Two primary schools with about 200 learners each, their parents, staff and one login per role
(see harbour/schools/demo.py). The logins share a published password and fixed two-step secrets,
so the command refuses to run on a production installation.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.test.utils import override_settings

from harbour.schools import demo


class Command(BaseCommand):
    help = "Load the demo trust with two schools, their people and one login per role, then list the logins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing when the database already has any school."
        )
        parser.add_argument(
            "--print-logins", action="store_true", help="Only list the demo logins already in the database."
        )
        parser.add_argument(
            "--password",
            default=demo.DEFAULT_PASSWORD,
            help=f"Password for every demo login (default: {demo.DEFAULT_PASSWORD}).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError(
                "Demo logins have a published password and two-step secrets: "
                "they are not loaded into a production installation (HARBOUR_ENV=production)."
            )
        password = options["password"]
        if not password.strip():
            raise CommandError("Give a password that is not blank, or leave --password out.")
        if options["print_logins"]:
            self.stdout.write(demo.format_logins(demo.login_rows(), password), ending="")
            return
        if options["if_empty"] and demo.demo_present():
            self.stdout.write("demo data already present (run with --print-logins to list the demo logins)")
            return
        started = time.monotonic()
        try:
            # The demo's own reminders and alerts are in-app only: nobody should get mail for data
            # that was just invented, and the console would bury the logins under it.
            with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
                summary = demo.load_demo(password=password)
        except demo.DemoAlreadyLoaded as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {demo.ORGANISATION_NAME}: {summary.schools} schools, {summary.learners} learners, "
                f"{summary.parents} parents and carers, {summary.staff} staff, {summary.logins} logins "
                f"in {time.monotonic() - started:.1f} s."
            )
        )
        # `make run` passes -v 0 because harbour_run prints the logins once the server starts.
        if options["verbosity"] >= 1:
            self.stdout.write("")
            self.stdout.write(demo.format_logins(demo.login_rows(), password), ending="")
