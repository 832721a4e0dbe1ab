"""Learners, staff, parents/carers and classes of one school, as imported from its MIS.

Records are never deleted: a learner or staff member who leaves is marked with a leaving date
so that every safeguarding record that names them still points at them.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q

from harbour.schools.models import School


class SchoolClass(models.Model):
    """A registration or teaching group, e.g. "Year 3 Oak"."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="classes")
    name = models.CharField(max_length=80)
    year_group = models.CharField(max_length=20, blank=True)
    mis_id = models.CharField("MIS identifier", max_length=64, blank=True)
    teachers = models.ManyToManyField("StaffMember", blank=True, related_name="classes")
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["school", "year_group", "name"]
        verbose_name = "class"
        verbose_name_plural = "classes"
        constraints = [models.UniqueConstraint(fields=["school", "name"], name="unique_class_name_per_school")]

    def __str__(self) -> str:
        return self.name


class StaffMember(models.Model):
    """Anyone who works or volunteers for the school. May have no Harbour login at all."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="staff")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="staff_records"
    )
    title = models.CharField(max_length=20, blank=True)
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    email = models.EmailField(blank=True)
    job_title = models.CharField(max_length=120, blank=True)
    staff_code = models.CharField(max_length=20, blank=True)
    mis_id = models.CharField("MIS identifier", max_length=64, blank=True)
    started_on = models.DateField(null=True, blank=True)
    left_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["school", "last_name", "first_name"]
        verbose_name = "staff member"
        constraints = [
            models.UniqueConstraint(
                fields=["school", "user"], condition=Q(user__isnull=False), name="one_staff_record_per_user"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def is_current(self) -> bool:
        return self.left_on is None or self.left_on > date.today()


class Learner(models.Model):
    """A pupil on roll (or who has left). The vulnerability flags are need-to-know data."""

    class SendStatus(models.TextChoices):
        NONE = "", "None recorded"
        SEN_SUPPORT = "K", "SEN support"
        EHCP = "E", "Education, health and care plan"

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="learners")
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    preferred_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField()
    gender = models.CharField(max_length=20, blank=True)
    year_group = models.CharField(max_length=20)
    school_class = models.ForeignKey(
        SchoolClass, null=True, blank=True, on_delete=models.PROTECT, related_name="learners"
    )
    upn = models.CharField("UPN", max_length=13, blank=True, help_text="Unique pupil number (13 characters).")
    mis_id = models.CharField("MIS identifier", max_length=64, blank=True)
    send_status = models.CharField("SEND", max_length=1, choices=SendStatus.choices, blank=True, default="")
    is_looked_after = models.BooleanField("looked after", default=False)
    is_previously_looked_after = models.BooleanField("previously looked after", default=False)
    has_child_protection_plan = models.BooleanField(default=False)
    has_child_in_need_plan = models.BooleanField(default=False)
    is_young_carer = models.BooleanField(default=False)
    has_eal = models.BooleanField("English as an additional language", default=False)
    is_pupil_premium = models.BooleanField(default=False)
    other_vulnerabilities = models.CharField(max_length=300, blank=True)
    admitted_on = models.DateField(null=True, blank=True)
    left_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["school", "last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "upn"], condition=~Q(upn=""), name="unique_upn_per_school"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        first = self.preferred_name or self.first_name
        return f"{first} {self.last_name}".strip()

    @property
    def vulnerability_flags(self) -> list[str]:
        """Human labels for every flag that is set, for badges and filters."""
        flags = [self.get_send_status_display()] if self.send_status else []
        flags += [label for field, label in FLAG_LABELS.items() if getattr(self, field)]
        if self.other_vulnerabilities:
            flags.append(self.other_vulnerabilities)
        return flags


FLAG_LABELS: dict[str, str] = {
    "is_looked_after": "Looked after",
    "is_previously_looked_after": "Previously looked after",
    "has_child_protection_plan": "Child protection plan",
    "has_child_in_need_plan": "Child in need plan",
    "is_young_carer": "Young carer",
    "has_eal": "English as an additional language",
    "is_pupil_premium": "Pupil premium",
}


class Parent(models.Model):
    """A parent or carer, linked to one or more learners of the same school."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="parents")
    title = models.CharField(max_length=20, blank=True)
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    mobile = models.CharField(max_length=40, blank=True)
    address = models.TextField(blank=True)
    mis_id = models.CharField("MIS identifier", max_length=64, blank=True)
    learners = models.ManyToManyField(Learner, through="ParentLink", related_name="parents")

    class Meta:
        ordering = ["school", "last_name", "first_name"]
        verbose_name = "parent or carer"
        verbose_name_plural = "parents and carers"

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class ParentLink(models.Model):
    """How a parent/carer relates to a learner, and whether they may be contacted about them."""

    parent = models.ForeignKey(Parent, on_delete=models.PROTECT, related_name="links")
    learner = models.ForeignKey(Learner, on_delete=models.PROTECT, related_name="parent_links")
    relationship = models.CharField(max_length=60, blank=True)
    has_parental_responsibility = models.BooleanField(default=True)
    contact_priority = models.PositiveSmallIntegerField(default=1)
    lives_with_learner = models.BooleanField(default=True)

    class Meta:
        ordering = ["contact_priority"]
        constraints = [models.UniqueConstraint(fields=["parent", "learner"], name="one_link_per_parent_learner")]

    def __str__(self) -> str:
        return f"{self.parent} ({self.relationship or 'contact'}) of {self.learner}"


class ImportBatch(models.Model):
    """One uploaded MIS export waiting to be checked and applied (or already applied/discarded).

    The file is held here between the preview and the confirmation, so what is applied is exactly
    what was previewed. Once applied or discarded its content is cleared (data minimisation); the
    summary keeps the counts, the skipped lines and a fingerprint of the file.
    """

    class Kind(models.TextChoices):
        CLASSES = "classes", "Classes"
        STAFF = "staff", "Staff"
        LEARNERS = "learners", "Learners"
        PARENTS = "parents", "Parents and carers"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for confirmation"
        APPLIED = "applied", "Imported"
        DISCARDED = "discarded", "Discarded"

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="import_batches")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    original_filename = models.CharField(max_length=255, blank=True)
    content = models.TextField(blank=True)
    mapping = models.JSONField(default=dict, blank=True, help_text="Column choices that override the detected ones.")
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    summary = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "import batch"
        verbose_name_plural = "import batches"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} import {self.original_filename or self.pk}"
