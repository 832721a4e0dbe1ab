"""``manage.py policy_export SLUG [--version N] [--diff-from-preset] [-o FILE]``: a policy configuration as YAML.

Writes the working configuration (the open draft if there is one, else the version in force), or
version N. Output goes to stdout unless ``-o`` names a file. Importing the output and exporting again
gives the same text (GOV-24).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from harbour.policy.management.commands._config_common import BAD_INPUT, config_of, school_by_slug
from harbour.policy.rules.config_io import dump_diff_from_preset, dump_yaml


class Command(BaseCommand):
    help = "Write a school's policy configuration as YAML (GOV-24)."

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        # Django's own --version (print Django's version) gives way to ours (a policy version number).
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve", **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", help="The school's slug, as in /s/<slug>/.")
        parser.add_argument("--version", type=int, default=None, help="Export this version number instead.")
        parser.add_argument("-o", "--output", default=None, help="Write to this file instead of stdout.")
        parser.add_argument(
            "--diff-from-preset",
            action="store_true",
            help="Write only what the school changed from the preset its configuration names (issue #21).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        school = school_by_slug(options["slug"])
        config = config_of(school, options["version"])
        if options["diff_from_preset"]:
            if not config.get("preset"):
                raise CommandError(
                    f"{school.name}'s configuration names no preset; add 'preset: <name>' to it first.",
                    returncode=BAD_INPUT,
                )
            text = dump_diff_from_preset(config)
        else:
            text = dump_yaml(config)
        if options["output"] is None:
            self.stdout.write(text, ending="")
            return
        path = Path(options["output"])
        try:
            path.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"Cannot write {path}: {exc.strerror or exc}.", returncode=BAD_INPUT) from exc
        self.stderr.write(f"Wrote {school.name}'s policy configuration to {path}.")
