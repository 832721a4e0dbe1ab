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
                self.stderr.write(str(error))
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
        try:
            version = services.policy_version_save_draft(
                actor=None, school=school, config=config, note=f"Imported from {path.name}"
            )
        except ValidationError as exc:
            for message in exc.messages:
                self.stderr.write(message)
            raise CommandError("The draft could not be saved; nothing was changed.", returncode=BAD_INPUT) from exc
        self.stdout.write(f"Saved as draft version {version.number}.")
