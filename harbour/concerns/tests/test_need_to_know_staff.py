"""Need-to-know for concerns about staff (issue 12 points 1, 2 and 4).

1. Any concern, in any category, may name the members of staff it is about, at report time (web and
   API) or later (the DSL's "about a member of staff" action, web and API). From then on they get
   404 everywhere, no alerts, no queue rows, no notifications and no chronology entries, and the
   concern goes to the head (INC-STAFF-05, INC-RAD-04, INC-IIOC-09).
2. A concern about the head goes to the chair of governors, else the school's second route, else
   the trust safeguarding lead with a warning on every leader's dashboard; the reporter's receipt
   says where it went as a role.
4. A member of staff who is a parent or carer of a learner in a concern is left out of access to it
   (REP-20) until the DSL shares it with them by name with a reason.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from harbour.accounts.roles import Role
from harbour.accounts.selectors import user_requires_mfa
from harbour.audit.models import AuditEvent
from harbour.concerns import alerts, routing, selectors, services
from harbour.concerns.models import AllegationRoute, Concern, ConcernStaffSubject, Notification
from harbour.concerns.tests.conftest import make_chair
from harbour.core.tests import factories as f

RADICALISATION = "radicalisation_extremism"


# --- helpers -----------------------------------------------------------------------------------


def staff_of(membership):
    """The staff record of a persona (created on first use)."""
    existing = membership.user.staff_records.filter(school=membership.school).first()
    return existing or f.StaffMemberFactory(school=membership.school, user=membership.user)


def detail(concern):
    return reverse("concerns:detail", args=[concern.school.slug, concern.pk])


def api_detail(concern):
    return reverse("api-concern-detail", args=[concern.school.slug, concern.pk])


def chronology(world):
    return reverse("concerns:chronology", args=["alpha", world.learner.pk])


def queue():
    return reverse("concerns:queue", args=["alpha"])


def concern_list():
    return reverse("concerns:list", args=["alpha"])


def api(world, name):
    client = APIClient()
    client.force_login(world.persona(name).user)
    return client


def report(world, *, actor="teacher", category=RADICALISATION, about=(), **extra):
    return services.concern_report(
        actor=world.persona(actor),
        category=category,
        occurred_at=timezone.now() - timedelta(hours=1),
        summary="Extremist videos shared",
        description="Videos praising a banned group were shown on a phone at lunch.",
        involvements=[services.Involvement(learner_id=world.learner.pk)],
        subject_staff_ids=[staff_of(m).pk for m in about],
        **extra,
    )


def sees_nothing(client, world, concern):
    """The page, the API, the list, the queue and the chronology all keep the concern from them."""
    assert client.get(detail(concern)).status_code == 404
    assert client.get(api_detail(concern)).status_code == 404
    assert concern.reference not in client.get(concern_list()).content.decode()
    queue_page = client.get(queue())
    assert queue_page.status_code in (200, 404)
    assert concern.reference not in queue_page.content.decode()
    chronology_page = client.get(chronology(world))
    assert concern.reference not in chronology_page.content.decode()


def notified(user, concern):
    return Notification.objects.filter(user=user, concern=concern).exists()


def mailed(user):
    return any(user.email in message.to for message in mail.outbox)


# --- point 1: any category names staff -------------------------------------------------------------


def test_radicalisation_concern_naming_the_deputy_is_hidden_from_them_and_goes_to_the_head(
    world, client_for, django_capture_on_commit_callbacks
):
    """INC-RAD-04: before issue 12 the deputy was e-mailed and could read it; the head never heard."""
    with django_capture_on_commit_callbacks(execute=True):
        concern = report(world, about=[world.deputy])

    assert concern.routed_to == routing.HEAD
    sees_nothing(client_for("deputy"), world, concern)
    assert not notified(world.deputy.user, concern)
    assert not mailed(world.deputy.user)
    # Not the DSL team's either: a concern about staff is the head's (INC-STAFF-05).
    assert not notified(world.dsl.user, concern)
    sees_nothing(client_for("dsl"), world, concern)
    assert notified(world.head.user, concern)
    assert mailed(world.head.user)
    head = client_for("head")
    assert head.get(detail(concern)).status_code == 200
    assert concern.reference in head.get(queue()).content.decode()


def test_web_form_names_several_staff_in_any_category(world, client_for):
    deputy, slt = staff_of(world.deputy), staff_of(world.slt)
    data = {
        "category": "indecent_images_of_children",
        "summary": "Images on a laptop",
        "description": "A colleague saw something on a laptop screen in the staff room.",
        "occurred_at": (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "location": "on_site",
        "equipment": "school",
        "subject_staff": [str(deputy.pk), str(slt.pk)],
        "send": "1",
    }
    response = client_for("teacher").post(reverse("concerns:report", args=["alpha"]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    concern = Concern.objects.get()
    assert set(concern.subject_staff.all()) == {deputy, slt}
    sees_nothing(client_for("deputy"), world, concern)  # INC-IIOC-09
    assert client_for("head").get(detail(concern)).status_code == 200


def test_api_accepts_a_list_of_staff_in_any_category_and_a_single_id_still(world):
    teacher = api(world, "teacher")
    body = {
        "category": RADICALISATION,
        "occurred_at": (timezone.now() - timedelta(hours=1)).isoformat(),
        "summary": "Extremist videos",
        "description": "Videos praising a banned group.",
        "subject_staff": [staff_of(world.deputy).pk],
    }
    response = teacher.post(reverse("api-concern-list", args=["alpha"]), body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["sent_to"] == "the headteacher"
    concern = Concern.objects.get(pk=response.json()["id"])
    assert [s.user for s in concern.subject_staff.all()] == [world.deputy.user]
    assert api(world, "deputy").get(api_detail(concern)).status_code == 404
    assert api(world, "head").get(api_detail(concern)).json()["subject_staff"] == [staff_of(world.deputy).pk]

    single = teacher.post(
        reverse("api-concern-list", args=["alpha"]), {**body, "subject_staff": staff_of(world.slt).pk}, format="json"
    )
    assert single.status_code == 201
    nobody = teacher.post(reverse("api-concern-list", args=["alpha"]), {**body, "subject_staff": None}, format="json")
    assert nobody.status_code == 201
    assert nobody.json()["sent_to"] == "the safeguarding team"
    unknown = teacher.post(
        reverse("api-concern-list", args=["alpha"]), {**body, "subject_staff": [999999]}, format="json"
    )
    assert unknown.status_code == 400
    assert "subject_staff" in unknown.json().get("errors", unknown.json())


def test_dsl_names_the_deputy_later_and_everything_moves_at_once(world, client_for, django_capture_on_commit_callbacks):
    """The deputy was alerted as usual; once named they lose the notification and the access."""
    with django_capture_on_commit_callbacks(execute=True):
        concern = report(world, category="cyberbullying")
    services.concern_acknowledge(actor=world.dsl, concern=concern)
    alerted = Notification.objects.get(user=world.deputy.user, concern=concern)
    assert alerted.read_at is None
    deputy = client_for("deputy")
    assert deputy.get(detail(concern)).status_code == 200

    dsl = client_for("dsl")
    concern.refresh_from_db()
    response = dsl.post(
        reverse("concerns:name_staff", args=["alpha", concern.pk]),
        {
            "about-staff-version": concern.version,
            "about-staff-subject_staff": [str(staff_of(world.deputy).pk)],
            "about-staff-reason": "The messages came from the deputy's account.",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == concern_list()  # the DSL no longer sees it either
    sees_nothing(deputy, world, concern)
    sees_nothing(dsl, world, concern)
    alerted.refresh_from_db()
    assert alerted.read_at is not None
    notifications_page = deputy.get(reverse("concerns:notifications", args=["alpha"])).content.decode()
    assert concern.reference not in notifications_page
    assert notified(world.head.user, concern)
    assert client_for("head").get(detail(concern)).status_code == 200
    assert AuditEvent.objects.filter(action="concern.name_staff", object_id=str(concern.pk)).exists()


def test_naming_staff_through_the_api_and_refusals(world):
    concern = report(world, category="online_hate")
    dsl = api(world, "dsl")
    target = reverse("api-concern-subject-staff", args=["alpha", concern.pk])
    assert (
        dsl.post(target, {"subject_staff": [], "reason": "x", "version": concern.version}, format="json").status_code
        == 400
    )
    assert (
        api(world, "teacher2")
        .post(
            target,
            {"subject_staff": [staff_of(world.slt).pk], "reason": "x", "version": concern.version},
            format="json",
        )
        .status_code
        == 404
    )
    response = dsl.post(
        target,
        {"subject_staff": [staff_of(world.slt).pk], "reason": "Posted from their account", "version": concern.version},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json() == {
        "reference": concern.reference,
        "routed_to": "head",
        "sent_to": "the headteacher",
        "still_visible_to_you": False,
    }
    assert api(world, "slt").get(api_detail(concern)).status_code == 404


def test_recategorising_as_a_staff_concern_needs_a_name(world):
    concern = report(world, category="cyberbullying")
    with pytest.raises(ValidationError, match="Name the member of staff") as refused:
        services.concern_change_category(
            actor=world.dsl, concern=concern, category="staff_misuse_allegation", reason="It is a teacher", version=1
        )
    assert "Name the member of staff" in str(refused.value)
    updated = services.concern_name_staff(
        actor=world.dsl,
        concern=concern,
        staff_ids=[staff_of(world.teacher2).pk],
        reason="It is a teacher",
        version=concern.version,
        as_staff_concern=True,
    )
    assert updated.category == "staff_misuse_allegation"
    assert not selectors.concern_list(actor=world.teacher2).filter(pk=concern.pk).exists()


def test_a_concern_is_never_shared_with_someone_it_names(world):
    concern = report(world, about=[world.slt])
    with pytest.raises(ValidationError, match="never be shared"):
        services.concern_share(actor=world.head, concern=concern, user=world.slt.user, reason="to help")


def test_existing_allegations_keep_their_subject_through_the_migration_shape(world):
    """The through table holds who was named and by whom (the migration copies old rows into it)."""
    concern = report(world, about=[world.slt])
    link = ConcernStaffSubject.objects.get(concern=concern)
    assert link.added_by == world.teacher.user
    assert link.staff.user == world.slt.user


# --- point 2: about the head -------------------------------------------------------------------


def test_concern_about_the_head_goes_to_the_chair_who_can_open_it(
    world, client_for, django_capture_on_commit_callbacks
):
    make_chair(world.governor)
    with django_capture_on_commit_callbacks(execute=True):
        concern = report(world, about=[world.head])
    assert concern.routed_to == routing.CHAIR
    sees_nothing(client_for("head"), world, concern)
    assert not notified(world.head.user, concern)
    assert notified(world.governor.user, concern)
    assert mailed(world.governor.user)
    chair = client_for("governor")
    assert chair.get(detail(concern)).status_code == 200
    assert concern.reference in chair.get(queue()).content.decode()
    for persona in ("dsl", "deputy"):
        sees_nothing(client_for(persona), world, concern)
        assert not notified(world.persona(persona).user, concern)


def test_concern_about_the_dsl_and_the_head_together_goes_to_the_chair(world, client_for):
    make_chair(world.governor)
    concern = report(world, about=[world.dsl, world.head])
    assert concern.routed_to == routing.CHAIR
    for persona in ("dsl", "head"):
        sees_nothing(client_for(persona), world, concern)
    assert client_for("governor").get(detail(concern)).status_code == 200


def test_receipt_says_where_it_went_as_a_role_never_a_name(world, client_for):
    make_chair(world.governor)
    concern = report(world, about=[world.head])
    page = client_for("teacher").get(reverse("concerns:receipt_detail", args=["alpha", concern.pk])).content.decode()
    assert "the chair of governors" in page
    assert world.governor.user.full_name not in page
    assert "reached the safeguarding team" not in page
    ordinary = report(world, category="cyberbullying")
    page = client_for("teacher").get(reverse("concerns:receipt_detail", args=["alpha", ordinary.pk])).content.decode()
    assert "the safeguarding team" in page


def test_with_no_chair_the_trust_lead_gets_it_and_leaders_are_told_the_route_is_missing(
    world, client_for, django_capture_on_commit_callbacks
):
    lead = f.TrustRoleFactory(organisation=world.school.organisation, user=f.UserFactory(mfa=True))
    with django_capture_on_commit_callbacks(execute=True):
        concern = report(world, about=[world.head])
    assert concern.routed_to == routing.FALLBACK
    assert notified(lead.user, concern)
    trust = client_for("dsl")
    trust.force_login(lead.user)
    assert trust.get(detail(concern)).status_code == 200
    sees_nothing(client_for("head"), world, concern)
    receipt = client_for("teacher").get(reverse("concerns:receipt_detail", args=["alpha", concern.pk]))
    assert "the trust&#x27;s safeguarding lead" in receipt.content.decode()
    for persona in ("dsl", "deputy", "head", "slt", "admin"):
        page = client_for(persona).get(reverse("core:dashboard", args=["alpha"])).content.decode()
        assert "No route is set for allegations about the headteacher" in page, persona
        assert "Chair of governors not set" in page, persona
    assert (
        "No route is set" not in client_for("teacher").get(reverse("core:dashboard", args=["alpha"])).content.decode()
    )


def test_no_chair_and_no_trust_lead_is_never_told_to_nobody_when_a_lado_is_known(
    world, django_capture_on_commit_callbacks
):
    AllegationRoute.objects.create(school=world.school, second_route="lado", lado_email="lado@county.example")
    with django_capture_on_commit_callbacks(execute=True):
        concern = report(world, about=[world.head])
    assert concern.routed_to == routing.LADO
    to_lado = [m for m in mail.outbox if "lado@county.example" in m.to]
    assert len(to_lado) == 1
    assert "Extremist" not in to_lado[0].body
    assert world.head.user.full_name not in to_lado[0].body


def test_chair_setting_is_for_the_head_or_admin_audited_and_never_self(world, client_for):
    page = reverse("concerns:allegation_route", args=["alpha"])
    for persona in ("teacher", "dsl", "governor", "outsider"):
        assert client_for(persona).get(page).status_code == 404, persona
    head = client_for("head")
    assert head.get(page).status_code == 200
    assert head.post(page, {"chair": str(world.head.pk), "second_route": ""}).status_code == 400
    response = head.post(page, {"chair": str(world.governor.pk), "second_route": "trust_lead"})
    assert response.status_code == 302
    world.governor.refresh_from_db()
    assert world.governor.is_chair_of_governors
    assert AuditEvent.objects.filter(action="membership.chair_of_governors").exists()
    assert AuditEvent.objects.filter(action="concern.allegation_route").exists()
    assert user_requires_mfa(user=world.governor.user, mfa_roles=[])  # the chair must use MFA
    # The admin moves the chair to someone else: the old chair is told.
    admin = client_for("admin")
    # Only a governor can be chair (red-team finding 1): a senior leader is refused.
    assert admin.post(page, {"chair": str(world.slt.pk), "second_route": "trust_lead"}).status_code == 400
    second = f.MembershipFactory(school=world.school, role=Role.GOVERNOR)
    assert admin.post(page, {"chair": str(second.pk), "second_route": "trust_lead"}).status_code == 302
    assert Notification.objects.filter(user=world.governor.user, text__contains="no longer").exists()
    assert "Chair of governors not set" not in head.get(reverse("core:dashboard", args=["alpha"])).content.decode()


# --- point 4: conflict of interest -------------------------------------------------------------


def test_parent_on_the_staff_is_left_out_of_access_until_the_dsl_grants_it(world, client_for):
    """REP-20 already kept them out of alerts; now out of the record too, unless shared by name."""
    parent = f.ParentFactory(school=world.school, email=world.deputy.user.email.upper())
    f.ParentLinkFactory(parent=parent, learner=world.learner)
    concern = report(world, category="cyberbullying")
    deputy = client_for("deputy")
    sees_nothing(deputy, world, concern)
    assert not notified(world.deputy.user, concern)
    assert client_for("dsl").get(detail(concern)).status_code == 200
    # A notification from before the parent link was known is neither listed nor counted.
    Notification.objects.create(user=world.deputy.user, school=world.school, concern=concern, text="x")
    assert alerts.unread_count(user=world.deputy.user, school=world.school) == 0
    assert not alerts.notification_list(actor=world.deputy).exists()

    services.concern_share(
        actor=world.dsl, concern=concern, user=world.deputy.user, reason="Needed to plan support; DSL agreed"
    )
    assert deputy.get(detail(concern)).status_code == 200
    assert AuditEvent.objects.filter(action="concern.share", object_id=str(concern.pk)).exists()


def test_with_no_route_at_all_the_team_members_not_named_get_it_and_the_receipt_says_so(world, client_for):
    """Never to nobody: no chair, no trust lead, no LADO address — the DSL team not named takes it."""
    world.school.organisation.trust_roles.all().delete()
    concern = report(world, about=[world.head, world.deputy])
    assert concern.routed_to == routing.TEAM_FALLBACK
    assert client_for("dsl").get(detail(concern)).status_code == 200
    sees_nothing(client_for("deputy"), world, concern)
    sees_nothing(client_for("head"), world, concern)
    receipt = client_for("teacher").get(reverse("concerns:receipt_detail", args=["alpha", concern.pk]))
    assert "has not set who receives allegations about the headteacher" in receipt.content.decode()
    assert "No route is set" in client_for("dsl").get(reverse("core:dashboard", args=["alpha"])).content.decode()
