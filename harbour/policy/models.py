"""Policy versions and the registers around them (GOV-02..GOV-08, GOV-14, GOV-19, GOV-21, GOV-22, ROL-09).

A school's policy is a flat configuration dict (see harbour.policy.rules). Each change is a new
``PolicyVersion``; a published version never changes again (GOV-05), it is only superseded by the
next one. Every step of the workflow is a ``PolicyVersionTransition`` row, so the approval record of
each version is kept for good. Registers (guidance editions, linked policies, review triggers and
tasks, periodic reviews, exceptions, acknowledgements) belong to one school each.

Nothing here is deleted: a withdrawn exception is marked withdrawn, a closed review task keeps its
outcome. Writes go through ``services``; reads through ``selectors``.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from harbour.schools.models import School


def _plain(value: Any) -> Any:
    """JSON values as the database gives them back (tuples become lists), so comparisons are fair."""
    if isinstance(value, dict | list | tuple):
        return json.loads(json.dumps(value, default=str))
    return value


class PolicyVersion(models.Model):
    """One version of a school's policy configuration and where it is in the approval workflow (GOV-05)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        CONSULTATION = "consultation", "In consultation"
        SPECIALIST_ADVICE = "specialist_advice", "Taking specialist advice"
        AWAITING_APPROVAL = "awaiting_approval", "Agreed, awaiting governors' approval"
        APPROVED = "approved", "Approved by governors, not yet published"
        PUBLISHED = "published", "Published (in force)"
        SUPERSEDED = "superseded", "Superseded"

    OPEN_STATUSES = (
        Status.DRAFT,
        Status.CONSULTATION,
        Status.SPECIALIST_ADVICE,
        Status.AWAITING_APPROVAL,
        Status.APPROVED,
    )
    FINAL_STATUSES = (Status.PUBLISHED, Status.SUPERSEDED)
    # Fields frozen once a version has been published: what was in force must stay provable.
    FROZEN_FIELDS = ("config", "number", "effective_from", "change_note", "approved_on", "approval_reference")

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="policy_versions")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    config = models.JSONField(default=dict, blank=True)
    change_note = models.TextField(blank=True)
    effective_from = models.DateField(null=True, blank=True)
    approved_on = models.DateField(null=True, blank=True, help_text="Date of the governing body's approval.")
    approval_reference = models.CharField(
        max_length=200, blank=True, help_text="e.g. the minute reference of the governors' meeting."
    )
    # Which groups are asked to acknowledge it: role keys (ROL-09).
    acknowledgement_roles = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["school", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["school", "number"], name="policy_version_number_unique"),
            # At most one version in the workflow at a time, so "the draft" is never ambiguous.
            models.UniqueConstraint(
                fields=["school"],
                condition=Q(status__in=["draft", "consultation", "specialist_advice", "awaiting_approval", "approved"]),
                name="policy_version_one_open",
            ),
            models.UniqueConstraint(
                fields=["school"], condition=Q(status="published"), name="policy_version_one_published"
            ),
        ]

    def __str__(self) -> str:
        return f"Version {self.number} ({self.get_status_display()})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Refuse any change to a published version's content (GOV-05): a change is a new version."""
        if self.pk is not None:
            stored = type(self).objects.filter(pk=self.pk).values(*self.FROZEN_FIELDS, "status").first()
            if stored is not None and stored["status"] in self.FINAL_STATUSES:
                changed = [name for name in self.FROZEN_FIELDS if stored[name] != _plain(getattr(self, name))]
                if changed:
                    raise ValidationError(
                        f"Version {self.number} is published and cannot be changed ({', '.join(changed)}); "
                        "start a new draft instead."
                    )
                if self.status not in self.FINAL_STATUSES:
                    raise ValidationError(f"Version {self.number} is published and cannot return to the workflow.")
        super().save(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def is_final(self) -> bool:
        return self.status in self.FINAL_STATUSES


class PolicyVersionTransition(models.Model):
    """One step of a version through the workflow, with who, when and the record behind it (GOV-05)."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    version = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, related_name="transitions")
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, choices=PolicyVersion.Status.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    by_role = models.CharField(max_length=40, blank=True)
    at = models.DateTimeField(auto_now_add=True)
    on_date = models.DateField(null=True, blank=True, help_text="Date of the meeting or decision, when it differs.")
    reference = models.CharField(max_length=200, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["version", "at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status or 'new'} → {self.to_status}"

    @property
    def to_label(self) -> str:
        return PolicyVersion.Status(self.to_status).label


class GuidanceEdition(models.Model):
    """An edition of a statutory or local guidance document in the school's register (GOV-06, GOV-07).

    ``key`` links the entry to the configuration: a version cites key ``kcsie`` through its
    ``kcsie_edition`` variable.
    """

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="guidance_editions")
    key = models.SlugField(max_length=60, help_text="Short key, e.g. kcsie, eyfs, working_together.")
    title = models.CharField(max_length=200)
    edition_year = models.PositiveIntegerField()
    entered_on = models.DateField()
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["key", "-edition_year"]
        constraints = [
            models.UniqueConstraint(fields=["school", "key", "edition_year"], name="guidance_edition_unique")
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.edition_year}"

    @property
    def config_variable(self) -> str:
        return f"{self.key}_edition"


class GuidanceFlag(models.Model):
    """A version flagged as due for review because it cites an older edition than one now registered (GOV-07)."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    version = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, related_name="guidance_flags")
    edition = models.ForeignKey(GuidanceEdition, on_delete=models.PROTECT, related_name="flags")
    cited_year = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["version", "edition"], name="guidance_flag_unique")]

    def __str__(self) -> str:
        return f"Version {self.version.number} cites {self.edition.key} {self.cited_year}"


