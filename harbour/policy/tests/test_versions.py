"""Policy versions: drafts, adoption, the approval workflow and immutability (GOV-02, GOV-05, GOV-19)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from harbour.audit.models import AuditEvent
from harbour.policy import selectors, services
from harbour.policy.models import PolicyVersion
from harbour.policy.tests.helpers import base_config

pytestmark = pytest.mark.django_db

S = PolicyVersion.Status


def test_adopt_publishes_and_copies_into_school_settings(world):
    """GOV-05, GOV-24: an adopted version is published and becomes the config in force."""
    version = services.policy_version_adopt(
        school=world.school, config=base_config(), note="Policy agreed in 2025", approved_on=date(2025, 9, 10)
    )
    assert version.status == S.PUBLISHED
    assert version.number == 1
    world.school.refresh_from_db()
    assert world.school.policy_settings["dsl_name"] == "Dee Lead"
    assert selectors.published_config(school=world.school)["kcsie_edition"] == 2024
    assert list(version.transitions.values_list("to_status", flat=True)) == [S.PUBLISHED]
    assert AuditEvent.objects.filter(action="policy_version.adopt", object_id=str(version.pk)).exists()


def test_adopt_again_supersedes_the_previous_version(world):
    """GOV-05: one version in force; the older one is kept, superseded."""
    first = services.policy_version_adopt(school=world.school, config=base_config(), note="", approved_on=None)
    services.policy_version_save_draft(actor=world.dsl, school=world.school, config=base_config(), note="")
    second = services.policy_version_adopt(
        school=world.school, config=base_config(dsl_name="B"), note="", approved_on=None
    )
    first.refresh_from_db()
    assert first.status == S.SUPERSEDED
    assert second.status == S.PUBLISHED
    assert second.number == 3
    assert selectors.published_config(school=world.school)["dsl_name"] == "B"


def test_published_config_falls_back_to_school_settings(world):
    """GOV-24: before any version exists the school's stored settings are the config in force."""
    world.school.policy_settings = {"dsl_name": "Old Lead"}
    world.school.save()
    assert selectors.published_config(school=world.school) == {"dsl_name": "Old Lead"}
    assert selectors.working_config(school=world.school) == {"dsl_name": "Old Lead"}


def test_save_draft_creates_then_replaces_the_open_draft(world):
    """GOV-05: one open draft per school; saving again replaces its config, audited."""
    services.policy_version_adopt(school=world.school, config=base_config(), note="", approved_on=date(2025, 9, 1))
    draft = services.policy_version_save_draft(
        actor=world.dsl, school=world.school, config=base_config(dsl_name="New Lead"), note="New DSL"
    )
    again = services.policy_version_save_draft(
        actor=world.dsl, school=world.school, config=base_config(dsl_name="Newer Lead"), note=""
    )
    assert draft.pk == again.pk
    assert again.number == 2
    assert again.status == S.DRAFT
    assert selectors.working_config(school=world.school)["dsl_name"] == "Newer Lead"
    assert selectors.published_config(school=world.school)["dsl_name"] == "Dee Lead"
    event = AuditEvent.objects.filter(action="policy_version.save_draft").get()
    assert event.changes["variables"][1] == ["dsl_name"]


def test_teacher_and_outsider_cannot_save_a_draft(world):
    """GOV-05: only those who manage this school's policy write drafts."""
    with pytest.raises(PermissionDenied):
        services.policy_version_save_draft(actor=world.teacher, school=world.school, config=base_config(), note="")
    with pytest.raises(PermissionDenied):
        services.policy_version_save_draft(actor=world.outsider, school=world.school, config=base_config(), note="")
    assert not PolicyVersion.objects.exists()


def test_published_version_is_immutable(world):
    """GOV-05: a published version's configuration can never change, at the model level too."""
    version = services.policy_version_adopt(school=world.school, config=base_config(), note="", approved_on=None)
    version.config = {**version.config, "dsl_name": "Someone Else"}
    with pytest.raises(ValidationError):
        version.save()
    version.refresh_from_db()
    assert version.config["dsl_name"] == "Dee Lead"
