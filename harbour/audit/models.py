"""The append-only audit trail: who did what to which record, when and from where."""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models, router, transaction
from django.utils import timezone


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove an audit event."""


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: object) -> NoReturn:
        raise AppendOnlyError("Audit events are never changed")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("Audit events are never deleted")

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list[AuditEvent]:
        # One at a time, so every event takes its place in the hash chain.
        created = list(objs)
        for event in created:
            event.save(using=self.db)
        return created

    def bulk_update(self, *args: object, **kwargs: object) -> NoReturn:
        raise AppendOnlyError("Audit events are never changed")


class AuditEvent(models.Model):
    """One audited action. Rows are only ever inserted: the model refuses updates and deletes,
    and on PostgreSQL triggers refuse them too, TRUNCATE included (migrations 0002 and 0003).
    Each new event is linked into its school's hash chain (``harbour.audit.chain``)."""

    school = models.ForeignKey(
        "schools.School", null=True, blank=True, on_delete=models.PROTECT, related_name="audit_events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Copied so the trail still reads correctly if the user's address changes later.
    actor_email = models.CharField(max_length=254, blank=True)
    actor_role = models.CharField(max_length=40, blank=True)
    action = models.CharField(max_length=80, db_index=True)
    object_type = models.CharField(max_length=80, blank=True, db_index=True)
    object_id = models.CharField(max_length=64, blank=True, db_index=True)
    object_repr = models.CharField(max_length=200, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    # Set before the insert (not auto_now_add) because the digest covers it.
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    # The hash chain (issue 12 point 10): place in the school's chain, previous digest, own digest.
    seq = models.PositiveBigIntegerField(null=True, blank=True, editable=False)
    prev_digest = models.CharField(max_length=64, blank=True, editable=False)
    digest = models.CharField(max_length=64, blank=True, editable=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["school", "-created_at"])]
        constraints = [
            models.UniqueConstraint(fields=["school", "seq"], name="audit_one_place_per_school_chain"),
            models.UniqueConstraint(
                fields=["seq"], condition=models.Q(school__isnull=True), name="audit_one_place_in_global_chain"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_email} {self.action} {self.object_repr}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise AppendOnlyError("Audit events are never changed")
        from harbour.audit import chain

        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        # No savepoint of its own: if the insert fails inside a caller's transaction, that whole
        # transaction must fail too (an action whose audit event was lost must not commit).
        with transaction.atomic(using=using, savepoint=False):
            chain.link(self, using)
            super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> NoReturn:
        raise AppendOnlyError("Audit events are never deleted")
