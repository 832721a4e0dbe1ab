"""The hash chain that makes a changed or missing audit event visible (issue 12 point 10).

Each school has its own chain (events outside any school, such as sign-ins, form one more). An
event carries its number in the chain (``seq``: 1, 2, 3…), the digest of the event before it
(``prev_digest``) and its own ``digest``: SHA-256 over its content and ``prev_digest``. Changing a
row breaks its own digest; deleting one leaves a gap in ``seq`` and a ``prev_digest`` that no
longer matches. ``manage.py audit_verify`` walks every chain (docs/decisions/0008).

Why per school: a school's trail can be checked, exported and reasoned about on its own, and a
write in one school never waits for another school's lock.

Writers take the chain's lock before reading its last event, so two requests can never both
append "number 42": on PostgreSQL a transaction-scoped advisory lock per chain; on SQLite every
transaction is opened IMMEDIATE (settings), so the writer already holds the database's single
write lock. A unique constraint on (school, seq) backs both: at worst a write fails, never forks.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from django.db import connections
from django.db.models import GenericIPAddressField

if TYPE_CHECKING:
    from harbour.audit.models import AuditEvent

GENESIS = "0" * 64
# Stable across releases: changing what is hashed needs a new version and a verifier for both.
DIGEST_VERSION = 1
# First key of PostgreSQL's two-key advisory lock: "HBAU", Harbour audit. Second key: the school.
_LOCK_NAMESPACE = 0x48424155 & 0x7FFFFFFF
_ip = GenericIPAddressField()


def canonical_changes(changes: Any) -> Any:
    """``changes`` as it will read back from the JSON column (tuples as lists, keys as strings)."""
    return json.loads(json.dumps(changes if changes is not None else {}))


def _timestamp(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def digest(event: AuditEvent) -> str:
    """The SHA-256 of an event's content and of the digest before it, as hex."""
    payload = {
        "v": DIGEST_VERSION,
        "school": event.school_id,
        "seq": event.seq,
        "prev": event.prev_digest,
        "actor": event.actor_id,
        "actor_email": event.actor_email,
        "actor_role": event.actor_role,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "changes": event.changes,
        "ip_address": _ip.get_prep_value(event.ip_address),
        "user_agent": event.user_agent,
        "created_at": _timestamp(event.created_at),
    }
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def lock_chain(school_id: int | None, using: str) -> None:
    """Hold the chain's lock until the surrounding transaction ends (PostgreSQL only)."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_LOCK_NAMESPACE, (school_id or 0) % 2_147_483_647])


def link(event: AuditEvent, using: str) -> None:
    """Give a new event its place in its school's chain. Call inside a transaction, then insert."""
    from harbour.audit.models import AuditEvent

    lock_chain(event.school_id, using)
    last = (
        AuditEvent.objects.using(using)
        .filter(school_id=event.school_id, seq__isnull=False)
        .order_by("-seq")
        .values_list("seq", "digest")
        .first()
    )
    event.seq, event.prev_digest = (last[0] + 1, last[1]) if last else (1, GENESIS)
    event.changes = canonical_changes(event.changes)
    event.digest = digest(event)


@dataclass(frozen=True)
class Break:
    """The first place a chain does not hold, in words an operator can act on."""

    school_id: int | None
    event_id: int | None
    seq: int | None
    problem: str

    def __str__(self) -> str:
        chain = f"school {self.school_id}" if self.school_id is not None else "events outside any school"
        where = f"event id {self.event_id} (number {self.seq} in the chain)" if self.event_id else "the chain"
        return f"{chain}: {where}: {self.problem}"


@dataclass(frozen=True)
class ChainReport:
    school_id: int | None
    events: int
    last_seq: int
    last_digest: str
    first_break: Break | None


def verify_chain(school_id: int | None, using: str = "default") -> ChainReport:
    """Walk one chain in order; stop at the first event that is missing, changed or out of place."""
    from harbour.audit.models import AuditEvent

    events = AuditEvent.objects.using(using).filter(school_id=school_id).order_by("seq", "id").iterator(chunk_size=2000)
    expected_seq, prev, prev_id, count = 1, GENESIS, None, 0
    for event in events:
        count += 1
        problem = ""
        if event.seq is None:
            problem = "it has no place in the chain (written outside Harbour's audit service?)"
        elif event.seq < expected_seq:
            problem = f"its number repeats or goes backwards (expected {expected_seq})"
        elif event.seq > expected_seq:
            missing = event.seq - expected_seq
            first_missing = expected_seq
            problem = (
                f"{missing} event(s) missing before it, from number {first_missing} (deleted?)"
                if missing > 1
                else f"event number {first_missing} is missing before it (deleted?)"
            )
        elif event.prev_digest != prev:
            before = f"event id {prev_id}" if prev_id else "the start of the chain"
            problem = f"it does not follow {before}: that one was changed or replaced"
        elif event.digest != digest(event):
            problem = "its content does not match its digest (changed after it was written)"
        if problem:
            return ChainReport(school_id, count, expected_seq - 1, prev, Break(school_id, event.pk, event.seq, problem))
        expected_seq, prev, prev_id = event.seq + 1, event.digest, event.pk
    return ChainReport(school_id, count, expected_seq - 1, prev, None)


def chain_keys(using: str = "default") -> list[int | None]:
    """Every chain that has events: each school's id, and ``None`` for events outside a school."""
    from harbour.audit.models import AuditEvent

    keys = list(AuditEvent.objects.using(using).order_by("school_id").values_list("school_id", flat=True).distinct())
    return sorted(keys, key=lambda key: (key is not None, key or 0))
