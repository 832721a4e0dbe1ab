"""Trusts, local authorities and their schools: the tenancy root of every record."""

from __future__ import annotations

from django.db import models


class Organisation(models.Model):
    """A multi-academy trust or local authority that runs several schools."""

    class Kind(models.TextChoices):
        TRUST = "trust", "Multi-academy trust"
        LOCAL_AUTHORITY = "local_authority", "Local authority"
        STANDALONE = "standalone", "Single school"

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.TRUST)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class School(models.Model):
    """One school. Its slug is in every URL that shows its records (``/s/<slug>/``).

    ``policy_settings`` holds the per-school policy variables (GOV-24) until the policy app
    gives them versioned, dated storage of their own.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="schools")
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    urn = models.CharField("URN", max_length=20, blank=True)
    phase = models.CharField(max_length=40, blank=True, default="primary")
    policy_settings = models.JSONField(default=dict, blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def head_title(self) -> str:
        """What this school calls its head (policy variable ``head_role_title``)."""
        return self.policy_settings.get("head_role_title", "Headteacher")
