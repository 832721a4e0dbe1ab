"""Red-team findings 1, 2 and 8 on allegations about staff (issue 12 points 1 and 2, INC-STAFF-05).

1. A head named in an open allegation could make a friend chair (or remove the chair) and so move
   the allegation about themselves away from the real chair. Only a governor may be chair; someone
   named in an open concern cannot change the route; the chair cannot change while an allegation
   about the head is open.
8. The same named head could point the second route (LADO) at any address.
2. A named person whose staff record has no linked login (MIS import) was not recognised: matched
   now also by the login address of an active member of the school.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from harbour.accounts.roles import Role
from harbour.audit.models import AuditEvent
from harbour.concerns import allegation_route, routing, services
from harbour.concerns.models import AllegationRoute, Concern
from harbour.concerns.tests.conftest import make_chair
from harbour.concerns.tests.test_need_to_know_staff import detail, mailed, notified, report
from harbour.core.tests import factories as f


def _chair(world):
    world.governor.refresh_from_db()
    return world.governor.is_chair_of_governors


# --- finding 1 / 8 -----------------------------------------------------------------------------


def test_named_head_cannot_reroute_an_allegation_about_them_to_a_friend(world, client_for):
    make_chair(world.governor)
    concern = report(world, about=[world.head])
    assert concern.routed_to == routing.CHAIR
    # Teacher2 is not a governor: refused outright.
    with pytest.raises(ValidationError):
        allegation_route.chair_set(actor=world.head, membership=world.teacher2)
    # Even another governor cannot be made chair by the head named in an open concern.
    friend = f.MembershipFactory(school=world.school, role=Role.GOVERNOR)
    with pytest.raises(ValidationError) as exc:
        allegation_route.chair_set(actor=world.head, membership=friend)
    assert "named in a concern" in str(exc.value)
    with pytest.raises(ValidationError):
        allegation_route.chair_set(actor=world.head, membership=None)
    assert _chair(world)
    assert AuditEvent.objects.filter(action="concern.allegation_route_refused").exists()
    assert client_for("governor").get(detail(concern)).status_code == 200
    assert client_for("head").get(detail(concern)).status_code == 404


def test_admin_cannot_move_the_chair_while_an_allegation_about_the_head_is_open(world):
    make_chair(world.governor)
    concern = report(world, about=[world.head])
    other = f.MembershipFactory(school=world.school, role=Role.GOVERNOR)
    with pytest.raises(ValidationError) as exc:
        allegation_route.chair_set(actor=world.admin, membership=other)
    assert "still open" in str(exc.value)
    assert _chair(world)
    # Once closed, the chair may change again.
    Concern.objects.filter(pk=concern.pk).update(status=Concern.Status.CLOSED)
    allegation_route.chair_set(actor=world.admin, membership=other)
    assert not _chair(world)


def test_a_stray_chair_flag_on_a_non_governor_gives_no_access(world, client_for):
    make_chair(world.governor)
    concern = report(world, about=[world.head])
    make_chair(world.teacher2)  # set directly, bypassing the service
    assert client_for("teacher2").get(detail(concern)).status_code == 404
    assert client_for("governor").get(detail(concern)).status_code == 200


def test_named_head_cannot_point_the_second_route_elsewhere(world, client_for):
    report(world, about=[world.head])
    with pytest.raises(ValidationError):
        allegation_route.second_route_set(actor=world.head, second_route="lado", lado_email="friend@example.org")
    assert not AllegationRoute.objects.filter(school=world.school, lado_email="friend@example.org").exists()
    # Through the page too: refused, nothing saved, refusal audited.
    page = reverse("concerns:allegation_route", args=["alpha"])
    response = client_for("head").post(page, {"chair": "", "second_route": "lado", "lado_email": "friend@example.org"})
    assert response.status_code == 400
    assert not AllegationRoute.objects.filter(school=world.school, lado_email="friend@example.org").exists()
    assert AuditEvent.objects.filter(action="concern.allegation_route_refused").count() >= 2


def test_an_admin_named_in_an_open_concern_cannot_change_the_route_but_the_head_can(world):
    report(world, about=[world.admin])
    with pytest.raises(ValidationError):
        allegation_route.second_route_set(actor=world.admin, second_route="lado", lado_email="x@example.org")
    allegation_route.second_route_set(actor=world.head, second_route="lado", lado_email="x@example.org")
    assert AllegationRoute.objects.get(school=world.school).lado_email == "x@example.org"


# --- finding 2 ---------------------------------------------------------------------------------


def test_head_named_through_an_unlinked_staff_record_is_hidden_and_not_told(
    world, client_for, django_capture_on_commit_callbacks
):
    make_chair(world.governor)
    record = f.StaffMemberFactory(school=world.school, user=None, email=world.head.user.email.upper())
    with django_capture_on_commit_callbacks(execute=True):
        concern = services.concern_report(
            actor=world.teacher,
            category="radicalisation_extremism",
            occurred_at=timezone.now(),
            summary="Extremist videos shared",
            description="Videos praising a banned group were shown on a phone at lunch.",
            involvements=[services.Involvement(learner_id=world.learner.pk)],
            subject_staff_ids=[record.pk],
        )
    assert concern.routed_to == routing.CHAIR
    assert client_for("head").get(detail(concern)).status_code == 404
    assert not notified(world.head.user, concern)
    assert not mailed(world.head.user)
    assert client_for("governor").get(detail(concern)).status_code == 200
    # And the head, named, may not change the route now.
    with pytest.raises(ValidationError):
        allegation_route.chair_set(actor=world.head, membership=None)


def test_deputy_named_through_an_unlinked_record_loses_an_earlier_share(world, client_for):
    concern = report(world, category="cyberbullying")
    services.concern_share(actor=world.dsl, concern=concern, user=world.deputy.user, reason="Helping with support")
    assert client_for("deputy").get(detail(concern)).status_code == 200
    record = f.StaffMemberFactory(school=world.school, user=None, email=world.deputy.user.email)
    concern.refresh_from_db()
    services.concern_name_staff(
        actor=world.dsl, concern=concern, staff_ids=[record.pk], reason="About the deputy", version=concern.version
    )
    assert client_for("deputy").get(detail(concern)).status_code == 404


def test_chair_stays_while_a_concern_sent_down_the_head_route_is_open(world):
    """Every head named or conflicted: it went to the chair without naming the head; chair stays."""
    make_chair(world.governor)
    concern = report(world, about=[world.deputy])
    Concern.objects.filter(pk=concern.pk).update(routed_to=routing.CHAIR)
    with pytest.raises(ValidationError):
        allegation_route.chair_set(actor=world.admin, membership=None)
    assert _chair(world)
