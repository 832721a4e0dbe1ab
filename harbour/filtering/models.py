"""The filtering and monitoring standards register and filtering breaches (FLT-01..11, INC-FILT-01..10).

Nothing here is deleted. Register entries that a school keeps up to date (arrangements, user-group
profiles, decisions, privacy assessments) are versioned: a change is a new row that ``replaces``
the old one, which gets ``superseded_at``. Checks are corrected by a new check that ``corrects``
the earlier one. A breach changes only through ``breaches.py``, which appends a ``BreachEntry`` to
its action log and an audit event for every step.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from harbour.accounts.models import Membership
from harbour.schools.models import School

USER = settings.AUTH_USER_MODEL


class _Versioned(models.Model):
    """A register entry whose corrections are new rows: the live one has no ``superseded_at``."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    replaces = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-recorded_at", "-id"]


class Arrangement(_Versioned):
    """FLT-01: connectivity, filtering and monitoring, their contacts and the named roles."""

    broadband_provider = models.CharField(max_length=200, blank=True)
    filtering_provider = models.CharField(max_length=200, blank=True)
    filtering_product = models.CharField(max_length=200, blank=True)
    monitoring_system = models.CharField(max_length=200, blank=True)
    monitoring_approach = models.TextField(
        blank=True, help_text="How use is monitored: staff watching screens, software on devices, reports from logs."
    )
    ticket_portal = models.CharField(max_length=300, blank=True, help_text="Where the provider takes support tickets.")
    contacts = models.JSONField(default=list, blank=True, help_text="[{name, role, email, phone, url}]")
    # Named roles: a login where the person has one, otherwise their name as free text.
    senior_lead = models.ForeignKey(Membership, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    senior_lead_name = models.CharField(max_length=200, blank=True)
    governor_lead = models.ForeignKey(Membership, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    governor_lead_name = models.CharField(max_length=200, blank=True)
    dsl = models.ForeignKey(Membership, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    dsl_name = models.CharField(max_length=200, blank=True)
    it_lead = models.ForeignKey(Membership, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    it_lead_name = models.CharField(max_length=200, blank=True, help_text="Technician or IT service provider.")
    check_frequency_days = models.PositiveIntegerField(null=True, blank=True)
    review_frequency_days = models.PositiveIntegerField(default=365)

    class Meta(_Versioned.Meta):
        pass

    def __str__(self) -> str:
        return f"Arrangements of {self.school_id} ({self.recorded_at:%Y-%m-%d})"


class UserGroup(_Versioned):
    """A group of users and its filtering profile, including whether social media is reachable (FLT-09)."""

    class Audience(models.TextChoices):
        LEARNERS = "learners", "Learners"
        STAFF = "staff", "Staff"
        GUESTS = "guests", "Visitors and guests"

    class SocialMedia(models.TextChoices):
        BLOCKED = "blocked", "Blocked"
        LIMITED = "limited", "Some sites, or only for teaching"
        ALLOWED = "allowed", "Reachable"
        UNKNOWN = "unknown", "Not recorded yet"

    name = models.CharField(max_length=120)
    audience = models.CharField(max_length=10, choices=Audience.choices)
    filtering_profile = models.TextField(help_text="What the filter applies to this group.")
    social_media = models.CharField(max_length=10, choices=SocialMedia.choices, default=SocialMedia.UNKNOWN)
    social_media_note = models.CharField(max_length=300, blank=True)

    class Meta(_Versioned.Meta):
        ordering = ["audience", "name", "-id"]

    def __str__(self) -> str:
        return self.name


class Decision(_Versioned):
    """FLT-02: the governors' and leaders' decision on filtering and monitoring, with its risk assessment."""

    decided_on = models.DateField()
    decided_by = models.CharField(max_length=200, help_text="The body or people who decided.")
    summary = models.TextField()
    age_and_ability = models.TextField(help_text="How the settings suit learners' ages and abilities.")
    blocked_and_allowed = models.TextField(blank=True, help_text="What is blocked or allowed, and why.")
    risk_assessment_summary = models.TextField()
    document = models.FileField(upload_to="filtering/decisions/", blank=True)
    document_name = models.CharField(max_length=200, blank=True)
    document_type = models.CharField(max_length=120, blank=True)
    document_size = models.PositiveIntegerField(default=0)
    document_sha256 = models.CharField(max_length=64, blank=True)

    class Meta(_Versioned.Meta):
        ordering = ["-decided_on", "-id"]

    def __str__(self) -> str:
        return f"Decision of {self.decided_on}"


class PrivacyAssessment(_Versioned):
    """FLT-11: the privacy and lawful-basis assessment kept with the monitoring record."""

    class LawfulBasis(models.TextChoices):
        PUBLIC_TASK = "public_task", "Public task"
        LEGAL_OBLIGATION = "legal_obligation", "Legal obligation"
        LEGITIMATE_INTERESTS = "legitimate_interests", "Legitimate interests"
        VITAL_INTERESTS = "vital_interests", "Vital interests"

    dpia_reference = models.CharField("DPIA reference", max_length=120, blank=True)
    lawful_basis = models.CharField(max_length=30, choices=LawfulBasis.choices)
    special_category_condition = models.CharField(max_length=300, blank=True)
    retention = models.CharField(max_length=300)
    summary = models.TextField()
    reviewed_on = models.DateField()
    next_review_on = models.DateField(null=True, blank=True)

    class Meta(_Versioned.Meta):
        pass

    def __str__(self) -> str:
        return f"Privacy assessment {self.dpia_reference or self.pk}"


class Review(models.Model):
    """FLT-04, GOV-16: a review of the provision, annual or triggered, with its checklist."""

    class Trigger(models.TextChoices):
        ANNUAL = "annual", "Annual review"
        NEW_TECHNOLOGY = "new_technology", "New technology brought in"
        SAFEGUARDING_RISK = "safeguarding_risk", "A safeguarding risk was identified"
        WORKING_PRACTICE = "working_practice", "A change in how people work"
        INCIDENT = "incident", "After an incident"
        PROVIDER = "provider", "Review with the provider"

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    trigger = models.CharField(max_length=20, choices=Trigger.choices)
    trigger_note = models.CharField(max_length=300, blank=True)
    participants = models.CharField(max_length=300, blank=True)
    answers = models.JSONField(default=dict, blank=True, help_text="{item key: {status, note}}")
    findings = models.TextField(blank=True)
    actions = models.TextField(blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    started_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_trigger_display()} ({self.started_at:%Y-%m-%d})"


class Check(models.Model):
    """FLT-03: one check that filtering or monitoring works. A correction is a new check."""

    class System(models.TextChoices):
        FILTERING = "filtering", "Filtering"
        MONITORING = "monitoring", "Monitoring"

    class Method(models.TextChoices):
        TEST_SITE = "test_site", "A filtering test site"
        CATEGORY_URL = "category_url", "A test address in a blocked category"
        KEYWORD = "keyword", "A keyword or search test"
        ALERT = "alert", "A test that should raise a monitoring alert"
        REPORT = "report", "Reading the provider's reports"
        OTHER = "other", "Another test"

    class Result(models.TextChoices):
        PASS = "pass", "Pass"
        FAIL = "fail", "Fail"

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    checked_at = models.DateTimeField()
    checked_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    checker_name = models.CharField(max_length=200, blank=True, help_text="Someone without a login, e.g. the provider.")
    system = models.CharField(max_length=12, choices=System.choices)
    method = models.CharField(max_length=14, choices=Method.choices)
    test_detail = models.CharField(max_length=500, help_text="What was tried. Addresses stay plain text.")
    device = models.CharField(max_length=200)
    user_group = models.ForeignKey(UserGroup, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    location = models.CharField(max_length=200, blank=True)
    result = models.CharField(max_length=4, choices=Result.choices)
    follow_up = models.TextField(blank=True)
    corrects = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections")
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-checked_at", "-id"]
        indexes = [models.Index(fields=["school", "-checked_at"])]

    def __str__(self) -> str:
        return f"Check {self.pk} ({self.checked_at:%Y-%m-%d})"


class Notice(models.Model):
    """FLT-06, FLT-10: a published version of the monitoring notice; its text is frozen at publication."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    number = models.PositiveIntegerField()
    text = models.TextField()
    published_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["school", "number"], name="one_notice_number_per_school")]

    def __str__(self) -> str:
        return f"Monitoring notice {self.number}"


class NoticeAcknowledgement(models.Model):
    """FLT-07: someone confirmed they read a version of the notice, in the app or recorded for them."""

    class PersonKind(models.TextChoices):
        STAFF = "staff", "Member of staff"
        LEARNER = "learner", "Learner"
        PARENT = "parent", "Parent or carer"
        GOVERNOR = "governor", "Governor"
        VISITOR = "visitor", "Visitor or contractor"

    class Method(models.TextChoices):
        IN_APP = "in_app", "In Harbour"
        PAPER = "paper", "Signed on paper"
        AUP = "aup", "With the acceptable use agreement"
        OTHER = "other", "Another way"

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    notice = models.ForeignKey(Notice, on_delete=models.PROTECT, related_name="acknowledgements")
    user = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    person_name = models.CharField(max_length=200)
    person_kind = models.CharField(max_length=10, choices=PersonKind.choices)
    method = models.CharField(max_length=10, choices=Method.choices)
    acknowledged_on = models.DateField()
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["notice", "user"], condition=Q(user__isnull=False), name="one_notice_ack_per_user"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_name} read notice {self.notice_id}"


class UsageReview(models.Model):
    """FLT-08: a review of internet use on school devices and systems; a finding may become a concern."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    period_start = models.DateField()
    period_end = models.DateField()
    scope = models.CharField(max_length=300, help_text="Which devices, systems or groups were looked at.")
    method = models.CharField(max_length=300, blank=True)
    findings = models.TextField()
    safeguarding_finding = models.BooleanField(default=False)
    concern = models.ForeignKey("concerns.Concern", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reviewed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-period_end", "-id"]

    def __str__(self) -> str:
        return f"Use review {self.period_start}–{self.period_end}"


class Reminder(models.Model):
    """One due date the managers were reminded about (FLT-03, FLT-04, FLT-11), so each goes out once
    and is chased at most weekly while overdue."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20)
    due_on = models.DateField()
    first_sent_at = models.DateTimeField(auto_now_add=True)
    last_sent_at = models.DateTimeField()
    times_sent = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["school", "kind", "due_on"], name="one_filtering_reminder_per_due_date")
        ]

    def __str__(self) -> str:
        return f"{self.kind} due {self.due_on}"


from harbour.filtering.models_breaches import Breach, BreachEntry  # noqa: E402  (split for size)

__all__ = [
    "Arrangement",
    "Breach",
    "BreachEntry",
    "Check",
    "Decision",
    "Notice",
    "NoticeAcknowledgement",
    "PrivacyAssessment",
    "Reminder",
    "Review",
    "UsageReview",
    "UserGroup",
]
