"""Importing who-is-who for the logs: DHCP leases, the device register and extra usernames (FLT-08).

Three CSV files, each with a header line (column order free, names fixed, extra columns ignored):

* DHCP lease export — ``ip,mac,hostname,start,end``: which device held which IP address when.
  ``mac`` or ``hostname`` (at least one); ``end`` empty while the lease is current.
* Device register — ``device,person,start,end``: who had a device when. ``device`` is a MAC
  address or hostname; ``person`` is a UPN, MIS id, staff code, email address or network username
  Harbour already knows; ``start`` and ``end`` may be empty (always / still).
* Usernames — ``username,person``: network logins the MIS identifiers do not give away.

Times are ISO 8601 (``2026-11-02T08:15:00``, ``2026-11-02 08:15``; without a zone they are UTC) or
seconds since 1970. Each file is checked whole first: one bad line and nothing is written, and the
error names every bad line (bad input changes nothing).
"""

from __future__ import annotations

import csv
import io
import ipaddress
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from harbour.accounts.models import Membership
from harbour.audit import services as audit

from . import permissions
from .attribution import IdentifierIndex, Person, normalise_device
from .models import AccountMapping, DeviceAssignment, DeviceLease

MAX_ERRORS_SHOWN = 20
MAX_ROWS = 200_000

LEASE_COLUMNS = ("ip", "mac", "hostname", "start", "end")
DEVICE_COLUMNS = ("device", "person", "start", "end")
USERNAME_COLUMNS = ("username", "person")


@dataclass(frozen=True)
class ImportSummary:
    created: int
    skipped_duplicates: int


