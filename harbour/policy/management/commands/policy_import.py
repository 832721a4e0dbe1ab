"""``manage.py policy_import SLUG FILE [--dry-run]``: load a policy configuration YAML as a draft.

The file is checked in full first. Any error -> every error is printed to stderr as ``path: message``
and the command exits with status 2, changing nothing. Otherwise the configuration is saved as the
school's open draft (``policy_version_save_draft``) and the changed settings are listed. ``--dry-run``
lists what would change and saves nothing (GOV-05, GOV-24).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from harbour.policy import services
from harbour.policy.management.commands._config_common import BAD_INPUT, config_of, school_by_slug
from harbour.policy.rules.config_io import load_yaml_bytes
from harbour.policy.rules.schema_diff import config_changes


class Command(BaseCommand):
    help = "Check a policy configuration YAML and save it as the school's draft (GOV-24)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", help="The school's slug, as in /s/<slug>/.")
        parser.add_argument("file", help="The YAML file to import.")
        parser.add_argument("--dry-run", action="store_true", help="Show what would change; save nothing.")
        parser.add_argument(
            "--approved",
            action="store_true",
            help="The file is a policy the school has already approved: record it as the version in force, "
            "with its own dates, without running the workflow (issue #21 point 4).",
        )
        parser.add_argument(
            "--reference", default="", help="With --approved: where the approval is recorded (e.g. a minute)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        school = school_by_slug(options["slug"])
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror or exc}.", returncode=BAD_INPUT) from exc
        config, errors = load_yaml_bytes(data)
        if errors:
            for error in errors:
                self.stderr.write(error.describe())
            count = f"{len(errors)} error" + ("s" if len(errors) != 1 else "")
            raise CommandError(f"{path}: {count}; nothing was changed.", returncode=BAD_INPUT)

        changes = config_changes(config_of(school), config)
        if not changes:
            self.stdout.write(f"{path} matches {school.name}'s working configuration: nothing to change.")
            return
        self.stdout.write(f"{len(changes)} setting(s) differ from {school.name}'s working configuration:")
        for change in changes:
            self.stdout.write(f"  {change.path}: {change.old_text} -> {change.new_text}")
        if options["dry_run"]:
            self.stdout.write("Dry run: nothing was saved.")
            return
        if options["approved"]:
            self._adopt(school, config, path, options["reference"])
            return
        try:
            version = services.policy_version_save_draft(
                actor=None, school=school, config=config, note=f"Imported from {path.name}"
            )
        except ValidationError as exc:
            for message in exc.messages:
                self.stderr.write(message)
            raise CommandError("The draft could not be saved; nothing was changed.", returncode=BAD_INPUT) from exc
        self.stdout.write(f"Saved as draft version {version.number}.")

    def _adopt(self, school: Any, config: dict[str, Any], path: Path, reference: str) -> None:
        """Bring in an already-approved policy with its real history: its own agreed date becomes the
        approval date, its own dates stay as written, and it is in force at once."""
        from harbour.policy.config_support import parse_month_or_date

        approved_on = parse_month_or_date(config.get("date_agreed"))
        if approved_on is None:
            raise CommandError(
                f"{path}: --approved needs the date the policy was agreed (identity.dates.agreed); "
                "nothing was changed.",
                returncode=BAD_INPUT,
            )
        try:
            version = services.policy_version_adopt(
                school=school,
                config=config,
                note=f"Imported as already approved from {path.name}",
                approved_on=approved_on,
                approval_reference=reference,
            )
        except ValidationError as exc:
            for message in exc.messages:
                self.stderr.write(message)
            raise CommandError("The policy could not be recorded; nothing was changed.", returncode=BAD_INPUT) from exc
        self.stdout.write(
            f"Recorded as version {version.number}, approved on {approved_on.isoformat()}, in force from "
            f"{version.effective_from.isoformat()}."
        )
