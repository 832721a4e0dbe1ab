"""Safeguarding concerns and everything done about them.

Nothing here is ever deleted or overwritten (REP-08). What happened is recorded as new rows:
``ConcernEntry`` is the append-only action log of a concern (REP-06); a correction is a new entry
that ``amends`` an earlier one, with a reason. Fields on ``Concern`` itself change only through
services, which log an entry and an audit event for every change and use ``version`` for
optimistic locking, so two DSLs working at once never silently overwrite each other.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from harbour.concerns.categories import CHOICES as CATEGORY_CHOICES
from harbour.people.models import Learner, StaffMember
from harbour.schools.models import School


class Concern(models.Model):
    class Status(models.TextChoices):
        NEW = "new", "New — not yet acknowledged"
        OPEN = "open", "Being handled"
        CLOSED = "closed", "Closed"

    class ReporterKind(models.TextChoices):
        STAFF = "staff", "Member of staff"
        ON_BEHALF = "on_behalf", "Staff, on a learner's behalf"
        PARENT = "parent", "Parent or carer"
        VISITOR = "visitor", "Visitor"

    class Location(models.TextChoices):
        ON_SITE = "on_site", "In school or on a school activity"
        OFF_SITE = "off_site", "Away from school"
        UNKNOWN = "unknown", "Not known"

    class Equipment(models.TextChoices):
        SCHOOL = "school", "School device or network"
        PERSONAL = "personal", "Personal device"
        BOTH = "both", "Both"
        UNKNOWN = "unknown", "Not known"

    class Risk(models.TextChoices):
        LOW = "low", "Low"
        MEDIUM = "medium", "Medium"
        HIGH = "high", "High"
        IMMEDIATE = "immediate", "Immediate danger"

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="concerns")
    reference = models.CharField(max_length=20, help_text="Per-school number, e.g. C-2026-0042.")
    category = models.CharField(max_length=40, choices=CATEGORY_CHOICES)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW)
    risk = models.CharField(max_length=10, choices=Risk.choices, blank=True)

    reporter_kind = models.CharField(max_length=10, choices=ReporterKind.choices, default=ReporterKind.STAFF)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="concerns_reported"
    )
    # Public (parent/visitor) reports have no login: who they are and how to reach them.
    reporter_name = models.CharField(max_length=200, blank=True)
    reporter_contact = models.CharField(max_length=200, blank=True)
    reported_at = models.DateTimeField(auto_now_add=True)

    occurred_at = models.DateTimeField()
    location = models.CharField(max_length=10, choices=Location.choices, default=Location.UNKNOWN)
    equipment = models.CharField(max_length=10, choices=Equipment.choices, default=Equipment.UNKNOWN)
    summary = models.CharField(max_length=200, help_text="A short factual title, no names needed.")
    description = models.TextField(help_text="What was seen, heard or said, as factually as possible.")
    childs_own_words = models.TextField(blank=True, help_text="The learner's own words, exactly as said (REP-02).")
    immediate_actions = models.TextField(blank=True)

    # The members of staff the worry is about, in any category (INC-STAFF-05, INC-RAD-04, INC-IIOC-09):
    # from the moment they are named they never see, hear of or work on the record, and it is routed
    # to the head (or, when the head is named, to the route the school set). Names are only added.
    subject_staff = models.ManyToManyField(
        StaffMember, through="ConcernStaffSubject", blank=True, related_name="concerns_about"
    )
    # Where the report went when it was routed, in words the reporter's receipt may show:
    # "team", "head", "chair", "trust_lead", "lado" or "fallback" (see ``routing``).
    routed_to = models.CharField(max_length=20, blank=True, default="")

    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # 0 = DSL team alerted; 1 = escalated to deputies again; 2 = escalated to the head (REP-09).
    escalation_level = models.PositiveSmallIntegerField(default=0)
    escalated_at = models.DateTimeField(null=True, blank=True)

    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.TextField(blank=True)

    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-reported_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["school", "reference"], name="unique_concern_reference_per_school"),
        ]
        indexes = [models.Index(fields=["school", "status", "-reported_at"])]

    def __str__(self) -> str:
        return self.reference


class ConcernLearner(models.Model):
    """A learner involved in a concern, and how."""

    class Part(models.TextChoices):
        AFFECTED = "affected", "Affected or at risk"
        ALLEGED = "alleged", "Alleged to have caused harm"
        WITNESS = "witness", "Witness"

    concern = models.ForeignKey(Concern, on_delete=models.PROTECT, related_name="involvements")
    learner = models.ForeignKey(Learner, on_delete=models.PROTECT, related_name="concern_involvements")
    part = models.CharField(max_length=10, choices=Part.choices, default=Part.AFFECTED)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["part", "learner__last_name"]
        constraints = [models.UniqueConstraint(fields=["concern", "learner"], name="one_involvement_per_learner")]

    def __str__(self) -> str:
        return f"{self.learner} ({self.get_part_display()}) in {self.concern}"


class ConcernStaffSubject(models.Model):
    """A member of staff a concern is about (INC-STAFF-05). Added with who and when; never removed."""

    concern = models.ForeignKey(Concern, on_delete=models.PROTECT, related_name="staff_subjects")
    staff = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["added_at", "id"]
        constraints = [models.UniqueConstraint(fields=["concern", "staff"], name="one_subject_link_per_staff")]

    def __str__(self) -> str:
        return f"{self.concern} is about {self.staff}"


class AllegationRoute(models.Model):
    """Where an allegation about the headteacher goes when no chair of governors can take it (INC-STAFF-05).

    The chair of governors is a flag on a membership; this is the school's second route: the trust's
    safeguarding lead (in Harbour) or the LADO (by an email that carries no detail).
    """

    class Second(models.TextChoices):
        TRUST_LEAD = "trust_lead", "The trust's safeguarding lead"
        LADO = "lado", "The LADO (local authority designated officer)"

    school = models.OneToOneField(School, on_delete=models.PROTECT, related_name="allegation_route")
    second_route = models.CharField(max_length=20, choices=Second.choices, blank=True)
    lado_email = models.EmailField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return f"Allegation route of {self.school}"


class ConcernShare(models.Model):
    """A named colleague the DSL lets see a concern (REP-07). Revoked, never deleted."""

    concern = models.ForeignKey(Concern, on_delete=models.PROTECT, related_name="shares")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="concern_shares")
    reason = models.CharField(max_length=300)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["concern", "user"], condition=Q(revoked_at__isnull=True), name="one_live_share_per_user"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.concern} shared with {self.user}"


class ConcernEntry(models.Model):
    """One line of a concern's append-only action log (REP-06). Also the chronology's raw material."""

    class Kind(models.TextChoices):
        REPORTED = "reported", "Reported"
        NOTE = "note", "Note"
        ACKNOWLEDGED = "acknowledged", "Acknowledged"
        RISK = "risk", "Risk graded"
        CATEGORY = "category", "Category changed"
        DECISION = "decision", "Decision"
        REFERRAL = "referral", "Referral"
        CONSULTATION = "consultation", "Advice sought"
        PARENTS = "parents", "Parents and carers"
        CHECKLIST = "checklist", "Checklist step"
        ATTACHMENT = "attachment", "Attachment"
        SHARE = "share", "Shared"
        SUBJECT = "subject", "About a member of staff"
        ESCALATION = "escalation", "Escalated"
        AMENDMENT = "amendment", "Correction"
        CLOSED = "closed", "Closed"
        REOPENED = "reopened", "Reopened"
        IMAGE_VIEWED = "image_viewed", "Image viewing recorded"
        PRESERVATION = "preservation", "Police request to keep a copy"
        TECH_TASK = "tech_task", "Technician task"
        LINK = "link", "Linked record"

    concern = models.ForeignKey(Concern, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    amends = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="amendments")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name_plural = "concern entries"

    def __str__(self) -> str:
        return f"{self.concern} {self.kind} {self.created_at:%Y-%m-%d %H:%M}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise ValueError("Concern entries are never changed: add an amendment instead")
        super().save(*args, **kwargs)


class Decision(models.Model):
    """A decision by the DSL, with reasons — including decisions not to refer (REP-18, REP-21)."""

    class Kind(models.TextChoices):
        NO_FURTHER_ACTION = "nfa", "No further action"
        MONITOR = "monitor", "Monitor in school"
        EARLY_HELP = "early_help", "Early help"
        SOCIAL_CARE = "social_care", "Refer to children's social care"
        POLICE = "police", "Inform the police"
        LADO = "lado", "Refer to the LADO"
        CEOP = "ceop", "Report to CEOP"
        IWF = "iwf", "Report to the IWF"
        PREVENT = "prevent", "Prevent / Channel referral"
        BEHAVIOUR = "behaviour", "Behaviour policy, with support"
        OTHER = "other", "Other"

    concern = models.ForeignKey(Concern, on_delete=models.PROTECT, related_name="decisions")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    reasons = models.TextField()
    sanction = models.CharField(max_length=300, blank=True)
    support = models.CharField(max_length=300, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["decided_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.concern}"


class Referral(models.Model):
    """A referral or report to an outside agency, with its reference and acknowledgement chase."""

    class Agency(models.TextChoices):
        SOCIAL_CARE = "social_care", "Children's social care"
        POLICE = "police", "Police"
        LADO = "lado", "LADO"
        CEOP = "ceop", "CEOP"
        IWF = "iwf", "Internet Watch Foundation"
        PREVENT = "prevent", "Prevent / Channel"
        CSE_TEAM = "cse_team", "Child sexual exploitation team"
        ADVICE_SERVICE = "advice_service", "Education safeguarding service"
        OTHER = "other", "Other agency"

    class PoliceCall(models.TextChoices):
        EMERGENCY = "999", "999 — someone in immediate danger"
        NON_EMERGENCY = "101", "101 — not an emergency"
        ONLINE = "online", "Online report"

    concern = models.ForeignKey(Concern, on_delete=models.PROTECT, related_name="referrals")
    decision = models.ForeignKey(Decision, null=True, blank=True, on_delete=models.PROTECT, related_name="referrals")
    agency = models.CharField(max_length=20, choices=Agency.choices)
    contact_name = models.CharField(max_length=200, blank=True)
    reference = models.CharField(max_length=100, blank=True)
    police_call = models.CharField(max_length=10, choices=PoliceCall.choices, blank=True)
    # IWF reports carry a web address only, never an image; kept as inert text (INC-IIOC-07).
    reported_address = models.TextField(blank=True)
    made_at = models.DateTimeField()
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    acknowledgement_due_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["made_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_agency_display()} for {self.concern}"


class Consultation(models.Model):
    """Advice sought from the police or the education safeguarding service (REP-15, REP-17)."""

    class With(models.TextChoices):
        POLICE = "police", "Police"
        ADVICE_SERVICE = "advice_service", "Education safeguarding service"
        OTHER = "other", "Other agency"

    concern = models.ForeignKey(Concern, on_delete=models.PROTECT, related_name="consultations")
    consulted = models.CharField(max_length=20, choices=With.choices)
    contact_name = models.CharField(max_length=200, blank=True)
    question = models.TextField()
    advice = models.TextField()
    consulted_at = models.DateTimeField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["consulted_at", "id"]

    def __str__(self) -> str:
        return f"Advice from {self.get_consulted_display()} on {self.concern}"


class ParentDecision(models.Model):
    """Whether, when and how parents/carers are told — or why not (REP-19, INC-YPSI-07)."""

    class Choice(models.TextChoices):
        TELL = "tell", "Tell them"
        TOLD = "told", "They have been told"
        NOT_YET = "not_yet", "Not yet — decide later"
        DO_NOT_TELL = "do_not_tell", "Do not tell: it could put a child at risk or harm an investigation"

    concern = models.ForeignKey(Concern, on_delete=models.PROTECT, related_name="parent_decisions")
    choice = models.CharField(max_length=15, choices=Choice.choices)
    reason = models.TextField()
    what_was_said = models.TextField(blank=True)
    told_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["decided_at", "id"]

    def __str__(self) -> str:
        return f"Parents: {self.get_choice_display()} ({self.concern})"


class ChecklistStep(models.Model):
    """One step of the category's procedure, copied onto the concern when it is opened (INC-*)."""

    class State(models.TextChoices):
        OPEN = "open", "To do"
        DONE = "done", "Done"
        NOT_APPLICABLE = "n/a", "Not applicable"

    concern = models.ForeignKey(Concern, on_delete=models.PROTECT, related_name="steps")
    procedure = models.CharField(max_length=40)
    key = models.CharField(max_length=60)
    position = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=300)
    guidance = models.TextField(blank=True)
    # A question whose "yes" means refer now (immediate-referral criteria).
    is_question = models.BooleanField(default=False)
    answer = models.BooleanField(null=True, blank=True)
    state = models.CharField(max_length=5, choices=State.choices, default=State.OPEN)
    note = models.TextField(blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["concern", "procedure", "key"], name="one_step_per_key")]

    def __str__(self) -> str:
        return self.text