class LinkedPolicy(models.Model):
    """A school policy this one depends on, with owner, version and review date (GOV-08)."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="linked_policies")
    name = models.CharField(max_length=200)
    owner = models.CharField(max_length=200, blank=True)
    version = models.CharField(max_length=60, blank=True)
    review_date = models.DateField(null=True, blank=True)
    link = models.URLField(max_length=500, blank=True)
    notes = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ReviewTrigger(models.Model):
    """Something that calls for an out-of-cycle review (GOV-04); recording one opens a ``ReviewTask``."""

    class Kind(models.TextChoices):
        GUIDANCE = "guidance", "New or changed national or local guidance or procedure"
        CHILD_PROTECTION = "child_protection", "A child protection concern"
        INFRASTRUCTURE = "infrastructure", "A change to the technical infrastructure"
        POLICY_GAP = "policy_gap", "A concern that showed a gap in the policy"
        OTHER = "other", "Something else"

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="review_triggers")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    description = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at", "-id"]

    def __str__(self) -> str:
        return self.get_kind_display()


class ReviewTask(models.Model):
    """A review the school has to carry out: routine (GOV-03), out of cycle (GOV-04) or for new guidance (GOV-07)."""

    class Kind(models.TextChoices):
        ROUTINE = "routine", "Routine review"
        OUT_OF_CYCLE = "out_of_cycle", "Out-of-cycle review"
        GUIDANCE = "guidance", "Review for new guidance"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done: policy changed"
        NO_CHANGE = "no_change", "Done: no change needed"

    CLOSED_STATUSES = (Status.DONE, Status.NO_CHANGE)

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="review_tasks")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    title = models.CharField(max_length=200)
    trigger = models.ForeignKey(ReviewTrigger, null=True, blank=True, on_delete=models.PROTECT, related_name="tasks")
    edition = models.ForeignKey(
        GuidanceEdition, null=True, blank=True, on_delete=models.PROTECT, related_name="review_tasks"
    )
    due_on = models.DateField(null=True, blank=True)
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.TextField(blank=True)
    resolved_by_version = models.ForeignKey(
        PolicyVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="resolved_tasks"
    )

    class Meta:
        ordering = ["-opened_at", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status not in self.CLOSED_STATUSES


class PeriodicReview(models.Model):
    """A review held at a set interval: of online risks (GOV-21) or the governors' report (GOV-14)."""

    class Kind(models.TextChoices):
        RISK = "risk", "Online risk review"
        GOVERNORS_REPORT = "governors_report", "Online safety report to governors"

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="periodic_reviews")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    held_on = models.DateField()
    summary = models.TextField(help_text="What was looked at.")
    findings = models.TextField(blank=True, help_text="New apps, devices, sites or risks found.")
    actions = models.TextField(blank=True, help_text="What the school will do about them.")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_on:%d %b %Y}"


class ReminderSent(models.Model):
    """When a scheduled reminder went out, so each one goes once per period (GOV-03, GOV-14, GOV-21)."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    key = models.CharField(max_length=120, help_text="What was reminded and for which due date.")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["school", "key"], name="policy_reminder_once")]

    def __str__(self) -> str:
        return self.key


class PolicyException(models.Model):
    """A live exception or permission the policy allows someone to grant (GOV-22)."""

    class Kind(models.TextChoices):
        STAFF_DEVICE_IN_LESSONS = "staff_device_in_lessons", "Staff device use in lessons"
        LEARNER_DEVICE = "learner_device", "Learner device arrangement"
        PARENT_CONTACT = "parent_contact", "Parent-contact exception"
        SOCIAL_MEDIA_CONTACT = "social_media_contact", "Social media contact approval"
        RELATIONSHIP = "relationship", "Relationship decision"

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="policy_exceptions")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    person = models.CharField(max_length=200, help_text="Who it applies to.")
    granted_by = models.CharField(max_length=200, help_text="Who granted it (name and role).")
    conditions = models.TextField(blank=True)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True, help_text="Leave empty only if it has no end date.")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["ends_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.person}"


class Acknowledgement(models.Model):
    """A request to one person to read and acknowledge a published version, and their answer (ROL-09)."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="policy_acknowledgements")
    version = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, related_name="acknowledgements")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    membership = models.ForeignKey(
        "accounts.Membership", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(max_length=40, blank=True, help_text="The role they were asked in.")
    # ROL-09 asks staff to confirm every year: year 1 of a version is cycle 1, the next year cycle 2...
    cycle = models.PositiveIntegerField(default=1)
    requested_at = models.DateTimeField(default=timezone.now)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    last_chased_at = models.DateTimeField(null=True, blank=True)
    chase_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["version", "cycle", "user__email"]
        constraints = [
            models.UniqueConstraint(fields=["version", "user", "cycle"], name="policy_ack_once_per_version_year")
        ]

    def __str__(self) -> str:
        return f"{self.user} — version {self.version.number}"
