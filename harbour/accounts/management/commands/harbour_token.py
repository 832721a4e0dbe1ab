"""``manage.py harbour_token EMAIL --school SLUG [--name NAME]``: issue a personal API token.

For scripts and first set-up. Only the raw token goes to stdout, so it can be captured with
``TOKEN=$(python manage.py harbour_token ...)``; it is never shown again.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import Http404

from harbour.accounts import selectors, services


class Command(BaseCommand):
    help = "Create a personal API token for a user in one school and print it once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="The user's sign-in email address.")
        parser.add_argument("--school", required=True, help="The school's slug, as in /s/<slug>/.")
        parser.add_argument("--name", default="Command line", help="A label to recognise the token by.")

    def handle(self, *args: Any, **options: Any) -> None:
        user = selectors.user_by_email(email=options["email"])
        if user is None or not user.is_active:
            raise CommandError(f"No active user with the email address {options['email']}.")
        try:
            membership = selectors.membership_resolve(user=user, school_slug=options["school"])
            issued = services.api_token_create(user=user, school=membership.school, name=options["name"])
        except Http404 as exc:
            raise CommandError(f"{user.email} has no active role in a school called '{options['school']}'.") from exc
        except PermissionDenied as exc:
            raise CommandError(f"{user.email}'s role in '{options['school']}' does not include the API.") from exc
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(issued.raw_key)
