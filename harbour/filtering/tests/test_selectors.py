"""The access doors: handlers see breaches, reporters their receipts, others and other schools 404."""

from __future__ import annotations

import pytest
from django.http import Http404

from harbour.audit.models import AuditEvent
from harbour.filtering import selectors, selectors_breaches, services
from harbour.filtering.tests.helpers import check, report

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona", ["dsl", "deputy", "head", "technician"])
def test_handlers_see_the_breach_and_opening_it_is_audited(world, persona):
    breach = report(world.teacher)
    actor = world.persona(persona)
    assert selectors_breaches.breach_get(actor=actor, pk=breach.pk) == breach
    assert AuditEvent.objects.filter(action="filtering.breach_view", actor_email=actor.user.email).exists()


@pytest.mark.parametrize("persona", ["teacher", "teacher2", "slt", "governor", "office", "support", "outsider"])
def test_others_get_404_on_the_breach(world, persona):
    breach = report(world.teacher)
    with pytest.raises(Http404):
        selectors_breaches.breach_get(actor=world.persona(persona), pk=breach.pk)


def test_reporter_gets_a_receipt_and_teacher2_does_not(world):
    breach = report(world.teacher)
    receipt = selectors_breaches.receipt_get(actor=world.teacher, pk=breach.pk)
    assert receipt.reference == breach.reference
    assert receipt.status == "Received"
    assert not hasattr(receipt, "provider_ticket"), "a receipt carries nothing the handlers recorded"
    with pytest.raises(Http404):
        selectors_breaches.receipt_get(actor=world.teacher2, pk=breach.pk)


def test_outsider_cannot_read_alphas_register(world):
    check(world.technician)
    assert selectors.check_list(actor=world.outsider).count() == 0
    with pytest.raises(Http404):
        selectors.check_get(actor=world.outsider, pk=selectors.check_list(actor=world.dsl).get().pk)


def test_register_status_prompts_when_nothing_is_named(world):
    """FLT-01: St James names no provider, so the register prompts instead of showing gaps."""
    status = selectors.register_status(school=world.school)
    assert "Filtering provider: not recorded yet." in status.prompts
    assert status.check.due_now
    assert status.review.due_now
    services.arrangement_record(actor=world.dsl, filtering_provider="LightSpeed", broadband_provider="KPSN")
    assert "Filtering provider: not recorded yet." not in selectors.register_status(school=world.school).prompts


def test_check_frequency_comes_from_register_then_policy_then_default(world):
    """FLT-03: the frequency the school sets."""
    assert selectors.register_status(school=world.school).check_frequency_days == 30
    world.school.policy_settings = {"filtering_check_frequency": "P2W"}
    world.school.save()
    assert selectors.register_status(school=world.school).check_frequency_days == 14
    services.arrangement_record(actor=world.dsl, check_frequency_days=7)
    assert selectors.register_status(school=world.school).check_frequency_days == 7


def test_social_media_answer_from_user_groups(world):
    """FLT-09."""
    status = selectors.register_status(school=world.school)
    assert status.social_media("learners").startswith("Not recorded yet")
    services.user_group_record(
        actor=world.dsl, name="KS1", audience="learners", filtering_profile="strict", social_media="blocked"
    )
    services.user_group_record(
        actor=world.dsl, name="KS2", audience="learners", filtering_profile="edu", social_media="limited"
    )
    answer = selectors.register_status(school=world.school).social_media("learners")
    assert answer.startswith("It depends")
    assert "KS1: blocked" in answer


def test_notice_coverage_counts_staff_readers(world):
    """FLT-07."""
    notice = services.notice_publish(actor=world.dsl)
    services.notice_acknowledge(actor=world.teacher)
    services.notice_acknowledge(actor=world.governor)  # governors read it too, but are not staff
    coverage = selectors.notice_coverage(school=world.school, notice=notice)
    assert coverage.staff_read == 1
    assert coverage.staff_total == 10
