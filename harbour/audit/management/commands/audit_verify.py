"""``manage.py audit_verify``: walk every audit chain and say whether it still holds (issue 12 point 10).

Exit status 0 and "OK" when every event is present and unchanged; otherwise exit status 1 and a
message naming the first bad event of each broken chain. The last digest of each chain is
printed too: kept somewhere outside the database (a ticket, a log), it also shows later whether
events were cut from the end of a chain, which a chain alone cannot prove.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from harbour.audit.chain import chain_keys, verify_chain
from harbour.schools.models import School


class Command(BaseCommand):
    help = "Check the audit trail's hash chains: report any missing or changed event."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--school", help="Check only the chain of the school with this slug.")
        parser.add_argument("--database", default="default", help="Database alias (default: default).")

    def handle(self, *args: Any, school: str | None = None, database: str = "default", **options: Any) -> None:
        if school:
            found = School.objects.using(database).filter(slug=school).values_list("pk", flat=True).first()
            if found is None:
                raise CommandError(f"No school with the slug {school!r}.")
            keys: list[int | None] = [found]
        else:
            keys = chain_keys(using=database)
        names = dict(School.objects.using(database).values_list("pk", "slug"))
        broken = 0
        for key in keys:
            report = verify_chain(key, using=database)
            label = names.get(key, "(no school)") if key is not None else "(outside any school)"
            if report.first_break is not None:
                broken += 1
                self.stderr.write(f"BROKEN {label}: {report.first_break}")
                continue
            self.stdout.write(
                f"ok {label}: {report.events} event(s), last number {report.last_seq}, last digest {report.last_digest}"
            )
        if broken:
            raise CommandError(f"The audit trail has been tampered with: {broken} chain(s) broken (see above).")
        self.stdout.write(self.style.SUCCESS(f"OK: {len(keys)} audit chain(s) intact."))
