"""``manage.py policy_version SLUG STEP --as EMAIL [--version N] ...``: move a policy version through the
workflow from the command line (issue #21 point 4; GOV-02, GOV-05).

STEP is one of ``consult``, ``submit``, ``approve``, ``publish``, ``return``. The step runs as the named
person's membership of that school, through the same services (and capability checks, audit events
and refusals) as the web pages: a technician or a test gets no way round the workflow.

* ``approve`` needs ``--date YYYY-MM-DD`` and ``--reference`` (the minute); ``--next-review`` is optional.
* ``publish`` takes ``--effective-from YYYY-MM-DD`` optionally.
* ``return`` needs ``--note`` (why the version goes back to draft).

Without ``--version`` the school's open version is used. Exit status 2 and nothing changed on any
refusal.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from harbour.accounts.models import Membership
from harbour.policy import services
from harbour.policy.management.commands._config_common import BAD_INPUT, school_by_slug
from harbour.policy.models import PolicyVersion

STEPS = ("consult", "submit", "approve", "publish", "return")


def _day(text: str | None, what: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{what}: expected a date such as 2025-09-01; got {text!r}.", returncode=BAD_INPUT) from None


class Command(BaseCommand):
    help = "Move a school's policy version through the workflow (consult, submit, approve, publish, return)."

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve", **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", help="The school's slug, as in /s/<slug>/.")
        parser.add_argument("step", choices=STEPS)
        parser.add_argument("--as", dest="as_email", required=True, help="Email of the person taking the step.")
        parser.add_argument("--version", type=int, default=None, help="Version number (default: the open one).")
        parser.add_argument("--note", default="")
        parser.add_argument("--date", default=None, help="approve: the day the approving body agreed it.")
        parser.add_argument("--reference", default="", help="approve: where the approval is recorded.")
        parser.add_argument("--next-review", default=None, help="approve: the next review date.")
        parser.add_argument("--effective-from", default=None, help="publish: the day it takes effect.")

    def handle(self, *args: Any, **options: Any) -> None:
        school = school_by_slug(options["slug"])
        actor = (
            Membership.objects.select_related("user", "school")
            .filter(school=school, user__email__iexact=options["as_email"], is_active=True)
            .first()
        )
        if actor is None:
            # The same words whether the person does not exist or belongs elsewhere (no side channel).
            raise CommandError(f"No active member of {school.name} has that email.", returncode=BAD_INPUT)
        versions = PolicyVersion.objects.filter(school=school)
        if options["version"] is not None:
            version = versions.filter(number=options["version"]).first()
        else:
            version = versions.filter(status__in=PolicyVersion.OPEN_STATUSES).order_by("-number").first()
        if version is None:
            raise CommandError(f"{school.name} has no such policy version open.", returncode=BAD_INPUT)
        try:
            version = self._step(options, actor, version)
        except PermissionDenied as exc:
            raise CommandError("That person may not manage the policy.", returncode=BAD_INPUT) from exc
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages) + " Nothing was changed.", returncode=BAD_INPUT) from exc
        self.stdout.write(f"Version {version.number} is now {version.get_status_display().lower()}.")

    def _step(self, options: dict[str, Any], actor: Membership, version: PolicyVersion) -> PolicyVersion:
        step, note = options["step"], options["note"]
        if step == "consult":
            return services.policy_version_start_consultation(actor=actor, version=version, note=note)
        if step == "submit":
            return services.policy_version_submit_for_approval(actor=actor, version=version, note=note)
        if step == "return":
            return services.policy_version_return_to_draft(actor=actor, version=version, note=note)
        if step == "approve":
            approved_on = _day(options["date"], "--date")
            if approved_on is None:
                raise CommandError("approve needs --date YYYY-MM-DD.", returncode=BAD_INPUT)
            return services.policy_version_record_approval(
                actor=actor,
                version=version,
                approved_on=approved_on,
                reference=options["reference"],
                next_review_date=_day(options["next_review"], "--next-review"),
                note=note,
            )
        return services.policy_version_publish(
            actor=actor, version=version, note=note, effective_from=_day(options["effective_from"], "--effective-from")
        )
