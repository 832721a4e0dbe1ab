"""The learner, class and staff pages: need-to-know, tenancy, flags, audit and live filtering (ROL-01)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils.html import escape

from harbour.audit.models import AuditEvent
from harbour.core.tests import factories as f


@pytest.fixture(autouse=True)
def distinct_names(world):
    """Random factory surnames can collide with a signed-in user's name in the page header."""
    for learner, surname in (
        (world.learner, "Quillfeather"),
        (world.learner2, "Marchbanks"),
        (world.other_learner, "Thistlewood"),
    ):
        learner.last_name = surname
        learner.save(update_fields=["last_name"])
    for teacher, surname in ((world.class_a, "Ravensworth"), (world.class_b, "Penhaligon")):
        teacher.teachers.update(last_name=surname)


def url(name: str, *args: object, school: str = "alpha") -> str:
    return reverse(f"people:{name}", args=[school, *args])


def every_people_url(world) -> list[str]:
    return [
        url("learner_list"),
        url("learner_detail", world.learner.pk),
        url("learner_detail", world.learner2.pk),
        url("class_list"),
        url("class_detail", world.class_a.pk),
        url("staff_list"),
    ]


# --- Tenancy -------------------------------------------------------------------------------------


def test_outsider_gets_404_on_every_people_page_of_another_school(world, client_for):
    """ROL-01: a DSL of another school cannot open, or learn anything from, alpha's people pages."""
    client = client_for("outsider")
    for address in every_people_url(world):
        response = client.get(address)
        assert response.status_code == 404, address
        assert b"Alpha Primary" not in response.content
        assert world.learner.last_name.encode() not in response.content


def test_outsider_cannot_reach_alpha_records_through_their_own_school(world, client_for):
    """ROL-01: alpha's ids typed into beta's URLs are not found either."""
    client = client_for("outsider")
    assert client.get(url("learner_detail", world.learner.pk, school="beta")).status_code == 404
    assert client.get(url("class_detail", world.class_a.pk, school="beta")).status_code == 404


def test_outsiders_own_lists_show_nothing_of_alpha(world, client_for):
    """ROL-01: the outsider's learner, class and staff lists hold their own school only."""
    client = client_for("outsider")
    learners = client.get(url("learner_list", school="beta"))
    assert learners.status_code == 200
    assert world.other_learner.last_name.encode() in learners.content
    assert world.learner.last_name.encode() not in learners.content
    assert world.learner2.last_name.encode() not in learners.content
    classes = client.get(url("class_list", school="beta"))
    assert b"3 Elm" in classes.content
    assert b"3 Oak" not in classes.content
    staff = client.get(url("staff_list", school="beta"))
    assert b"Ravensworth" not in staff.content


# --- Need-to-know --------------------------------------------------------------------------------


def test_teacher_sees_own_class_learner_only_in_list(world, client_for):
    """ROL-01: a teacher's learner list holds the classes they teach."""
    response = client_for("teacher").get(url("learner_list"))
    assert response.status_code == 200
    assert world.learner.last_name.encode() in response.content
    assert world.learner2.last_name.encode() not in response.content


def test_teacher_opens_own_class_learner(world, client_for):
    response = client_for("teacher").get(url("learner_detail", world.learner.pk))
    assert response.status_code == 200
    assert world.learner.upn.encode() in response.content


def test_teacher_gets_404_on_teacher2s_learner(world, client_for):
    """ROL-01: no need-to-know means not found, never forbidden."""
    response = client_for("teacher").get(url("learner_detail", world.learner2.pk))
    assert response.status_code == 404
    assert world.learner2.last_name.encode() not in response.content


@pytest.mark.parametrize("persona", ["governor", "technician"])
def test_roles_without_learner_access_get_404_on_learner_pages(world, client_for, persona):
    """ROL-01: governors and technicians see no learner."""
    client = client_for(persona)
    assert client.get(url("learner_list")).status_code == 404
    assert client.get(url("learner_detail", world.learner.pk)).status_code == 404


