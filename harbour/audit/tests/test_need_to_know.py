"""The audit trail obeys each record's own door (issue 12 point 3, INC-STAFF-05, REP-07).

An accused head or DSL must learn nothing from the audit browser, its CSV, the API, the dashboard
or any count about an allegation concerning them; those who may open the allegation (and the
trust auditor) see its whole trail.
"""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from harbour.accounts.roles import Role
from harbour.audit import doors
from harbour.audit.models import AuditEvent
from harbour.audit.selectors import audit_event_list, audit_filter_choices
from harbour.audit.services import record
from harbour.concerns.models import Concern
from harbour.core.tests import factories as f

LIST = reverse("audit:event_list", args=["alpha"])
EXPORT = reverse("audit:event_export", args=["alpha"])
API = reverse("api-audit-event-list", args=["alpha"])
DASHBOARD = reverse("core:dashboard", args=["alpha"])


def staff_record(world, persona: str):
    member = world.persona(persona)
    return f.StaffMemberFactory(school=world.school, user=member.user, first_name=persona.capitalize())


def about(concern: Concern, *staff) -> Concern:
    """Name the members of staff a concern is about, whether the field holds one or many."""
    field = Concern._meta.get_field("subject_staff")
    if field.many_to_many:
        concern.subject_staff.set(staff)
    else:
        concern.subject_staff = staff[0]
        concern.save(update_fields=["subject_staff"])
    return concern


def new_concern(world, reference: str, *, summary: str, category: str = "staff_misuse_allegation") -> Concern:
    return Concern.objects.create(
        school=world.school,
        reference=reference,
        category=category,
        reported_by=world.teacher.user,
        occurred_at=timezone.now(),
        summary=summary,
        description="Reported in the audit tests.",
    )


@pytest.fixture
def chair(world):
    # A chair of governors must use MFA (issue 12 point 2), as the other leaders do.
    from harbour.concerns.tests.conftest import make_chair

    return make_chair(world.governor)


@pytest.fixture
def trust_user(world):
    """``trust_user(role)``: a login holding that trust-level role over Alpha's trust, and its client."""

    def make(role: str) -> Client:
        user = f.UserFactory(email=f"{role}@trust.test", mfa=True)
        f.TrustRoleFactory(user=user, organisation=world.school.organisation, role=role)
        client = APIClient()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def trail(world, chair):
    """An allegation about the head, one about the DSL, an ordinary concern, and a settings event."""
    head_case = about(new_concern(world, "C-HEAD-1", summary="Zebra headline"), staff_record(world, "head"))
    dsl_case = about(new_concern(world, "C-DSL-1", summary="Yak headline"), staff_record(world, "dsl"))
    ordinary = new_concern(world, "C-ORD-1", summary="Walrus headline", category="online_bullying")
    events = {
        "head_create": record(action="concern.create", actor=world.teacher, obj=head_case),
        "head_view": record(action="concern.view", actor=chair, obj=head_case),
        "dsl_create": record(action="concern.create", actor=world.teacher, obj=dsl_case),
        "dsl_view": record(action="concern.view", actor=world.head, obj=dsl_case),
        "ordinary_view": record(action="concern.view", actor=world.dsl, obj=ordinary),
        "role_change": record(action="membership.change_role", actor=world.head, obj=world.teacher),
    }
    return {"events": events, "head_case": head_case, "dsl_case": dsl_case, "ordinary": ordinary}


def ids(trail, *names: str) -> set[int]:
    return {trail["events"][name].pk for name in names}


def browser_ids(client) -> set[int]:
    response = client.get(LIST)
    assert response.status_code == 200
    return {row["event"].pk for row in response.context["rows"]}


def csv_text(client) -> str:
    response = client.get(EXPORT)
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode("utf-8-sig")


def api_ids(client) -> set[int]:
    """Ids the API lists, leaving out the CSV downloads a test made before."""
    response = client.get(API)
    assert response.status_code == 200
    return {row["id"] for row in response.json()["results"] if row["action"] != "audit.export"}


def api_client(world, persona: str) -> APIClient:
    client = APIClient()
    client.force_login(world.persona(persona).user)
    return client


# --- The accused -------------------------------------------------------------------------------


