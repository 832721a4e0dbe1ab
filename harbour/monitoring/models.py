"""Filtering and monitoring logs of one school: settings, lists, uploads, people, aggregates, alerts.

Every row belongs to a school (tenancy). Alerts are safeguarding records: they are never deleted,
and a decision about one (turned into a concern, false positive, dismissed) is recorded on it with
who, when and why. Raw log files are the only thing removed, after the school's retention
(FLT-08, FLT-11: keep only what the review of internet use needs).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from harbour.people.models import Learner, StaffMember
from harbour.schools.models import School

from .severity import Severity

DEFAULT_RETENTION_DAYS = 30
DEFAULT_GROUPING_MINUTES = 60


class MonitoringSettings(models.Model):
    """What the school decided: how long raw logs stay, how hits group, what is worth an alert."""

    school = models.OneToOneField(School, on_delete=models.PROTECT, related_name="monitoring_settings")
    retention_days = models.PositiveSmallIntegerField(
        default=DEFAULT_RETENTION_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text="Raw log files are deleted this many days after upload. Alerts and daily counts stay.",
    )
    grouping_minutes = models.PositiveIntegerField(
        default=DEFAULT_GROUPING_MINUTES,
        validators=[MinValueValidator(1), MaxValueValidator(7 * 24 * 60)],
        help_text="Hits by the same person in the same category this close together make one alert.",
    )
    alert_threshold = models.CharField(
        max_length=10,
        choices=Severity.choices,
        default=Severity.MEDIUM,
        help_text="Only hits of this severity or higher become alerts; the rest are counted only.",
    )
    category_severity = models.JSONField(default=dict, blank=True, help_text="List category -> severity.")
    keyword_severity = models.JSONField(default=dict, blank=True, help_text="Keyword category -> severity.")
    digest_enabled = models.BooleanField(default=True)
    last_digest_on = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "monitoring settings"
        verbose_name_plural = "monitoring settings"

    def __str__(self) -> str:
        return f"Monitoring settings of {self.school}"


class ListEntry(models.Model):
    """One line of the school's own allow or block list: a domain, or a host/path prefix."""

    class Kind(models.TextChoices):
        ALLOW = "allow", "Allow (never flag)"
        BLOCK = "block", "Block (always flag as school_block)"

    class Source(models.TextChoices):
        MANUAL = "manual", "Added by hand"
        FALSE_POSITIVE = "false_positive", "From a false-positive alert"

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="monitoring_list_entries")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    entry = models.CharField(max_length=500, help_text="A domain (example.org) or a prefix (example.org/path).")
    reason = models.TextField()
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.MANUAL)
    alert = models.ForeignKey("Alert", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    removed_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["kind", "entry"]
        verbose_name_plural = "list entries"
        constraints = [
            models.UniqueConstraint(
                fields=["school", "kind", "entry"], condition=Q(removed_at__isnull=True), name="one_live_list_entry"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.entry}"


class LogUpload(models.Model):
    """One log file handed to Harbour, from the upload page or ``monitoring_ingest``."""

    class Status(models.TextChoices):
        RECEIVED = "received", "Received"
        SPLITTING = "splitting", "Splitting into chunks"
        SCANNING = "scanning", "Scanning"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    class Source(models.TextChoices):
        WEB = "web", "Upload page"
        COMMAND = "command", "Command line"
        DEMO = "demo", "Demo data"

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="monitoring_uploads")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.WEB)
    original_name = models.CharField(max_length=255)
    file = models.CharField(max_length=500, blank=True, help_text="Path under MEDIA_ROOT; empty once purged.")
    size = models.BigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    format_requested = models.CharField(max_length=20, default="auto")
    format_detected = models.CharField(max_length=20, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.RECEIVED)
    error = models.TextField(blank=True)
    chunks_total = models.PositiveIntegerField(default=0)
    chunks_done = models.PositiveIntegerField(default=0)
    lines = models.BigIntegerField(default=0)
    requests = models.BigIntegerField(default=0)
    malformed = models.BigIntegerField(default=0)
    flags = models.BigIntegerField(default=0)
    alerts_created = models.PositiveIntegerField(default=0)
    alerts_updated = models.PositiveIntegerField(default=0)
    problems = models.JSONField(default=list, blank=True, help_text="First problems found: 'file:line: reason'.")
    created_at = models.DateTimeField(auto_now_add=True)
    split_started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    purge_after = models.DateTimeField()
    purged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["purged_at", "purge_after"])]

    def __str__(self) -> str:
        return f"Log upload {self.pk} ({self.original_name})"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.chunks_total:
            return 0
        return min(99, int(100 * self.chunks_done / self.chunks_total))

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class LogChunk(models.Model):
    """A slice of an upload that one worker scans. Claimed with a conditional UPDATE (Scale)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for a worker"
        RUNNING = "running", "Being scanned"
        DONE = "done", "Merged"
        FAILED = "failed", "Failed"

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    upload = models.ForeignKey(LogUpload, on_delete=models.PROTECT, related_name="chunks")
    index = models.PositiveIntegerField()
    path = models.CharField(max_length=500, blank=True, help_text="Path under MEDIA_ROOT; empty once purged.")
    first_line = models.BigIntegerField(default=1)
    line_count = models.BigIntegerField(default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    worker = models.CharField(max_length=200, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    lease_until = models.DateTimeField(
        null=True,
        blank=True,
        help_text="The worker renews this while it scans; once it passes, the chunk goes to another worker.",
    )
    finished_at = models.DateTimeField(null=True, blank=True)
    lines = models.BigIntegerField(default=0)
    requests = models.BigIntegerField(default=0)
    malformed = models.BigIntegerField(default=0)
    flags = models.BigIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["upload", "index"]
        constraints = [models.UniqueConstraint(fields=["upload", "index"], name="one_chunk_per_index")]

    def __str__(self) -> str:
        return f"Chunk {self.index} of upload {self.upload_id}"


class _PersonLink(models.Model):
    """A learner or a member of staff, never both (a mapping names one person)."""

    learner = models.ForeignKey(Learner, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    staff = models.ForeignKey(StaffMember, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        abstract = True

    @property
    def person(self) -> Learner | StaffMember | None:
        return self.learner or self.staff


class AccountMapping(_PersonLink):
    """A network login that the MIS identifiers do not already give away (e.g. ``jsmith07``)."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    username = models.CharField(max_length=150, help_text="Stored lower-case, without DOMAIN\\ or @domain.")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["username"]
        constraints = [
            models.UniqueConstraint(fields=["school", "username"], name="one_mapping_per_username"),
            models.CheckConstraint(
                condition=Q(learner__isnull=True) ^ Q(staff__isnull=True), name="account_mapping_one_person"
            ),
        ]

    def __str__(self) -> str:
        return self.username


