"""Import classes, staff, learners or parents from an MIS export (CSV) into one school.

    manage.py harbour_import learners pupils.csv --school alpha --dry-run

Every problem is printed as "line N: reason". If any row is invalid nothing is written (exit
status 1) unless --skip-invalid is given. Without --as the import runs as the system; with --as
it acts through that person's membership, which must allow importing people.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser

from harbour.accounts.models import Membership
from harbour.people import importing, permissions
from harbour.people.services import ImportRefused, people_import_text
from harbour.schools.models import School


class Command(BaseCommand):
    help = "Import classes, staff, learners or parents of one school from a CSV export of its MIS."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=[k.value for k in importing.Kind])
        parser.add_argument("file", type=Path)
        parser.add_argument("--school", required=True, help="The school's slug, as in its web address.")
        parser.add_argument("--dry-run", action="store_true", help="Check and count, but save nothing.")
        parser.add_argument("--skip-invalid", action="store_true", help="Import the valid rows and skip the rest.")
        parser.add_argument("--mapping", type=Path, help='JSON file of {"field": "Heading in the file"} choices.')
        parser.add_argument("--as", dest="as_email", help="Act as this member of the school (needs import rights).")

    def handle(self, *args: Any, **options: Any) -> None:
        school = School.objects.filter(slug=options["school"], is_active=True).first()
        if school is None:
            raise CommandError(f"No active school has the slug '{options['school']}'.")
        actor = self._actor(school, options["as_email"])
        text = self._read(options["file"])
        mapping = self._mapping(options["mapping"])
        try:
            parsed, summary = people_import_text(
                actor=actor,
                school=school,
                kind=options["kind"],
                text=text,
                mapping=mapping,
                skip_invalid=options["skip_invalid"],
                dry_run=options["dry_run"],
                source="command",
            )
        except ImportRefused as refused:
            for problem in refused.problems:
                self.stderr.write(str(problem))
            raise CommandError(refused.messages[0]) from refused
        except PermissionDenied as exc:
            raise CommandError("That member may not import people.") from exc
        self.stdout.write(f"Headings recognised as: {parsed.preset_label}")
        for problem in parsed.problems:
            self.stdout.write(f"{problem} (skipped)")
        self.stdout.write(f"{summary.kind}: {summary}")
        if summary.dry_run:
            self.stdout.write("Dry run: nothing was saved.")
        else:
            self.stdout.write(self.style.SUCCESS("Import saved."))

    def _actor(self, school: School, email: str | None) -> Membership | None:
        if not email:
            return None
        actor = (
            Membership.objects.select_related("user", "school")
            .filter(school=school, user__email__iexact=email, is_active=True, user__is_active=True)
            .first()
        )
        if actor is None:
            raise CommandError(f"{email} has no active role at {school}.")
        if not permissions.can_import(actor):
            raise CommandError(
                f"{email} is {actor.get_role_display().lower()} at {school}, which may not import people."
            )
        return actor

    def _read(self, path: Path) -> str:
        try:
            return importing.decode(path.read_bytes())
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror or exc}.") from exc
        except importing.UnreadableFile as exc:
            raise CommandError(str(exc)) from exc

    def _mapping(self, path: Path | None) -> dict | None:
        if path is None:
            return None
        try:
            mapping = json.loads(path.read_text(encoding="utf-8-sig"))
        except (OSError, ValueError) as exc:
            raise CommandError(f"Cannot read the mapping file {path}: {exc}.") from exc
        if not isinstance(mapping, dict):
            raise CommandError('The mapping file must hold one JSON object, like {"upn": "Pupil UPN"}.')
        return mapping
