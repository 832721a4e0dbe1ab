"""The append-only audit trail: who did what to which record, when and from where."""

from __future__ import annotations

from typing import NoReturn

from django.conf import settings
from django.db import models


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove an audit event."""


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: object) -> NoReturn:
        raise AppendOnlyError("Audit events are never changed")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("Audit events are never deleted")


class AuditEvent(models.Model):
    """One audited action. Rows are only ever inserted: the model refuses updates and deletes,
    and on PostgreSQL a trigger refuses them too (migration 0002)."""

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
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["school", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_email} {self.action} {self.object_repr}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise AppendOnlyError("Audit events are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> NoReturn:
        raise AppendOnlyError("Audit events are never deleted")
