"""The approval workflow of a policy version (GOV-02, GOV-05, GOV-19) and publication side effects."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from harbour.audit.models import AuditEvent
from harbour.concerns.models import Notification
from harbour.policy import selectors, services
from harbour.policy.models import Acknowledgement, PolicyVersion
from harbour.policy.tests.helpers import base_config

pytestmark = pytest.mark.django_db

S = PolicyVersion.Status


def _approved(world, **config):
    services.policy_version_adopt(school=world.school, config=base_config(), note="", approved_on=date(2025, 9, 1))
    draft = services.policy_version_save_draft(
        actor=world.dsl, school=world.school, config=base_config(**config), note="KCSIE update"
    )
    services.policy_version_start_consultation(actor=world.dsl, version=draft, note="Staff, learners, parents")
    services.policy_version_submit_for_approval(actor=world.dsl, version=draft, note="")
    return services.policy_version_record_approval(
        actor=world.head, version=draft, approved_on=timezone.localdate() - timedelta(days=1), reference="FGB 7"
    )


def test_workflow_order_is_enforced(world):
    """GOV-05: a draft cannot skip consultation and go straight to the governors or be published."""
    draft = services.policy_version_save_draft(actor=world.dsl, school=world.school, config=base_config(), note="")
    with pytest.raises(ValidationError):
        services.policy_version_submit_for_approval(actor=world.dsl, version=draft, note="")
    with pytest.raises(ValidationError):
        services.policy_version_publish(actor=world.dsl, version=draft)
    with pytest.raises(ValidationError):
        services.policy_version_record_approval(
            actor=world.dsl, version=draft, approved_on=timezone.localdate(), reference="x"
        )
    draft.refresh_from_db()
    assert draft.status == S.DRAFT


def test_full_workflow_keeps_every_step(world):
    """GOV-05: draft → consultation → specialist advice → awaiting approval → approved → published, all recorded."""
    draft = services.policy_version_save_draft(actor=world.dsl, school=world.school, config=base_config(), note="")
    services.policy_version_start_consultation(actor=world.dsl, version=draft, note="Staff and parents")
    services.policy_version_seek_specialist_advice(actor=world.dsl, version=draft, note="Education safeguarding")
    services.policy_version_submit_for_approval(actor=world.dsl, version=draft, note="")
    services.policy_version_record_approval(
        actor=world.head, version=draft, approved_on=date(2026, 10, 1), reference="FGB 2026-10 item 7"
    )
    published = services.policy_version_publish(actor=world.dsl, version=draft, note="Go")
    steps = list(published.transitions.values_list("to_status", flat=True))
    assert steps == [S.DRAFT, S.CONSULTATION, S.SPECIALIST_ADVICE, S.AWAITING_APPROVAL, S.APPROVED, S.PUBLISHED]
    approval = published.transitions.get(to_status=S.APPROVED)
    assert approval.reference == "FGB 2026-10 item 7"
    assert approval.on_date == date(2026, 10, 1)
    assert published.approved_on == date(2026, 10, 1)
    actions = set(AuditEvent.objects.filter(object_id=str(published.pk)).values_list("action", flat=True))
    assert {"policy_version.consultation", "policy_version.record_approval", "policy_version.publish"} <= actions


def test_approval_writes_dates_into_the_config(world):
    """GOV-02, GOV-03: approval sets the agreed date and, if none given, next review = approval + interval."""
    version = _approved(world, next_review_date=None, ratification_status="agreed_pending_ratification")
    approved = timezone.localdate() - timedelta(days=1)
    assert version.config["date_agreed"] == approved.isoformat()  # day precision (#21 point 4)
    assert version.config["next_review_date"] == approved.replace(year=approved.year + 1).isoformat()
    assert version.config["ratification_status"] == "ratified"


def test_publish_refused_while_key_details_missing_lists_them(world):
    """GOV-19: publication is refused, naming every missing key detail, and nothing changes."""
    version = _approved(world, dsl_name=None, named_governors=[])
    with pytest.raises(services.MissingKeyDetails) as refused:
        services.policy_version_publish(actor=world.dsl, version=version)
    text = " ".join(refused.value.missing).lower()
    assert "safeguarding lead" in text or "dsl" in text
    assert "governor" in text
    version.refresh_from_db()
    assert version.status == S.APPROVED
    assert selectors.published_version(school=world.school).number == 1
    assert not Acknowledgement.objects.exists()


def test_publish_supersedes_copies_and_asks_staff(world, django_capture_on_commit_callbacks):
    """GOV-05, ROL-09: the old version is superseded, the school's settings updated, staff asked."""
    version = _approved(world, kcsie_edition=2025)
    with django_capture_on_commit_callbacks(execute=True):
        services.policy_version_publish(actor=world.dsl, version=version)
    assert PolicyVersion.objects.get(school=world.school, number=1).status == S.SUPERSEDED
    world.school.refresh_from_db()
    assert world.school.policy_settings["kcsie_edition"] == 2025
    asked = set(Acknowledgement.objects.filter(version=version).values_list("user__email", flat=True))
    assert "teacher@alpha.test" in asked
    assert "dsl@alpha.test" in asked
    assert "governor@alpha.test" not in asked
    assert "dsl@beta.test" not in asked
    note = Notification.objects.filter(user=world.teacher.user).get()
    assert "policy" in note.text.lower()
    teacher_mail = [m for m in mail.outbox if m.to == ["teacher@alpha.test"]]
    assert len(teacher_mail) == 1
    assert "/s/alpha/policy/manage/acknowledge/" in teacher_mail[0].body