class SchoolProcedureStep(models.Model):
    """A school's own wording for a default step, or an extra step, per category — no code needed."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="procedure_steps")
    category = models.CharField(max_length=40, choices=CATEGORY_CHOICES)
    key = models.CharField(max_length=60)
    position = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=300)
    guidance = models.TextField(blank=True)
    is_question = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["category", "position"]
        constraints = [
            models.UniqueConstraint(fields=["school", "category", "key"], name="one_school_step_per_key"),
        ]

    def __str__(self) -> str:
        return f"{self.school}: {self.category} / {self.key}"


class Attachment(models.Model):
    """A file on a concern, checked by ``harbour.core.uploads`` (INC-YPSI-12..13, REP-08).

    Never deleted. A file the concern's category would no longer accept is *withheld* (nobody can
    open it) and may then be *destroyed*: the bytes go, and so does the name, and what stays is the
    record that it existed — type, size, fingerprints, who added it, who destroyed it, when and why.
    Any other file can only be *hidden* (the DSL team alone still opens it) or *superseded* by a new
    version, each with a reason.
    """

    concern = models.ForeignKey(Concern, on_delete=models.PROTECT, related_name="attachments")
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100, help_text="Proved by parsing the file, not from its name.")
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    file = models.FileField(upload_to="concerns/%Y/%m/", max_length=300)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    # INC-YPSI-13: made unreachable at once when the concern becomes a sexual-imagery concern.
    withheld_at = models.DateTimeField(null=True, blank=True)
    withheld_reason = models.CharField(max_length=300, blank=True)
    destroyed_at = models.DateTimeField(null=True, blank=True)
    destroyed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    destroyed_reason = models.CharField(max_length=300, blank=True)
    # The SHA-256 of the name it had; the name itself is cleared on destruction (it may describe it).
    name_sha256 = models.CharField(max_length=64, blank=True)
    # REP-08: what the team may do to a file it may not destroy.
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    hidden_reason = models.CharField(max_length=300, blank=True)
    superseded_by = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    superseded_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name or f"File {self.pk}"

    @property
    def state(self) -> str:
        """available, superseded, hidden, withheld or destroyed: the strongest applies."""
        if self.destroyed_at is not None:
            return "destroyed"
        if self.withheld_at is not None:
            return "withheld"
        if self.hidden_at is not None:
            return "hidden"
        return "superseded" if self.superseded_by_id is not None else "available"


class DocumentPermit(models.Model):
    """INC-CSAE-12: on an abuse or exploitation concern files are off until the DSL switches text
    documents on, for that concern only, with a reason. Switching off again is a new fact, not an
    edit: ``withdrawn_*`` is filled in, the row stays."""

    concern = models.ForeignKey(Concern, on_delete=models.PROTECT, related_name="document_permits")
    category = models.CharField(max_length=40, help_text="The category it was granted under.")
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["granted_at", "id"]

    def __str__(self) -> str:
        return f"Documents switched on for {self.concern_id}"


class FollowUp(models.Model):
    """Work that must be chased until done: debriefs, referral acknowledgements, copy deletion."""

    class Kind(models.TextChoices):
        DEBRIEF = "debrief", "Leadership debrief"
        REFERRAL_CHASE = "referral_chase", "Chase referral acknowledgement"
        COPY_DELETION = "copy_deletion", "Confirm copies deleted"
        FILE_DESTRUCTION = "file_destruction", "Destroy withheld file"

    concern = models.ForeignKey(Concern, on_delete=models.PROTECT, related_name="follow_ups")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    referral = models.ForeignKey(Referral, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    due_at = models.DateTimeField()
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.TextField(blank=True)
    not_needed_reason = models.TextField(blank=True)
    last_chased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.concern}"


class Notification(models.Model):
    """An in-app alert. Its text never names a child or describes a concern: only a link (REP-20)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="notifications")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="notifications")
    concern = models.ForeignKey(Concern, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    text = models.CharField(max_length=200)
    # Where the notification leads when it is not about a concern (a policy to acknowledge, a
    # filtering check due): a path inside Harbour, behind sign-in like every page.
    link = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.text


class Agency(models.Model):
    """The school's directory of outside agencies and contacts, with a last-verified date (REP-23)."""

    class Kind(models.TextChoices):
        POLICE = "police", "Police"
        SOCIAL_CARE = "social_care", "Children's social care"
        LADO = "lado", "LADO"
        ADVICE_SERVICE = "advice_service", "Education safeguarding service"
        CEOP = "ceop", "CEOP"
        IWF = "iwf", "Internet Watch Foundation"
        CSE_TEAM = "cse_team", "Child sexual exploitation team"
        FILTERING = "filtering", "Internet or filtering provider"
        EXAM_BODY = "exam_body", "Exam body"
        HELPLINE = "helpline", "Helpline or national service"
        OTHER = "other", "Other"

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="agencies")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    name = models.CharField(max_length=200)
    phone = models.CharField(max_length=60, blank=True)
    email = models.EmailField(blank=True)
    website = models.CharField(max_length=300, blank=True)
    notes = models.TextField(blank=True)
    for_staff = models.BooleanField(default=True)
    for_learners = models.BooleanField(default=False)
    for_parents = models.BooleanField(default=False)
    last_verified_on = models.DateField(null=True, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.name


class ChronologyPin(models.Model):
    """A key event the DSL pinned on a learner's chronology."""

    learner = models.ForeignKey(Learner, on_delete=models.PROTECT, related_name="chronology_pins")
    entry = models.ForeignKey(ConcernEntry, on_delete=models.PROTECT, related_name="pins")
    pinned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    pinned_at = models.DateTimeField(auto_now_add=True)
    unpinned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "entry"], condition=Q(unpinned_at__isnull=True), name="one_live_pin_per_entry"
            ),
        ]

    def __str__(self) -> str:
        return f"Pin on {self.learner}"


