"""Who was behind a request: a learner, a member of staff, or nobody we can name (FLT-08).

Two routes, tried in this order:

1. The username in the log. It is matched against the school's explicit ``AccountMapping`` rows
   first, then against identifiers the MIS import already holds: a learner's MIS id or UPN, a
   staff member's staff code, MIS id, email address or the part of it before the ``@``.
   ``DOMAIN\\user`` and ``user@domain`` are reduced to ``user`` as well.
2. The client IP address, at the time of the request: the DHCP lease that held the address then
   gives a device (MAC address or hostname), and the device register says who had that device then.

A key that fits two different people is never used: a wrong name on a safeguarding alert is worse
than none. One ``Resolver`` serves one chunk: it loads the school's tables once and caches.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from harbour.people.models import Learner, StaffMember
from harbour.schools.models import School

from .models import AccountMapping, DeviceAssignment, DeviceLease


@dataclass(frozen=True)
class Person:
    learner_id: int | None = None
    staff_id: int | None = None

    @property
    def key(self) -> str:
        return f"learner:{self.learner_id}" if self.learner_id else f"staff:{self.staff_id}"


_AMBIGUOUS = Person()  # a sentinel: two people share this key


def username_keys(username: str) -> list[str]:
    """The forms of a login worth looking up, most specific first."""
    raw = username.strip().lower()
    if not raw or raw == "-":
        return []
    keys = [raw]
    bare = raw.rsplit("\\", 1)[-1]
    if "@" in bare:
        if bare not in keys:
            keys.append(bare)
        bare = bare.split("@", 1)[0]
    if bare not in keys:
        keys.append(bare)
    return keys


def normalise_device(value: str) -> str:
    """MAC addresses as aa:bb:cc:dd:ee:ff (from -, . or no separators); hostnames lower-case."""
    text = value.strip().lower()
    digits = "".join(ch for ch in text if ch in "0123456789abcdef")
    if len(digits) == 12 and len(text) in (12, 14, 17) and all(ch in "0123456789abcdef:-." for ch in text):
        return ":".join(digits[i : i + 2] for i in range(0, 12, 2))
    return text.rstrip(".")


class IdentifierIndex:
    """MIS identifiers of a school's learners and staff, lower-case, for usernames and registers."""

    def __init__(self, school: School) -> None:
        self._index: dict[str, Person] = {}
        for mapping in AccountMapping.objects.filter(school=school):
            self._index[mapping.username] = Person(mapping.learner_id, mapping.staff_id)
        explicit = set(self._index)
        derived: dict[str, Person] = {}
        for pk, mis_id, upn in Learner.objects.filter(school=school).values_list("pk", "mis_id", "upn"):
            for key in (mis_id, upn):
                self._add(derived, key, Person(learner_id=pk))
        staff = StaffMember.objects.filter(school=school).values_list("pk", "staff_code", "mis_id", "email")
        for pk, code, mis_id, email in staff:
            for key in (code, mis_id, email, email.split("@", 1)[0] if email else ""):
                self._add(derived, key, Person(staff_id=pk))
        for key, person in derived.items():
            if key not in explicit:
                self._index[key] = person

    @staticmethod
    def _add(index: dict[str, Person], key: str, person: Person) -> None:
        key = (key or "").strip().lower()
        if not key:
            return
        if key in index and index[key] != person:
            index[key] = _AMBIGUOUS
        else:
            index[key] = person

    def lookup(self, identifier: str) -> Person | None:
        for key in username_keys(identifier):
            person = self._index.get(key)
            if person is not None:
                return None if person is _AMBIGUOUS else person
        return None


def _valid_at(starts: datetime | None, ends: datetime | None, when: datetime) -> bool:
    return (starts is None or starts <= when) and (ends is None or when < ends)


class Resolver:
    """Resolves (username, client IP, time) to a ``Person`` for one school; caches per instance."""

    def __init__(self, school: School) -> None:
        self.school = school
        self._ids: IdentifierIndex | None = None
        self._leases: dict[str, tuple[list[datetime], list[DeviceLease]]] | None = None
        self._devices: dict[str, list[DeviceAssignment]] | None = None

    @property
    def identifiers(self) -> IdentifierIndex:
        if self._ids is None:
            self._ids = IdentifierIndex(self.school)
        return self._ids

    def _load_network(self) -> None:
        leases: dict[str, list[DeviceLease]] = defaultdict(list)
        for lease in DeviceLease.objects.filter(school=self.school).order_by("starts_at", "pk"):
            leases[lease.ip].append(lease)
        self._leases = {ip: ([lease.starts_at for lease in rows], rows) for ip, rows in leases.items()}
        devices: dict[str, list[DeviceAssignment]] = defaultdict(list)
        for assignment in DeviceAssignment.objects.filter(school=self.school):
            devices[assignment.device].append(assignment)
        self._devices = dict(devices)

    def by_ip(self, ip: str, when: datetime) -> Person | None:
        if self._leases is None:
            self._load_network()
        assert self._leases is not None
        assert self._devices is not None
        found = self._leases.get(ip)
        if not found:
            return None
        starts, rows = found
        # The latest lease that started by then and had not ended: a renewal supersedes the old one.
        for lease in reversed(rows[: bisect_right(starts, when)]):
            if not _valid_at(lease.starts_at, lease.ends_at, when):
                continue
            people = {
                Person(a.learner_id, a.staff_id)
                for device in (lease.mac, lease.hostname.lower())
                if device
                for a in self._devices.get(device, [])
                if _valid_at(a.starts_at, a.ends_at, when)
            }
            return people.pop() if len(people) == 1 else None
        return None

    def resolve(self, *, username: str, client_ip: str, when: datetime) -> Person | None:
        if username and username != "-":
            person = self.identifiers.lookup(username)
            if person is not None:
                return person
        return self.by_ip(client_ip, when) if client_ip else None