def parse_time(value: str) -> datetime:
    """ISO 8601 or epoch seconds, as an aware UTC datetime; ValueError otherwise."""
    text = value.strip()
    try:
        return datetime.fromtimestamp(float(text), tz=UTC)
    except (ValueError, OverflowError, OSError):
        pass
    parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _rows(content: str, required: Iterable[str], optional: Iterable[str] = ()) -> list[tuple[int, dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(content.lstrip("\ufeff")))
    header = [name.strip().lower() for name in (reader.fieldnames or [])]
    missing = [name for name in required if name not in header]
    if missing:
        raise ValidationError(
            f"The first line must name the columns; missing: {', '.join(missing)}. "
            f"Expected: {', '.join([*required, *optional])}."
        )
    reader.fieldnames = header
    rows = []
    for number, row in enumerate(reader, start=2):
        if len(rows) >= MAX_ROWS:
            raise ValidationError(f"The file has more than {MAX_ROWS:,} rows: split it and import each part.")
        cleaned = {key: (value or "").strip() for key, value in row.items() if key}
        if any(cleaned.values()):
            rows.append((number, cleaned))
    if not rows:
        raise ValidationError("The file has a header line but no rows.")
    return rows


def _fail_if(errors: list[str]) -> None:
    if errors:
        shown = errors[:MAX_ERRORS_SHOWN]
        more = f" … and {len(errors) - len(shown)} more." if len(errors) > len(shown) else ""
        raise ValidationError("Nothing was imported. " + "; ".join(shown) + more)


def _times(row: dict[str, str], number: int, errors: list[str]) -> tuple[datetime | None, datetime | None]:
    values: list[datetime | None] = []
    for column in ("start", "end"):
        text = row.get(column, "")
        if not text:
            values.append(None)
            continue
        try:
            values.append(parse_time(text))
        except ValueError:
            errors.append(f"line {number}: '{text}' in {column} is not a date and time")
            values.append(None)
    start, end = values
    if start and end and end <= start:
        errors.append(f"line {number}: the end is not after the start")
    return start, end


def _person(index: IdentifierIndex, row: dict[str, str], number: int, errors: list[str]) -> Person | None:
    identifier = row.get("person", "")
    person = index.lookup(identifier) if identifier else None
    if person is None:
        errors.append(f"line {number}: nobody at this school has the identifier '{identifier}'")
    return person


def _require(actor: Membership) -> None:
    if not permissions.can_upload(actor):
        raise PermissionDenied


def leases_import(*, actor: Membership, content: str) -> ImportSummary:
    """Add DHCP leases (ip,mac,hostname,start,end). Rows already held are skipped."""
    _require(actor)
    errors: list[str] = []
    parsed = []
    for number, row in _rows(content, ("ip", "start"), ("mac", "hostname", "end")):
        try:
            ip = str(ipaddress.ip_address(row["ip"]))
        except ValueError:
            errors.append(f"line {number}: '{row['ip']}' is not an IP address")
            continue
        mac = normalise_device(row.get("mac", "")) if row.get("mac") else ""
        if mac and mac.count(":") != 5:
            errors.append(f"line {number}: '{row['mac']}' is not a MAC address")
        hostname = row.get("hostname", "").lower().rstrip(".")
        if not mac and not hostname:
            errors.append(f"line {number}: give the device's MAC address or hostname")
        start, end = _times(row, number, errors)
        if start is None and row.get("start", "") == "":
            errors.append(f"line {number}: the lease start is missing")
        parsed.append((ip, mac, hostname, start, end))
    _fail_if(errors)
    return _store(
        actor,
        "monitoring.leases_import",
        [
            DeviceLease(school=actor.school, ip=ip, mac=m, hostname=h, starts_at=s, ends_at=e)
            for ip, m, h, s, e in parsed
        ],
        lambda: set(DeviceLease.objects.filter(school=actor.school).values_list("ip", "mac", "hostname", "starts_at")),
        lambda lease: (lease.ip, lease.mac, lease.hostname, lease.starts_at),
    )


def devices_import(*, actor: Membership, content: str) -> ImportSummary:
    """Add device register rows (device,person,start,end). Rows already held are skipped."""
    _require(actor)
    index = IdentifierIndex(actor.school)
    errors: list[str] = []
    rows = []
    for number, row in _rows(content, ("device", "person"), ("start", "end")):
        device = normalise_device(row["device"])
        if not device:
            errors.append(f"line {number}: the device is missing")
        person = _person(index, row, number, errors)
        start, end = _times(row, number, errors)
        if person is not None and device:
            rows.append(
                DeviceAssignment(
                    school=actor.school,
                    device=device,
                    learner_id=person.learner_id,
                    staff_id=person.staff_id,
                    starts_at=start,
                    ends_at=end,
                    imported_by=actor.user,
                )
            )
    _fail_if(errors)
    return _store(
        actor,
        "monitoring.devices_import",
        rows,
        lambda: set(
            DeviceAssignment.objects.filter(school=actor.school).values_list(
                "device", "learner_id", "staff_id", "starts_at"
            )
        ),
        lambda a: (a.device, a.learner_id, a.staff_id, a.starts_at),
    )


def usernames_import(*, actor: Membership, content: str) -> ImportSummary:
    """Add network usernames (username,person). A username already mapped keeps its person."""
    _require(actor)
    index = IdentifierIndex(actor.school)
    errors: list[str] = []
    rows: dict[str, AccountMapping] = {}
    for number, row in _rows(content, USERNAME_COLUMNS):
        username = row["username"].lower().rsplit("\\", 1)[-1]
        if not username:
            errors.append(f"line {number}: the username is missing")
            continue
        person = _person(index, row, number, errors)
        if person is not None:
            rows[username] = AccountMapping(
                school=actor.school,
                username=username,
                learner_id=person.learner_id,
                staff_id=person.staff_id,
                created_by=actor.user,
            )
    _fail_if(errors)
    return _store(
        actor,
        "monitoring.usernames_import",
        list(rows.values()),
        lambda: set(AccountMapping.objects.filter(school=actor.school).values_list("username", flat=True)),
        lambda mapping: mapping.username,
    )


def _store(actor: Membership, action: str, rows: list, existing: Callable[[], set], key: Callable) -> ImportSummary:
    with transaction.atomic():
        held = existing()
        fresh, seen = [], set()
        for row in rows:
            if isinstance(row, DeviceLease):
                row.imported_by = actor.user
            k = key(row)
            if k in held or k in seen:
                continue
            seen.add(k)
            fresh.append(row)
        type(rows[0]).objects.bulk_create(fresh, batch_size=2000) if fresh else None
        summary = ImportSummary(created=len(fresh), skipped_duplicates=len(rows) - len(fresh))
        audit.record(
            action=action,
            actor=actor,
            changes={"created": [None, summary.created], "skipped": [None, summary.skipped_duplicates]},
        )
    return summary