def test_accused_head_sees_nothing_of_the_allegation_anywhere(world, client_for, trail):
    """INC-STAFF-05: the head learns nothing about the allegation about them, on any surface."""
    client = client_for("head")
    hidden = ids(trail, "head_create", "head_view")
    shown = ids(trail, "dsl_create", "dsl_view", "ordinary_view", "role_change")

    assert browser_ids(client) == shown
    page = client.get(LIST).content.decode()
    assert "C-HEAD-1" not in page
    assert "governor@alpha.test" not in page  # the chair's view of it

    text = csv_text(client)
    rows = list(csv.reader(io.StringIO(text)))[1:]
    assert "C-HEAD-1" not in text
    assert len(rows) == len(shown)
    assert AuditEvent.objects.filter(action="audit.export").latest("pk").changes["rows"] == len(shown)

    assert api_ids(api_client(world, "head")) == shown
    assert (
        client.get(API, {"object_id": str(trail["head_case"].pk), "object_type": "concerns.concern"}).json()["count"]
        == 0
    )

    dashboard = client.get(DASHBOARD)
    assert {event.pk for event in dashboard.context["recent_audit"]}.isdisjoint(hidden)
    assert "C-HEAD-1" not in dashboard.content.decode()

    assert audit_event_list(actor=world.head).exclude(action="audit.export").count() == len(shown)


def test_accused_dsl_sees_nothing_of_the_allegation_anywhere(world, client_for, trail):
    client = client_for("dsl")
    shown = ids(trail, "ordinary_view", "role_change")
    assert browser_ids(client) == shown
    assert "C-DSL-1" not in client.get(LIST).content.decode()
    assert "C-DSL-1" not in csv_text(client)
    assert "C-HEAD-1" not in csv_text(client)
    assert api_ids(api_client(world, "dsl")) == shown
    recent = client.get(DASHBOARD).context["recent_audit"]
    assert {event.pk for event in recent if event.action != "audit.export"} == shown


def test_filter_choices_and_counts_follow_the_same_door(world, trail):
    """Even the list of record types offered as filters comes from visible events only."""
    record(action="concern.secret_step", actor=world.head, obj=trail["dsl_case"])
    _types, actions = audit_filter_choices(actor=world.dsl)
    assert "concern.secret_step" not in actions
    _types, actions = audit_filter_choices(actor=world.head)
    assert "concern.secret_step" in actions


# --- Those who may open it ---------------------------------------------------------------------


def test_chair_sees_the_trail_of_the_allegation_about_the_head_only(world, client_for, trail):
    """The chair may open the allegation about the head, so sees who created and opened it; nothing
    about records without a door (settings, roles), which stay with the whole-trail roles."""
    shown = ids(trail, "head_create", "head_view")
    assert browser_ids(client_for("governor")) == shown
    assert "C-HEAD-1" in csv_text(client_for("governor"))
    assert api_ids(api_client(world, "governor")) == shown


def test_head_sees_the_trail_of_the_allegation_about_the_dsl(world, client_for, trail):
    assert ids(trail, "dsl_create", "dsl_view") <= browser_ids(client_for("head"))
    assert "C-DSL-1" in csv_text(client_for("head"))


def test_trust_auditor_reads_every_event_of_the_school(world, trust_user, trail):
    client = trust_user(Role.TRUST_AUDITOR)
    assert api_ids(client) == ids(trail, *trail["events"])
    assert client.get(LIST).status_code == 200
    text = b"".join(client.get(EXPORT).streaming_content).decode("utf-8-sig")
    assert "C-HEAD-1" in text
    assert "C-DSL-1" in text


def test_trust_auditor_opens_no_record_itself(world, trust_user, trail):
    """Read-only oversight of the trail: the concern, the learner lists and the queue stay shut."""
    client = trust_user(Role.TRUST_AUDITOR)
    assert client.get(reverse("api-concern-detail", args=["alpha", trail["head_case"].pk])).status_code == 404
    assert client.get(reverse("api-learner-list", args=["alpha"])).status_code == 404


def test_trust_safeguarding_lead_does_not_see_allegation_events(world, trust_user, trail):
    """The trust lead reads ordinary concerns, not allegations; its trail follows the same door."""
    client = trust_user(Role.TRUST_SAFEGUARDING_LEAD)
    shown = api_ids(client)
    assert ids(trail, "ordinary_view", "role_change") <= shown
    assert shown.isdisjoint(ids(trail, "head_create", "head_view", "dsl_create", "dsl_view"))


def test_a_share_opens_the_trail_too(world, trail):
    """Whoever the concern's door lets in (here: a named share) sees its events; nothing more."""
    from harbour.concerns.models import ConcernShare

    ConcernShare.objects.create(
        concern=trail["ordinary"], user=world.head.user, granted_by=world.dsl.user, reason="Needs to know"
    )
    assert trail["events"]["ordinary_view"] in audit_event_list(actor=world.head)