class ImageViewing(models.Model):
    """The DSL's record that they viewed a suspected image, and why (INC-YPSI-14).

    Viewing is a last resort: only the DSL records it, only for one of the two reasons the policy
    allows, and always with their own account of why. Never changed or deleted (REP-08).
    """

    class Justification(models.TextChoices):
        NO_OTHER_OPTION = "no_other_option", "There was no other possible option"
        CLEAR_NEED = "clear_need", "There was a clear need or reason to view it"

    concern = models.ForeignKey(Concern, on_delete=models.PROTECT, related_name="image_viewings")
    viewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    viewed_at = models.DateTimeField()
    justification = models.CharField(max_length=20, choices=Justification.choices)
    explanation = models.TextField(help_text="Why viewing was unavoidable or needed, in the DSL's own words.")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["viewed_at", "id"]

    def __str__(self) -> str:
        return f"Image viewing on {self.concern}"


class PreservationRequest(models.Model):
    """The police asked the school to keep a copy of material: who asked, and where it is held
    OUTSIDE Harbour (INC-IIOC-06). Harbour never holds the copy itself."""

    concern = models.ForeignKey(Concern, on_delete=models.PROTECT, related_name="preservation_requests")
    officer = models.CharField(max_length=200, help_text="The officer who asked, with rank or collar number.")
    police_reference = models.CharField(max_length=100)
    custodian = models.CharField(max_length=200, help_text="Who holds the copy.")
    location = models.CharField(max_length=300, help_text="Where it is held, outside Harbour.")
    keep_until = models.DateField(null=True, blank=True, help_text="Empty: until the police say otherwise.")
    requested_at = models.DateTimeField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["requested_at", "id"]

    def __str__(self) -> str:
        return f"Police preservation request on {self.concern}"


class TechnicianTask(models.Model):
    """Urgent work for the technician that carries no detail of the concern (INC-YPSI-05).

    The technician sees only what to do in general terms; which device, account or material is
    told in person by the DSL. Completion is confirmed without anyone opening or copying anything.
    """

    class Kind(models.TextChoices):
        BLOCK_AND_ISOLATE = "block_isolate", "Block and isolate material on school systems"

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="technician_tasks")
    concern = models.ForeignKey(Concern, on_delete=models.PROTECT, related_name="technician_tasks")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.BLOCK_AND_ISOLATE)
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    done_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.pk})"


class ConcernLink(models.Model):
    """Two concerns that belong together, e.g. cyberbullying escalated as abuse between children
    (INC-CYB-04). The link is kept both ways: each record shows the other."""

    class Kind(models.TextChoices):
        ESCALATED_AS_ABUSE = "escalated_as_abuse", "Escalated as abuse between children"

    from_concern = models.ForeignKey(Concern, on_delete=models.PROTECT, related_name="links_out")
    to_concern = models.ForeignKey(Concern, on_delete=models.PROTECT, related_name="links_in")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    reason = models.TextField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["from_concern", "to_concern", "kind"], name="one_link_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.from_concern} -> {self.to_concern}"
