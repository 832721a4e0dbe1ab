"""Shared by policy_export and policy_import: finding the school and the configuration to compare."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError

from harbour.policy import selectors
from harbour.policy.models import PolicyVersion
from harbour.policy.rules.config_io import exportable
from harbour.schools.models import School

BAD_INPUT = 2  # exit status for refused input (general brief)


def school_by_slug(slug: str) -> School:
    # Operator commands run without a membership; the slug alone names the school.
    school = School.objects.filter(slug=slug).first()
    if school is None:
        raise CommandError(f"No school has the slug '{slug}'.", returncode=BAD_INPUT)
    return school


def config_of(school: School, version: int | None = None) -> dict[str, Any]:
    """The working configuration (open draft, else published), or one numbered version's."""
    if version is None:
        config = selectors.working_config(school=school)
    else:
        found = PolicyVersion.objects.filter(school=school, number=version).first()
        if found is None:
            raise CommandError(f"{school.name} has no policy version {version}.", returncode=BAD_INPUT)
        config = found.config
    return exportable(config, school_name=school.name)