def test_publish_can_include_governors(world):
    """ROL-09: the school chooses other groups too, e.g. governors."""
    version = _approved(world)
    services.policy_version_publish(actor=world.dsl, version=version, acknowledgement_roles=["teacher", "governor"])
    asked = set(Acknowledgement.objects.filter(version=version).values_list("user__email", flat=True))
    assert asked == {"teacher@alpha.test", "teacher2@alpha.test", "governor@alpha.test"}


def test_editing_with_governors_is_refused_until_back_to_draft(world):
    """GOV-05: once with the governing body, the text is fixed; going back to draft needs a reason."""
    services.policy_version_adopt(school=world.school, config=base_config(), note="", approved_on=None)
    draft = services.policy_version_save_draft(actor=world.dsl, school=world.school, config=base_config(), note="")
    services.policy_version_start_consultation(actor=world.dsl, version=draft)
    services.policy_version_submit_for_approval(actor=world.dsl, version=draft)
    with pytest.raises(ValidationError):
        services.policy_version_save_draft(
            actor=world.dsl, school=world.school, config=base_config(dsl_name="X"), note=""
        )
    with pytest.raises(ValidationError):
        services.policy_version_return_to_draft(actor=world.dsl, version=draft, note="  ")
    services.policy_version_return_to_draft(actor=world.dsl, version=draft, note="Governors asked for a change")
    again = services.policy_version_save_draft(
        actor=world.dsl, school=world.school, config=base_config(dsl_name="X"), note=""
    )
    assert again.pk == draft.pk
    assert again.config["dsl_name"] == "X"


def test_teacher_and_governor_cannot_move_versions(world):
    """GOV-05: only MANAGE_POLICY moves a version; governors read but never write."""
    draft = services.policy_version_save_draft(actor=world.dsl, school=world.school, config=base_config(), note="")
    for persona in ("teacher", "governor", "deputy", "outsider"):
        with pytest.raises(PermissionDenied):
            services.policy_version_start_consultation(actor=world.persona(persona), version=draft)


def test_invalid_config_is_refused_and_nothing_saved(world):
    """GOV-24: a draft with a wrong value is refused with its path; nothing is written."""
    with pytest.raises(ValidationError) as refused:
        services.policy_version_save_draft(
            actor=world.dsl, school=world.school, config=base_config(learner_phone_rule="banned"), note=""
        )
    assert "learner" in " ".join(refused.value.messages)
    assert not PolicyVersion.objects.exists()


def test_approval_date_in_future_is_refused(world):
    """GOV-02: an approval cannot be dated in the future."""
    services.policy_version_adopt(school=world.school, config=base_config(), note="", approved_on=None)
    draft = services.policy_version_save_draft(actor=world.dsl, school=world.school, config=base_config(), note="")
    services.policy_version_start_consultation(actor=world.dsl, version=draft)
    services.policy_version_submit_for_approval(actor=world.dsl, version=draft)
    with pytest.raises(ValidationError):
        services.policy_version_record_approval(
            actor=world.dsl, version=draft, approved_on=timezone.localdate() + timedelta(days=3), reference="x"
        )
    draft.refresh_from_db()
    assert draft.status == S.AWAITING_APPROVAL


def test_published_version_takes_effect_now_not_on_the_copied_date(world):
    """GOV-24: a new version does not inherit the old version's effective date."""
    version = _approved(world, effective_from="2020-09-01")
    services.policy_version_publish(actor=world.dsl, version=version)
    version.refresh_from_db()
    assert version.effective_from == timezone.localdate()
    assert version.config["effective_from"] == timezone.localdate().isoformat()