class DeviceLease(models.Model):
    """An IP address held by a device for a time, from a DHCP lease export."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    ip = models.GenericIPAddressField()
    mac = models.CharField(max_length=17, blank=True, help_text="aa:bb:cc:dd:ee:ff")
    hostname = models.CharField(max_length=253, blank=True)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(null=True, blank=True, help_text="Empty: still leased.")
    imported_at = models.DateTimeField(auto_now_add=True)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["ip", "starts_at"]
        indexes = [models.Index(fields=["school", "ip", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.ip} → {self.mac or self.hostname}"


class DeviceAssignment(_PersonLink):
    """Who used a device (by MAC address or hostname) and when: the device register."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    device = models.CharField(max_length=253, help_text="MAC address or hostname, lower-case.")
    starts_at = models.DateTimeField(null=True, blank=True, help_text="Empty: since always.")
    ends_at = models.DateTimeField(null=True, blank=True, help_text="Empty: still assigned.")
    imported_at = models.DateTimeField(auto_now_add=True)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["device", "starts_at"]
        indexes = [models.Index(fields=["school", "device"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(learner__isnull=True) ^ Q(staff__isnull=True), name="device_assignment_one_person"
            ),
        ]

    def __str__(self) -> str:
        return self.device


class PersonDay(_PersonLink):
    """Requests per person, category and day (UTC): what the review of internet use reads (FLT-08)."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    person = models.CharField(max_length=200, help_text="Username from the log, else the client IP.")
    category = models.CharField(max_length=100, help_text="List category, or kw:<keyword category>.")
    requests = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["-day", "person", "category"]
        constraints = [
            models.UniqueConstraint(fields=["school", "day", "person", "category"], name="one_person_day_row")
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.person} {self.category}: {self.requests}"


class Alert(_PersonLink):
    """Hits by one person in one category, grouped within the school's window (FLT-08, INC-FILT-06)."""

    class Kind(models.TextChoices):
        CATEGORY = "category", "Web category"
        KEYWORD = "keyword", "Search words"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CONVERTED = "converted", "Turned into a concern"
        FALSE_POSITIVE = "false_positive", "False positive"
        DISMISSED = "dismissed", "Dismissed"
        MERGED = "merged", "Merged into another alert"

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="monitoring_alerts")
    person_key = models.CharField(max_length=220, help_text="learner:<id>, staff:<id>, or the raw person.")
    person_label = models.CharField(max_length=200, help_text="Username or IP address as logged.")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    category = models.CharField(max_length=100)
    severity = models.CharField(max_length=10, choices=Severity.choices)
    first_seen = models.DateTimeField()
    last_seen = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)
    hosts = models.JSONField(default=list, blank=True)
    sample_urls = models.JSONField(default=list, blank=True)
    terms = models.JSONField(default=list, blank=True, help_text="Decoded search terms (keyword alerts).")
    phrases = models.JSONField(default=list, blank=True, help_text="Keyword phrases that matched.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    status_reason = models.TextField(blank=True)
    status_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status_at = models.DateTimeField(null=True, blank=True)
    concern = models.ForeignKey(
        "concerns.Concern", null=True, blank=True, on_delete=models.PROTECT, related_name="monitoring_alerts"
    )
    upload = models.ForeignKey(LogUpload, null=True, blank=True, on_delete=models.PROTECT, related_name="alerts")
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_from",
        help_text="Set when parts of a log scanned out of order showed this alert and another to be one.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-last_seen", "-id"]
        indexes = [
            models.Index(fields=["school", "status", "severity"]),
            models.Index(fields=["school", "person_key", "kind", "category", "status"]),
        ]

    def __str__(self) -> str:
        return f"Alert {self.pk}: {self.category}"

    @property
    def category_label(self) -> str:
        prefix = "Search words: " if self.kind == self.Kind.KEYWORD else ""
        return prefix + self.category.replace("_", " ")
