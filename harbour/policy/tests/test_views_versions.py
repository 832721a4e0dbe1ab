"""Policy management pages: who gets in, the workflow buttons, the diff, registers and exports
(GOV-03..GOV-08, GOV-19, GOV-22, ROL-09)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from harbour.audit.models import AuditEvent
from harbour.policy import acknowledgements, services, services_registers
from harbour.policy.models import Acknowledgement, GuidanceEdition, PolicyException, PolicyVersion
from harbour.policy.tests.helpers import base_config

pytestmark = pytest.mark.django_db
S = PolicyVersion.Status


@pytest.fixture
def versions(world):
    v1 = services.policy_version_adopt(school=world.school, config=base_config(), note="", approved_on=date(2025, 9, 1))
    v1.acknowledgement_roles = acknowledgements.roles_for_groups(["staff"])
    v1.save(update_fields=["acknowledgement_roles"])
    acknowledgements.acknowledgement_request_all(actor=None, version=v1)
    v2 = services.policy_version_save_draft(
        actor=world.dsl,
        school=world.school,
        config=base_config(kcsie_edition=2025, dsl_name="Nova Lead"),
        note="KCSIE 2025 and a new DSL",
    )
    return v1, v2


def url(name, world, **kwargs):
    return reverse(f"policy:{name}", kwargs={"school_slug": world.school.slug, **kwargs})


@pytest.mark.parametrize("persona", ["dsl", "head", "slt", "teacher", "governor", "admin"])
def test_records_pages_open_to_those_with_records_access(world, client_for, versions, persona):
    """GOV-05: versions, reviews and registers are readable with VIEW_POLICY_RECORDS (governors too)."""
    client = client_for(persona)
    v1, v2 = versions
    for name, kwargs in [
        ("home", {}),
        ("version_list", {}),
        ("version_detail", {"pk": v2.pk}),
        ("version_diff", {}),
        ("guidance", {}),
        ("linked", {}),
        ("reviews", {}),
        ("version_acks", {"pk": v1.pk}),
    ]:
        assert client.get(url(name, world, **kwargs)).status_code == 200, name


def test_outsider_gets_404_everywhere(world, client_for, versions):
    """Tenancy: another school's DSL never sees this school's policy records."""
    client = client_for("outsider")
    v1, v2 = versions
    for name, kwargs in [
        ("home", {}),
        ("version_detail", {"pk": v2.pk}),
        ("version_acks", {"pk": v1.pk}),
        ("exceptions", {}),
        ("acknowledge", {}),
    ]:
        assert client.get(url(name, world, **kwargs)).status_code == 404, name
    # Their own school's address with this school's version id: not found either.
    other = reverse("policy:version_detail", kwargs={"school_slug": "beta", "pk": v2.pk})
    assert client.get(other).status_code == 404


def test_teacher_cannot_manage(world, client_for, versions):
    """GOV-05: workflow buttons are 404 for a teacher and change nothing."""
    _, v2 = versions
    client = client_for("teacher")
    assert client.post(url("version_consult", world, pk=v2.pk), {"note": "x"}).status_code == 404
    assert client.post(url("version_new", world)).status_code == 404
    assert client.post(url("guidance", world), {"key": "kcsie", "title": "K", "edition_year": 2026}).status_code == 404
    v2.refresh_from_db()
    assert v2.status == S.DRAFT
    assert not GuidanceEdition.objects.exists()
    page = client.get(url("version_detail", world, pk=v2.pk)).content.decode()
    assert "Start consultation" not in page


def test_governor_reads_but_cannot_move_a_version(world, client_for, versions):
    """GOV-05: governors see versions; they are read-only in Harbour."""
    _, v2 = versions
    assert client_for("governor").post(url("version_consult", world, pk=v2.pk)).status_code == 404


def test_workflow_through_the_pages(world, client_for, versions):
    """GOV-05, GOV-19: the DSL moves version 2 through every step and publishes it."""
    _, v2 = versions
    client = client_for("dsl")
    client.post(url("version_consult", world, pk=v2.pk), {"note": "Staff, learners, parents"})
    client.post(url("version_submit", world, pk=v2.pk), {"note": ""})
    approved_on = (timezone.localdate() - timedelta(days=1)).isoformat()
    client.post(url("version_approve", world, pk=v2.pk), {"approved_on": approved_on, "reference": "FGB 12"})
    response = client.post(url("version_publish", world, pk=v2.pk), {"groups": ["staff"]}, follow=True)
    assert response.status_code == 200
    v2.refresh_from_db()
    assert v2.status == S.PUBLISHED
    assert Acknowledgement.objects.filter(version=v2).count() == 10


def test_out_of_order_step_shows_a_clear_error(world, client_for, versions):
    """GOV-05: a step out of order is refused with a message, not a crash."""
    _, v2 = versions
    response = client_for("dsl").post(url("version_submit", world, pk=v2.pk), {"note": ""}, follow=True)
    assert "cannot move" in response.content.decode()
    v2.refresh_from_db()
    assert v2.status == S.DRAFT


def test_publish_refusal_lists_missing_details_on_the_page(world, client_for):
    """GOV-19: the refusal names what is missing."""
    services.policy_version_adopt(school=world.school, config=base_config(), note="", approved_on=None)
    draft = services.policy_version_save_draft(
        actor=world.dsl, school=world.school, config=base_config(dsl_name=None), note=""
    )
    services.policy_version_start_consultation(actor=world.dsl, version=draft)
    services.policy_version_submit_for_approval(actor=world.dsl, version=draft)
    services.policy_version_record_approval(
        actor=world.dsl, version=draft, approved_on=timezone.localdate(), reference="FGB"
    )
    response = client_for("dsl").post(url("version_publish", world, pk=draft.pk), {"groups": ["staff"]}, follow=True)
    page = response.content.decode()
    assert "cannot be published" in page
    assert "safeguarding lead" in page.lower()
    draft.refresh_from_db()
    assert draft.status == S.APPROVED


def test_diff_page_shows_config_and_text_changes(world, client_for, versions):
    """GOV-05: side-by-side diff of settings and rendered text."""
    v1, v2 = versions
    response = client_for("governor").get(url("version_diff", world) + f"?a={v1.number}&b={v2.number}")
    page = response.content.decode()
    assert response.status_code == 200
    assert "people.dsl.name" in page
    assert "<ins>Nova Lead</ins>" in page
    assert "<del>Dee Lead</del>" in page
    assert "identity.school.name" not in page  # unchanged settings are not listed


def test_diff_same_version_twice_is_a_form_error(world, client_for, versions):
    """GOV-05: a clear error, not a crash."""
    page = client_for("dsl").get(url("version_diff", world) + "?a=1&b=1").content.decode()
    assert "Choose two different versions" in page


def test_teacher_acknowledges_on_their_page(world, client_for, versions):
    """ROL-09: the teacher sees their request, confirms it; the report shows it."""
    v1, _ = versions
    client = client_for("teacher")
    page = client.get(url("acknowledge", world)).content.decode()
    assert "Version 1" in page
    assert "/s/alpha/policy/" in page
    mine = Acknowledgement.objects.get(version=v1, user=world.teacher.user)
    refused = client.post(url("acknowledge", world), {"acknowledgement": mine.pk})
    assert refused.status_code == 200
    assert "Tick the box" in refused.content.decode()
    client.post(url("acknowledge", world), {"acknowledgement": mine.pk, "confirm": "1"})
    mine.refresh_from_db()
    assert mine.acknowledged_at is not None


def test_teacher2_cannot_acknowledge_for_teacher(world, client_for, versions):
    """ROL-09: someone else's request is a 404 and stays unanswered."""
    v1, _ = versions
    theirs = Acknowledgement.objects.get(version=v1, user=world.teacher.user)
    response = client_for("teacher2").post(url("acknowledge", world), {"acknowledgement": theirs.pk, "confirm": "1"})
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.acknowledged_at is None


