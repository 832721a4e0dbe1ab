"""Procedure gaps found row by row (issue 13, point 12): INC-YPSI-10, INC-IIOC-06, INC-YPSI-05,
INC-IIOC-04 and INC-CYB-04."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from harbour.audit.models import AuditEvent
from harbour.concerns import checklists, imagery, links, procedures, services, triage
from harbour.concerns.models import (
    ChecklistStep,
    Concern,
    ConcernEntry,
    ConcernLink,
    Decision,
    Notification,
    PreservationRequest,
    TechnicianTask,
)

# --- INC-YPSI-10: sanctioning a harmed learner is the DSL's confirmation alone -------------------


def _sanction(actor, concern, learner, **extra):
    return triage.decision_record(
        actor=actor,
        concern=concern,
        kind="behaviour",
        reasons="Shared an image",
        sanction="Internal exclusion",
        support="Counselling",
        sanctioned_learner_ids=[learner.pk],
        **extra,
    )


@pytest.mark.parametrize("persona", ["head", "deputy"])
def test_only_the_dsl_confirms_a_sanction_on_a_harmed_learner(world, make_concern, persona):
    concern = make_concern(category="youth_produced_sexual_imagery")
    with pytest.raises(ValidationError) as refused:
        _sanction(
            world.persona(persona), concern, world.learner, confirm_affected_sanction=True, trauma_note="Privately"
        )
    assert "Only the DSL" in str(refused.value)
    assert not Decision.objects.exists()
    _sanction(world.dsl, concern, world.learner, confirm_affected_sanction=True, trauma_note="Privately")
    assert Decision.objects.count() == 1


def test_head_is_refused_on_the_page_and_in_the_api(world, make_concern, client_for):
    concern = make_concern(category="youth_produced_sexual_imagery")
    page = client_for("head").post(
        reverse("concerns:triage_decision", args=["alpha", concern.pk]),
        {
            "decision-version": concern.version,
            "decision-kind": "behaviour",
            "decision-reasons": "Shared",
            "decision-sanction": "Detention",
            "decision-support": "Mentor",
            "decision-sanctioned_learners": [world.learner.pk],
            "decision-confirm_affected_sanction": "on",
            "decision-trauma_note": "Quietly",
        },
    )
    assert page.status_code == 400
    api = APIClient()
    api.force_login(world.head.user)
    response = api.post(
        reverse("api-concern-decision-list", args=["alpha", concern.pk]),
        {
            "kind": "behaviour",
            "reasons": "Shared",
            "sanction": "Detention",
            "support": "Mentor",
            "sanctioned_learners": [world.learner.pk],
            "confirm_affected_sanction": True,
            "trauma_note": "Quietly",
        },
        format="json",
    )
    assert response.status_code == 400
    assert not Decision.objects.exists()


def test_a_sanction_cannot_ride_on_another_kind_of_decision(world, make_concern):
    concern = make_concern()
    with pytest.raises(ValidationError) as refused:
        triage.decision_record(
            actor=world.deputy,
            concern=concern,
            kind="monitor",
            reasons="Watch",
            sanction="Detention",
            sanctioned_learner_ids=[world.learner.pk],
        )
    assert "sanction" in refused.value.message_dict
    assert not Decision.objects.exists()


def test_the_sanctions_checklist_step_is_the_dsls_when_a_learner_was_harmed(world, make_concern):
    concern = make_concern(category="cyberbullying")
    step = ChecklistStep.objects.get(concern=concern, key="consider_sanctions")
    with pytest.raises(ValidationError):
        checklists.checklist_step_complete(actor=world.head, step=step, note="Detention for Ada")
    step.refresh_from_db()
    assert step.state == ChecklistStep.State.OPEN
    checklists.checklist_step_complete(actor=world.dsl, step=step, note="No sanction for the harmed learner")
    step.refresh_from_db()
    assert step.state == ChecklistStep.State.DONE


def test_the_sanctions_step_is_free_when_nobody_is_recorded_as_harmed(world, make_concern):
    concern = make_concern(category="cyberbullying", learners=[(world.learner2, "alleged")])
    step = ChecklistStep.objects.get(concern=concern, key="consider_sanctions")
    checklists.checklist_step_complete(actor=world.deputy, step=step, note="Detention")


# --- INC-IIOC-06: a police request to keep a copy is a structured record -------------------------


def test_police_preservation_request_is_recorded_with_who_where_and_until_when(world, make_concern, client_for):
    concern = make_concern(category="indecent_images_of_children")
    client = client_for("deputy")
    url = reverse("concerns:triage_preservation", args=["alpha", concern.pk])
    missing = client.post(url, {"preservation-version": concern.version, "preservation-officer": "PC Shah"})
    assert missing.status_code == 400
    assert not PreservationRequest.objects.exists()
    response = client.post(
        url,
        {
            "preservation-version": concern.version,
            "preservation-officer": "PC Shah 4411",
            "preservation-police_reference": "KENT-2026-118",
            "preservation-custodian": "The headteacher",
            "preservation-location": "Sealed envelope in the head's safe",
            "preservation-requested_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "preservation-keep_until": (date.today() + timedelta(days=90)).isoformat(),
        },
    )
    assert response.status_code == 302
    request = PreservationRequest.objects.get()
    assert (request.officer, request.police_reference, request.custodian) == (
        "PC Shah 4411",
        "KENT-2026-118",
        "The headteacher",
    )
    entry = ConcernEntry.objects.get(concern=concern, kind=ConcernEntry.Kind.PRESERVATION)
    assert entry.data["location"] == "Sealed envelope in the head's safe"
    assert AuditEvent.objects.filter(action="concern.preservation_request").exists()
    page = client.get(reverse("concerns:detail", args=["alpha", concern.pk])).content.decode()
    assert "KENT-2026-118" in page


@pytest.mark.parametrize("persona", ["teacher", "technician", "outsider"])
def test_nobody_outside_the_team_records_or_reads_preservation_requests(world, make_concern, persona):
    concern = make_concern(category="indecent_images_of_children")
    api = APIClient()
    api.force_login(world.persona(persona).user)
    url = reverse("api-concern-preservation-request-list", args=["alpha", concern.pk])
    assert api.get(url).status_code == 404
    response = api.post(
        url,
        {
            "officer": "PC",
            "police_reference": "R",
            "custodian": "Me",
            "location": "Safe",
            "requested_at": timezone.now().isoformat(),
        },
        format="json",
    )
    assert response.status_code == 404
    assert not PreservationRequest.objects.exists()


def test_iioc_checklist_points_to_the_structured_record():
    step = procedures.procedure_for("indecent_images_of_children").step("copies_deleted")
    assert "Police request to keep a copy" in step.guidance


# --- INC-YPSI-05: technician task without detail ------------------------------------------------


def test_imagery_on_school_equipment_raises_an_urgent_task_without_detail(
    world, make_concern, client_for, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        concern = make_concern(
            category="youth_produced_sexual_imagery",
            equipment=Concern.Equipment.SCHOOL,
            summary="Nude image sent round Year 9 on the school wifi",
            description="Ada Lovelace-Smith says a picture of her was AirDropped in the library.",
        )
    task = TechnicianTask.objects.get(concern=concern)
    note = Notification.objects.get(user=world.technician.user)
    assert note.concern is None
    assert note.link == reverse("concerns:tech_tasks", args=["alpha"])
    tech_mail = [m for m in mail.outbox if m.to == [world.technician.user.email]]
    assert len(tech_mail) == 1
    told = note.text + tech_mail[0].subject + tech_mail[0].body
    for detail in (concern.reference, "Ada", world.learner.last_name, "library", "Nude", "Year 9"):
        assert detail not in told

    client = client_for("technician")
    dashboard = client.get(reverse("core:dashboard", args=["alpha"])).content.decode()
    assert "Urgent technician tasks" in dashboard
    page = client.get(reverse("concerns:tech_tasks", args=["alpha"])).content.decode()
    assert f"Task {task.pk}" in page
    for detail in (concern.reference, "Ada", world.learner.last_name, "library", "AirDrop"):
        assert detail not in page
    assert client.get(reverse("concerns:detail", args=["alpha", concern.pk])).status_code == 404

    done_url = reverse("concerns:tech_task_done", args=["alpha", task.pk])
    assert client.post(done_url, {"note": "Blocked"}).status_code == 400
    assert client.post(done_url, {"confirmed_not_opened": "on", "note": "Blocked on the firewall"}).status_code == 302
    task.refresh_from_db()
    assert task.done_by == world.technician.user
    assert ConcernEntry.objects.filter(concern=concern, kind=ConcernEntry.Kind.TECH_TASK, data__done=True).exists()
    step = ChecklistStep.objects.get(concern=concern, key="block_school_systems")
    assert (step.state, step.completed_by) == (ChecklistStep.State.DONE, world.technician.user)


def test_no_task_for_personal_devices_and_tasks_page_is_technicians_only(world, make_concern, client_for):
    make_concern(category="youth_produced_sexual_imagery", equipment=Concern.Equipment.PERSONAL)
    assert not TechnicianTask.objects.exists()
    for persona in ("teacher", "office", "governor", "outsider"):
        assert client_for(persona).get(reverse("concerns:tech_tasks", args=["alpha"])).status_code == 404
    assert client_for("dsl").get(reverse("concerns:tech_tasks", args=["alpha"])).status_code == 200


def test_recategorising_into_sexual_imagery_raises_the_task(world, make_concern):
    concern = make_concern(category="cyberbullying", equipment=Concern.Equipment.BOTH)
    assert not TechnicianTask.objects.exists()
    services.concern_change_category(
        actor=world.dsl, concern=concern, category="youth_produced_sexual_imagery", reason="Image", version=1
    )
    assert TechnicianTask.objects.filter(concern=concern).count() == 1


def test_another_schools_technician_cannot_complete_a_task(world, make_concern):
    make_concern(category="youth_produced_sexual_imagery", equipment=Concern.Equipment.SCHOOL)
    task = TechnicianTask.objects.get()
    with pytest.raises(PermissionDenied):
        imagery.technician_task_complete(actor=world.outsider, task=task, confirmed_not_opened=True)
    with pytest.raises(PermissionDenied):
        imagery.technician_task_complete(actor=world.dsl, task=task, confirmed_not_opened=True)


# --- INC-IIOC-04: accidental exposure variant --------------------------------------------------


def test_iioc_checklist_offers_an_accidental_exposure_variant(world, make_concern, client_for):
    concern = make_concern(category="indecent_images_of_children")
    client = client_for("dsl")
    page = client.get(reverse("concerns:detail", args=["alpha", concern.pk])).content.decode()
    assert "Accidental exposure online" in page
    response = client.post(
        reverse("concerns:triage_variant", args=["alpha", concern.pk]),
        {"variant-version": concern.version, "variant-variant": "iioc_accidental_exposure"},
    )
    assert response.status_code == 302
    keys = set(
        ChecklistStep.objects.filter(concern=concern, procedure="iioc_accidental_exposure").values_list(
            "key", flat=True
        )
    )
    assert {"report_iwf", "copies_deleted", "parents", "dsl_informed"} <= keys
    page = client.get(reverse("concerns:detail", args=["alpha", concern.pk])).content.decode()
    assert "Accidental exposure online: A member" not in page  # offered once only
    with pytest.raises(ValidationError):
        checklists.checklist_open_variant(actor=world.dsl, concern=concern, variant_key="iioc_accidental_exposure")


def test_variant_does_not_fit_other_categories(world, make_concern):
    concern = make_concern(category="cyberbullying")
    with pytest.raises(ValidationError):
        checklists.checklist_open_variant(actor=world.dsl, concern=concern, variant_key="iioc_accidental_exposure")


# --- INC-CYB-04: escalation keeps a link ---------------------------------------------------------


def test_cyberbullying_escalated_as_abuse_keeps_a_link_both_ways(world, make_concern, client_for):
    bullying = make_concern(
        category="cyberbullying", learners=[(world.learner, "affected"), (world.learner2, "alleged")]
    )
    client = client_for("deputy")
    response = client.post(
        reverse("concerns:triage_escalate", args=["alpha", bullying.pk]),
        {"escalate-version": bullying.version, "escalate-reason": "Threats of a sexual nature"},
    )
    assert response.status_code == 302
    link = ConcernLink.objects.get()
    abuse = link.to_concern
    assert (link.from_concern, abuse.category) == (bullying, "peer_on_peer_abuse")
    assert set(abuse.involvements.values_list("learner_id", "part")) == {
        (world.learner.pk, "affected"),
        (world.learner2.pk, "alleged"),
    }
    bullying.refresh_from_db()
    assert bullying.category == "cyberbullying"
    for concern in (bullying, abuse):
        assert ConcernEntry.objects.filter(concern=concern, kind=ConcernEntry.Kind.LINK).exists()
    first = client.get(reverse("concerns:detail", args=["alpha", bullying.pk])).content.decode()
    second = client.get(reverse("concerns:detail", args=["alpha", abuse.pk])).content.decode()
    assert abuse.reference in first
    assert bullying.reference in second
    assert client.post(
        reverse("concerns:triage_escalate", args=["alpha", bullying.pk]),
        {"escalate-version": bullying.version, "escalate-reason": "Again"},
    ).status_code in (400, 404)
    assert ConcernLink.objects.count() == 1


def test_a_shared_colleague_escalates_but_sees_no_link_to_a_record_they_cannot_open(
    world, make_concern, client_for, django_capture_on_commit_callbacks
):
    bullying = make_concern(category="cyberbullying", actor_name="dsl")
    services.concern_share(actor=world.dsl, concern=bullying, user=world.teacher2.user, reason="Form tutor")
    services.concern_share(actor=world.dsl, concern=bullying, user=world.support.user, reason="Mentor")
    with django_capture_on_commit_callbacks(execute=True):
        escalated = links.concern_escalate_as_abuse(actor=world.teacher2, concern=bullying, reason="Sexual threats")
    assert Notification.objects.filter(user=world.dsl.user, concern=escalated).exists()
    page = client_for("support").get(reverse("concerns:detail", args=["alpha", bullying.pk])).content.decode()
    assert escalated.reference not in page


def test_escalation_through_the_api_and_outsiders_get_404(world, make_concern):
    bullying = make_concern(category="cyberbullying")
    url = reverse("api-concern-escalate-as-abuse", args=["alpha", bullying.pk])
    outsider = APIClient()
    outsider.force_login(world.outsider.user)
    assert outsider.post(url, {"reason": "x"}, format="json").status_code == 404
    dsl = APIClient()
    dsl.force_login(world.dsl.user)
    response = dsl.post(url, {"reason": "Abuse between children"}, format="json")
    assert response.status_code == 201
    assert ConcernLink.objects.get().to_concern.reference == response.json()["reference"]


def test_preservation_request_through_the_api_with_problem_details_on_bad_dates(world, make_concern):
    concern = make_concern(category="indecent_images_of_children")
    api = APIClient()
    api.force_login(world.dsl.user)
    url = reverse("api-concern-preservation-request-list", args=["alpha", concern.pk])
    body = {
        "officer": "DC Patel",
        "police_reference": "OP-552",
        "custodian": "DSL",
        "location": "Locked cabinet, DSL office",
        "requested_at": timezone.now().isoformat(),
        "keep_until": (date.today() - timedelta(days=30)).isoformat(),
    }
    bad = api.post(url, body, format="json")
    assert bad.status_code == 400
    assert bad["Content-Type"].startswith("application/problem+json")
    assert not PreservationRequest.objects.exists()
    body["keep_until"] = None
    ok = api.post(url, body, format="json")
    assert ok.status_code == 201
    assert api.get(url).json()["results"][0]["police_reference"] == "OP-552"
