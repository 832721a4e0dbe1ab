"""People who sign in, the role each holds in each school, invitations and API tokens (ROL-01)."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils import timezone

from harbour.accounts.roles import TRUST_ROLES, Role
from harbour.schools.models import Organisation, School


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra: object) -> User:
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **extra)


class User(AbstractUser):
    """A login. Signs in with an email address; holds memberships in one or more schools.

    Users are never deleted: a leaver is deactivated so every record they made keeps its author.
    """

    username = None
    email = models.EmailField("email address", unique=True)
    full_name = models.CharField(max_length=200, blank=True)
    last_seen_at = models.DateTimeField(null=True, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.full_name or self.email


class Membership(models.Model):
    """The role a user holds in one school, with dates (ROL-01).

    One membership per user and school. For a trust safeguarding lead the access door builds an
    unsaved membership for each school of the trust (see ``TrustRole``), so code downstream can
    always ask ``actor.school`` and ``actor.role``.
    """

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="memberships")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(max_length=40, choices=Role.choices)
    job_title = models.CharField(max_length=120, blank=True)
    is_named_online_safety_governor = models.BooleanField(
        default=False, help_text="Governor with lead responsibility for online safety (GOV-18)."
    )
    is_chair_of_governors = models.BooleanField(
        default=False, help_text="Receives allegations about the headteacher (INC-STAFF-05)."
    )
    is_active = models.BooleanField(default=True)
    started_on = models.DateField(default=timezone.localdate)
    ended_on = models.DateField(null=True, blank=True)
    ended_reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["school__name", "user__email"]
        constraints = [
            models.UniqueConstraint(fields=["user", "school"], name="one_membership_per_user_and_school"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} at {self.school}"

    @property
    def is_trust_level(self) -> bool:
        return self.role in TRUST_ROLES


class TrustRole(models.Model):
    """A role held across every school of a trust or local authority (read-only oversight): the
    trust safeguarding lead, or the trust auditor who reads every school's whole audit trail."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="trust_roles")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="trust_roles")
    role = models.CharField(
        max_length=40,
        choices=[(role.value, role.label) for role in Role if role in TRUST_ROLES],
        default=Role.TRUST_SAFEGUARDING_LEAD,
    )
    is_active = models.BooleanField(default=True)
    started_on = models.DateField(default=timezone.localdate)
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="one_trust_role_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} for {self.organisation}"


def _hash_secret(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class Invitation(models.Model):
    """An emailed invitation to join a school in a role. Only a hash of its link is stored."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(max_length=40, choices=Role.choices)
    job_title = models.CharField(max_length=120, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation for {self.email} to {self.school}"

    @staticmethod
    def new_token() -> tuple[str, str]:
        raw = secrets.token_urlsafe(32)
        return raw, _hash_secret(raw)

    @staticmethod
    def hash_token(raw: str) -> str:
        return _hash_secret(raw)

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > timezone.now()


class ApiToken(models.Model):
    """A personal, revocable API token that acts for its user in one school.

    The secret is shown once, on creation; only its SHA-256 hash is kept.
    """

    PREFIX = "hbr_"

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="api_tokens")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="api_tokens")
    name = models.CharField(max_length=100)
    key_prefix = models.CharField(max_length=12, help_text="First characters, to recognise the token.")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"

    @classmethod
    def new_key(cls) -> tuple[str, str, str]:
        raw = cls.PREFIX + secrets.token_urlsafe(30)
        return raw, raw[:12], _hash_secret(raw)

    @staticmethod
    def hash_key(raw: str) -> str:
        return _hash_secret(raw)

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class MfaEnrolmentLink(models.Model):
    """A one-time emailed link that lets its holder set up a first second factor (issue #12.5).

    A password alone never allows setting up an authenticator: whoever knows a newly promoted
    DSL's password could otherwise enrol their own phone. Only a hash of the link is stored; a
    link works once, expires, and a newer link replaces any older one.
    """

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="mfa_enrolment_links")
    school = models.ForeignKey(School, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    reason = models.CharField(max_length=40)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Two-step sign-in set-up link for {self.user}"

    @staticmethod
    def new_token() -> tuple[str, str]:
        raw = secrets.token_urlsafe(32)
        return raw, _hash_secret(raw)

    @staticmethod
    def hash_token(raw: str) -> str:
        return _hash_secret(raw)

    @property
    def is_open(self) -> bool:
        return self.used_at is None and self.revoked_at is None and self.expires_at > timezone.now()