def test_ack_report_exports_and_chase(world, client_for, versions):
    """ROL-09: CSV and PDF exports (audited) and the chase button."""
    v1, _ = versions
    client = client_for("dsl")
    csv = client.get(url("version_acks_csv", world, pk=v1.pk))
    assert csv["Content-Type"].startswith("text/csv")
    assert "teacher@alpha.test" in csv.content.decode()
    pdf = client.get(url("version_acks_pdf", world, pk=v1.pk))
    assert pdf.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="policy_ack.export").count() == 2
    response = client.post(url("version_acks_chase", world, pk=v1.pk), follow=True)
    assert "Reminder sent to 10 people" in response.content.decode()
    assert client_for("teacher").post(url("version_acks_chase", world, pk=v1.pk)).status_code == 404


def test_exceptions_page_for_head_only(world, client_for):
    """GOV-22: the head records and sees exceptions; a teacher gets 404."""
    client = client_for("head")
    response = client.post(
        url("exceptions", world),
        {
            "form": "new",
            "new-kind": "learner_device",
            "new-person": "A learner",
            "new-granted_by": "Head",
            "new-starts_on": date.today().isoformat(),
            "new-ends_on": (date.today() + timedelta(days=10)).isoformat(),
        },
        follow=True,
    )
    assert "Exception recorded" in response.content.decode()
    assert "Ends soon" in response.content.decode()
    assert PolicyException.objects.count() == 1
    assert client_for("teacher").get(url("exceptions", world)).status_code == 404
    assert client_for("governor").get(url("exceptions", world)).status_code == 404


