"""``manage.py audit_auditor appoint|end EMAIL --trust SLUG``: give or end the trust auditor role."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from harbour.audit.auditors import trust_auditor_appoint, trust_auditor_end


class Command(BaseCommand):
    help = "Appoint or end a trust auditor, who reads every school's whole audit trail (read-only, MFA)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["appoint", "end"])
        parser.add_argument("email", help="The person's existing Harbour login.")
        parser.add_argument("--trust", required=True, help="Slug of the trust or local authority.")

    def handle(self, *args: Any, action: str, email: str, trust: str, **options: Any) -> None:
        change = trust_auditor_appoint if action == "appoint" else trust_auditor_end
        try:
            trust_role = change(email=email, organisation_slug=trust)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        state = "now" if trust_role.is_active else "no longer"
        self.stdout.write(f"{trust_role.user.email} is {state} trust auditor of {trust_role.organisation.name}.")