# --- Outsiders ---------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["teacher", "deputy", "office", "admin", "technician"])
def test_roles_without_the_trail_get_404_everywhere(world, client_for, trail, persona):
    client = client_for(persona)
    assert client.get(LIST).status_code == 404
    assert client.get(EXPORT).status_code == 404
    response = api_client(world, persona).get(API)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_another_schools_dsl_gets_404_and_sees_only_their_own_trail(world, trail):
    client = api_client(world, "outsider")
    response = client.get(API)
    assert response.status_code == 404
    assert "C-HEAD-1" not in response.content.decode()
    beta = client.get(reverse("api-audit-event-list", args=["beta"]))
    assert beta.status_code == 200
    assert beta.json()["count"] == 0


# --- The registry ------------------------------------------------------------------------------


def test_every_app_declares_its_doors():
    assert {"concerns.concern", "concerns.attachment", "concerns.followup", "people.learner"} <= set(doors.doors())
    assert {"monitoring.alert", "filtering.breach"} <= set(doors.doors())


def test_a_door_naming_no_model_is_refused():
    with pytest.raises(doors.DoorError):
        doors.register("nowhere.nothing")(lambda actor: None)


def test_a_second_door_for_a_model_is_refused():
    with pytest.raises(doors.DoorError):
        doors.register("concerns.concern")(lambda actor: None)


def test_a_door_that_answers_404_opens_onto_nothing(world):
    """monitoring.alert's selector raises 404 for roles outside the alert queue."""
    record(action="monitoring.alert_view", actor=world.dsl, school=world.school, changes={})
    assert doors.visible_object_ids("monitoring.alert", world.governor).count() == 0


def test_events_about_learners_follow_the_learner_door(world):
    """A trust safeguarding lead and the DSL see all learners; a chair of governors sees none."""
    event = record(action="learner.view", actor=world.teacher, obj=world.learner)
    world.governor.is_chair_of_governors = True
    world.governor.save(update_fields=["is_chair_of_governors"])
    assert event in audit_event_list(actor=world.dsl)
    assert event not in audit_event_list(actor=world.governor)


# --- Mentions inside other events --------------------------------------------------------------


def test_mentions_of_hidden_concerns_are_scrubbed_from_other_events(world, client_for, trail, trust_user):
    """A chronology view is about a learner (which the head may open) but lists the concerns it
    showed; the head must not read the reference of the allegation about them there."""
    head_case, ordinary = trail["head_case"], trail["ordinary"]
    chronology = record(
        action="learner.chronology_view",
        actor=world.dsl,
        obj=world.learner,
        changes={"concerns": [head_case.reference, ordinary.reference], "events": 3},
    )
    pin = record(
        action="learner.chronology_pin",
        actor=world.dsl,
        obj=world.learner,
        changes={"entry": [None, 7], "concern": head_case.reference},
    )
    receipts = record(action="concern.list", actor=world.teacher, changes={"ids": [head_case.pk, ordinary.pk]})
    breach = record(
        action="filtering.breach_concern", actor=world.dsl, obj=world.school, changes={"concern": [None, head_case.pk]}
    )

    rows = {row["event"].pk: row["event"].changes for row in client_for("head").get(LIST).context["rows"]}
    assert rows[chronology.pk] == {"concerns": [ordinary.reference], "events": 3}
    assert rows[pin.pk] == {"entry": [None, 7]}
    # A list read names no record: only its own actor and the auditor see it (finding 7).
    assert receipts.pk not in rows
    assert rows[breach.pk] == {}
    assert "C-HEAD-1" not in client_for("head").get(LIST).content.decode()
    assert "C-HEAD-1" not in csv_text(client_for("head"))
    api_rows = {row["id"]: row["changes"] for row in api_client(world, "head").get(API).json()["results"]}
    assert api_rows[chronology.pk] == {"concerns": [ordinary.reference], "events": 3}
    assert AuditEvent.objects.get(pk=chronology.pk).changes["concerns"] == [head_case.reference, ordinary.reference]

    auditor = {row["id"]: row["changes"] for row in trust_user(Role.TRUST_AUDITOR).get(API).json()["results"]}
    assert auditor[chronology.pk]["concerns"] == [head_case.reference, ordinary.reference]


def test_dashboards_show_recent_activity_through_the_same_door(world, client_for, trail, trust_user):
    chair_recent = client_for("governor").get(DASHBOARD).context["recent_audit"]
    assert {event.pk for event in chair_recent} == ids(trail, "head_create", "head_view")
    auditor = trust_user(Role.TRUST_AUDITOR).get(DASHBOARD)
    assert auditor.status_code == 200
    assert {event.pk for event in auditor.context["recent_audit"]} >= ids(trail, "head_create", "dsl_create")
    assert "recent_audit" not in client_for("teacher").get(DASHBOARD).context