def test_bad_exception_input_shows_errors_and_saves_nothing(world, client_for):
    """GOV-22: end before start is a clear error."""
    response = client_for("dsl").post(
        url("exceptions", world),
        {
            "form": "new",
            "new-kind": "learner_device",
            "new-person": "A",
            "new-granted_by": "B",
            "new-starts_on": "2026-05-01",
            "new-ends_on": "2026-04-01",
        },
    )
    assert "on or after the start date" in response.content.decode()
    assert not PolicyException.objects.exists()


def test_trigger_and_guidance_through_the_pages(world, client_for, versions):
    """GOV-04, GOV-07: the technician records a trigger; the DSL enters a newer edition and v1 is flagged."""
    tech = client_for("technician")
    tech.post(
        url("reviews", world), {"form": "trigger", "trigger-kind": "infrastructure", "trigger-description": "New wifi"}
    )
    assert world.school.review_tasks.filter(kind="out_of_cycle").count() == 1
    dsl = client_for("dsl")
    dsl.post(url("guidance", world), {"key": "kcsie", "title": "KCSIE", "edition_year": 2026})
    v1, v2 = versions
    assert v1.guidance_flags.count() == 1
    assert v2.guidance_flags.count() == 1
    page = dsl.get(url("version_detail", world, pk=v1.pk)).content.decode()
    assert "Due for review" in page


def test_linked_policy_edit(world, client_for):
    """GOV-08: add then edit a linked policy."""
    client = client_for("dsl")
    client.post(url("linked", world), {"name": "Behaviour", "owner": "Head", "is_active": "on"})
    linked = world.school.linked_policies.get()
    client.post(url("linked", world), {"linked": linked.pk, "name": "Behaviour", "version": "v3", "is_active": "on"})
    linked.refresh_from_db()
    assert linked.version == "v3"


def test_demo_loader(world):
    """GOV-05, GOV-07, ROL-09: the demo leaves v1 published and flagged, v2 in consultation, acks half in."""
    from harbour.policy.demo import load_demo

    config = base_config(kcsie_edition=2020)
    v1 = load_demo(world.school, config)
    assert v1.status == S.PUBLISHED
    v2 = PolicyVersion.objects.get(school=world.school, number=2)
    assert v2.status == S.CONSULTATION
    assert v1.guidance_flags.filter(edition__key="kcsie").exists()
    acks = Acknowledgement.objects.filter(version=v1)
    assert 0 < acks.filter(acknowledged_at__isnull=False).count() < acks.count()
    assert world.school.policy_exceptions.count() == 2
    assert world.school.linked_policies.exists()
    assert world.school.review_triggers.count() == 1
    _ = services_registers  # registers written through services (audited)
    assert AuditEvent.objects.filter(action="policy_exception.record").count() == 2
