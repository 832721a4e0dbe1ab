"""Filtering breaches and their action log (INC-FILT-03..10). Imported by ``models``."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from harbour.people.models import Learner
from harbour.schools.models import School

USER = settings.AUTH_USER_MODEL


class Breach(models.Model):
    """Something unsuitable got through the filter, or someone tried to get round it (INC-FILT-03).

    The web address is kept as typed but is only ever shown as inert, defanged text (INC-FILT-09).
    No picture of what was seen is ever stored: there is no file field on purpose.
    """

    class Source(models.TextChoices):
        STAFF = "staff", "Reported by staff"
        ALERT = "alert", "From a monitoring alert"

    class Status(models.TextChoices):
        NEW = "new", "New"
        TRIAGED = "triaged", "Triaged"
        WITH_PROVIDER = "with_provider", "With the provider"
        CLOSED = "closed", "Closed"

    class Category(models.TextChoices):
        ADULT = "adult", "Adult or sexual content"
        VIOLENCE = "violence", "Violence or gore"
        SELF_HARM = "self_harm", "Self-harm or suicide"
        EXTREMISM = "extremism", "Extremism or terrorism"
        HATE = "hate", "Hate or discrimination"
        DRUGS = "drugs", "Drugs, alcohol or tobacco"
        GAMBLING = "gambling", "Gambling"
        WEAPONS = "weapons", "Weapons"
        BYPASS = "bypass", "Getting round the filter (proxy, VPN)"
        SOCIAL_MEDIA = "social_media", "Social media or chat"
        GAMES = "games", "Games"
        ILLEGAL = "illegal", "Possibly illegal material"
        OTHER = "other", "Something else"

    class Location(models.TextChoices):
        CLASSROOM = "classroom", "Classroom"
        ICT_SUITE = "ict_suite", "Computer suite or library"
        STAFF_AREA = "staff_area", "Staff room or office"
        ELSEWHERE_SITE = "elsewhere_site", "Elsewhere in school"
        REMOTE = "remote", "At home or away from school"
        UNKNOWN = "unknown", "Not known"

    class DeviceGroup(models.TextChoices):
        DESKTOP = "desktop", "School desktop"
        LAPTOP = "laptop", "School laptop"
        TABLET = "tablet", "School tablet"
        STAFF_DEVICE = "staff_device", "Staff device"
        PERSONAL = "personal", "Personal device on school Wi-Fi"
        OTHER = "other", "Other or not known"

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="filtering_breaches")
    reference = models.CharField(max_length=20)
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.STAFF)
    status = models.CharField(max_length=14, choices=Status.choices, default=Status.NEW)
    reported_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField(auto_now_add=True)
    occurred_at = models.DateTimeField()
    address = models.CharField(max_length=1000, blank=True, help_text="As typed; never shown as a link.")
    device = models.CharField(max_length=200, blank=True)
    device_group = models.CharField(max_length=14, choices=DeviceGroup.choices, default=DeviceGroup.OTHER)
    location = models.CharField(max_length=14, choices=Location.choices, default=Location.UNKNOWN)
    user_label = models.CharField(max_length=200, blank=True, help_text="Who was using the device, as known.")
    learner = models.ForeignKey(Learner, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    category = models.CharField(max_length=14, choices=Category.choices, default=Category.OTHER)
    what_seen = models.TextField()
    immediate_action = models.TextField(blank=True)
    alert_id = models.PositiveBigIntegerField(null=True, blank=True, help_text="The monitoring alert it came from.")

    believed_illegal = models.BooleanField(default=False)
    provider_contact = models.CharField(max_length=300, blank=True)
    provider_ticket = models.CharField(max_length=120, blank=True)
    passed_to_provider_at = models.DateTimeField(null=True, blank=True)
    parents_told_at = models.DateTimeField(null=True, blank=True)
    parents_not_told_reason = models.CharField(max_length=500, blank=True)
    external_system = models.CharField(max_length=120, blank=True)
    external_reference = models.CharField(max_length=120, blank=True)
    concern = models.ForeignKey("concerns.Concern", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-reported_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["school", "reference"], name="unique_breach_reference_per_school"),
        ]
        indexes = [models.Index(fields=["school", "status", "-reported_at"])]

    def __str__(self) -> str:
        return self.reference


class BreachEntry(models.Model):
    """One line of a breach's action log. Append-only: a correction is a new ``amendment`` entry."""

    class Kind(models.TextChoices):
        REPORTED = "reported", "Reported"
        TRIAGED = "triaged", "Triaged"
        PROVIDER = "provider", "Passed to the provider"
        PARENTS = "parents", "Parents and carers"
        ILLEGAL = "illegal", "Believed illegal"
        AGENCY = "agency", "Reported to an agency"
        CONCERN = "concern", "Safeguarding concern"
        EXTERNAL = "external", "External record"
        NOTE = "note", "Note"
        AMENDMENT = "amendment", "Correction"
        CLOSED = "closed", "Closed"

    breach = models.ForeignKey(Breach, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    author = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    amends = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.breach_id}"
