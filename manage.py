#!/usr/bin/env python
"""Django's command-line entry point for Harbour."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "harbour.settings")
    from django.core.management import execute_from_command_line
    from django.db.utils import OperationalError, ProgrammingError

    try:
        execute_from_command_line(sys.argv)
    except (OperationalError, ProgrammingError) as exc:
        # A command run before the database exists should say what to do, not print a traceback.
        missing_table = "no such table" in str(exc) or "does not exist" in str(exc)
        if not missing_table:
            raise
        sys.stderr.write(
            f"The database is not set up yet: run `make run` (or `python manage.py migrate`) first.\n({exc})\n"
        )
        sys.exit(2)


if __name__ == "__main__":
    main()