def test_governor_gets_404_on_class_and_staff_lists(world, client_for):
    """ROL-01: governors see anonymised figures only, not the staff or class lists."""
    client = client_for("governor")
    assert client.get(url("class_list")).status_code == 404
    assert client.get(url("class_detail", world.class_a.pk)).status_code == 404
    assert client.get(url("staff_list")).status_code == 404


def test_technician_sees_class_but_no_learner_names(world, client_for):
    """ROL-01: a technician may see classes and teachers, not who is in them."""
    response = client_for("technician").get(url("class_detail", world.class_a.pk))
    assert response.status_code == 200
    assert b"Ravensworth" in response.content
    assert world.learner.last_name.encode() not in response.content


def test_class_detail_lists_only_learners_the_teacher_may_see(world, client_for):
    """ROL-01: teacher2 may open teacher's class but not see its learners."""
    own = client_for("teacher").get(url("class_detail", world.class_a.pk))
    assert world.learner.last_name.encode() in own.content
    other = client_for("teacher2").get(url("class_detail", world.class_a.pk))
    assert other.status_code == 200
    assert world.learner.last_name.encode() not in other.content


def test_class_list_shows_teachers_and_counts(world, client_for):
    f.LearnerFactory(school=world.school, school_class=world.class_a, left_on=datetime.date(2024, 7, 19))
    response = client_for("teacher").get(url("class_list"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "3 Oak" in content
    assert "4 Ash" in content
    assert "Ravensworth" in content
    assert "<td>1</td>" in content
    assert "<td>2</td>" not in content  # the leaver is not counted as on roll


# --- Vulnerability flags and family contacts -----------------------------------------------------


@pytest.mark.parametrize("persona", ["teacher", "office"])
def test_vulnerability_flags_hidden_from_roles_without_clearance(world, client_for, persona):
    """ROL-01: SEND and looked-after status are need-to-know."""
    client = client_for(persona)
    detail = client.get(url("learner_detail", world.learner.pk))
    assert detail.status_code == 200
    assert b"SEN support" not in detail.content
    assert b"Looked after" not in detail.content
    listing = client.get(url("learner_list"))
    assert b"SEN support" not in listing.content
    assert b'name="flag"' not in listing.content


def test_dsl_sees_vulnerability_flags(world, client_for):
    client = client_for("dsl")
    detail = client.get(url("learner_detail", world.learner.pk))
    assert b"SEN support" in detail.content
    assert b"Looked after" in detail.content
    listing = client.get(url("learner_list"))
    assert b"SEN support" in listing.content
    assert b'name="flag"' in listing.content


def test_dsl_filters_by_flag_from_dashboard_link(world, client_for):
    """The dashboard's ?flag=send link narrows the list to those learners."""
    response = client_for("dsl").get(url("learner_list"), {"flag": "send"})
    assert world.learner.last_name.encode() in response.content
    assert world.learner2.last_name.encode() not in response.content


def test_flag_filter_is_ignored_for_teacher(world, client_for):
    """ROL-01: a teacher cannot work out who is looked after by filtering on it."""
    unflagged = f.LearnerFactory(school=world.school, school_class=world.class_a, last_name="Unflagged")
    response = client_for("teacher").get(url("learner_list"), {"flag": "looked_after"})
    assert response.status_code == 200
    assert unflagged.last_name.encode() in response.content


def test_office_sees_parent_contacts_but_teacher_does_not(world, client_for):
    """ROL-01: family contact details only for roles with VIEW_PARENTS."""
    parent = world.learner.parent_links.get().parent
    office = client_for("office").get(url("learner_detail", world.learner.pk))
    assert parent.email.encode() in office.content
    teacher = client_for("teacher").get(url("learner_detail", world.learner.pk))
    assert parent.email.encode() not in teacher.content


# --- Audit ---------------------------------------------------------------------------------------


def test_opening_a_learner_is_audited(world, client_for):
    """ROL-01: every read of a learner record leaves a trace."""
    client_for("dsl").get(url("learner_detail", world.learner.pk))
    event = AuditEvent.objects.get(action="learner.view")
    assert event.actor == world.dsl.user
    assert event.object_id == str(world.learner.pk)
    assert event.school == world.school


def test_refused_learner_read_writes_no_view_event(world, client_for):
    client_for("teacher").get(url("learner_detail", world.learner2.pk))
    assert not AuditEvent.objects.filter(action="learner.view").exists()


# --- Search, filters, htmx and pagination --------------------------------------------------------


def test_search_by_name(world, client_for):
    response = client_for("dsl").get(url("learner_list"), {"q": world.learner.last_name})
    assert world.learner.last_name.encode() in response.content
    assert world.learner2.last_name.encode() not in response.content


def test_filter_by_year_group_and_class(world, client_for):
    client = client_for("dsl")
    by_year = client.get(url("learner_list"), {"year_group": "4"})
    assert world.learner2.last_name.encode() in by_year.content
    assert world.learner.last_name.encode() not in by_year.content
    by_class = client.get(url("learner_list"), {"school_class": world.class_a.pk})
    assert world.learner.last_name.encode() in by_class.content
    assert world.learner2.last_name.encode() not in by_class.content


def test_unknown_class_filter_explains_itself(world, client_for):
    """Bad input: a clear, linked message; the page still works."""
    response = client_for("dsl").get(url("learner_list"), {"school_class": "999999"})
    assert response.status_code == 200
    assert b'href="#id_school_class"' in response.content
    assert b"Select a valid choice" in response.content


def test_class_filter_offers_only_the_teachers_classes(world, client_for):
    response = client_for("teacher").get(url("learner_list"))
    assert b"3 Oak" in response.content
    assert b"4 Ash" not in response.content


def test_htmx_request_gets_only_the_results_partial(world, client_for):
    response = client_for("dsl").get(url("learner_list"), {"q": world.learner.last_name}, HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in content
    assert "<form" not in content
    assert 'data-results-summary="1 learner found"' in content
    assert escape(world.learner.last_name) in content
    assert "HX-Request" in response["Vary"]


def test_full_page_carries_live_filter_wiring(world, client_for):
    content = client_for("dsl").get(url("learner_list")).content.decode()
    assert "<html" in content
    assert 'hx-target="#learner-results"' in content
    assert 'id="results-status"' in content


def test_htmx_history_restore_gets_the_whole_page(world, client_for):
    response = client_for("dsl").get(
        url("learner_list"), HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    )
    assert b"<html" in response.content


def test_learner_list_is_paginated_by_fifty(world, client_for):
    f.LearnerFactory.create_batch(50, school=world.school, school_class=world.class_a)
    client = client_for("dsl")
    first = client.get(url("learner_list"))
    assert first.context["page"].paginator.num_pages == 2
    assert len(first.context["page"].object_list) == 50
    assert b"Page 1 of 2" in first.content
    second = client.get(url("learner_list"), {"page": 2})
    assert len(second.context["page"].object_list) == 2


def test_staff_list_search_and_login_status(world, client_for):
    f.StaffMemberFactory(school=world.school, first_name="Nadia", last_name="Okafor", job_title="Site manager")
    client = client_for("teacher")
    response = client.get(url("staff_list"), {"q": "site"})
    content = response.content.decode()
    assert "Okafor" in content
    assert "Ravensworth" not in content
    assert "No login" in content
    assert "Has a login" not in content
    everyone = client.get(url("staff_list")).content.decode()
    assert "Ravensworth" in everyone
    assert "Has a login" in everyone


def test_staff_list_hides_leavers_until_asked(world, client_for):
    f.StaffMemberFactory(school=world.school, last_name="Departed", left_on=datetime.date(2023, 8, 31))
    client = client_for("teacher")
    assert b"Departed" not in client.get(url("staff_list")).content
    assert b"Departed" in client.get(url("staff_list"), {"status": "left"}).content
    assert b"Departed" in client.get(url("staff_list"), {"status": "all"}).content


def test_staff_htmx_request_gets_only_the_results_partial(world, client_for):
    response = client_for("teacher").get(url("staff_list"), {"q": "Ravensworth"}, HTTP_HX_REQUEST="true")
    assert b"<html" not in response.content
    assert b"data-results-summary" in response.content
