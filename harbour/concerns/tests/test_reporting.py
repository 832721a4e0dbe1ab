"""The staff report form, its learner picker and "my reports" (REP-01, REP-02, REP-05, REP-07, REP-16)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from harbour.audit.models import AuditEvent
from harbour.concerns import categories, services
from harbour.concerns.models import Concern, ConcernEntry
from harbour.core.tests import factories as f

IMAGE_CATEGORIES = [c.id for c in categories.CATEGORIES if c.refuses_images]


@pytest.fixture(autouse=True)
def distinct_names(world):
    """Random factory surnames could match a search meant for someone else."""
    for learner, surname in (
        (world.learner, "Quillfeather"),
        (world.learner2, "Marchbanks"),
        (world.other_learner, "Thistlewood"),
    ):
        learner.last_name = surname
        learner.save(update_fields=["last_name"])


def url(name: str, *args: object, school: str = "alpha") -> str:
    return reverse(f"concerns:{name}", args=[school, *args])


def when(hours_ago: float = 2) -> str:
    return (timezone.localtime() - timedelta(hours=hours_ago)).strftime("%Y-%m-%dT%H:%M")


def report_data(world, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "category": "cyberbullying",
        "summary": "Name-calling in a game chat",
        "description": "Ada showed me messages in a game chat calling her names.",
        "childs_own_words": "They keep saying I'm stupid and nobody likes me",
        "immediate_actions": "Reassured Ada and told the DSL at lunch.",
        "occurred_at": when(),
        "location": "off_site",
        "equipment": "personal",
        "learner": [world.learner.pk, world.learner2.pk],
        f"part_{world.learner.pk}": "affected",
        f"part_{world.learner2.pk}": "alleged",
        "send": "1",
    }
    for key, value in overrides.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


# --- logging a concern -------------------------------------------------------------------------


def test_teacher_reports_a_concern_with_learners_entry_and_audit(world, client_for):
    """REP-01, REP-05, REP-06: the report is stored with each learner's part, a "reported" entry and an audit event."""
    response = client_for("teacher").post(url("report"), report_data(world))

    concern = Concern.objects.get()
    assert response.status_code == 302
    assert response.url == url("receipt_detail", concern.pk)
    assert concern.reported_by == world.teacher.user
    assert concern.category == "cyberbullying"
    assert (concern.location, concern.equipment) == ("off_site", "personal")
    assert concern.childs_own_words == "They keep saying I'm stupid and nobody likes me"
    parts = {i.learner_id: i.part for i in concern.involvements.all()}
    # learner2 is not in the teacher's class: a reporter may still name them.
    assert parts == {world.learner.pk: "affected", world.learner2.pk: "alleged"}
    assert list(concern.entries.values_list("kind", flat=True)) == [ConcernEntry.Kind.REPORTED]
    assert AuditEvent.objects.filter(action="concern.create", object_id=str(concern.pk)).exists()


def test_report_on_a_learners_behalf_is_recorded(world, client_for):
    """REP-02: a trusted adult logs it for a learner, with the child's own words."""
    client_for("support").post(url("report"), report_data(world, on_behalf_of_learner="on"))

    concern = Concern.objects.get()
    assert concern.reporter_kind == Concern.ReporterKind.ON_BEHALF
    assert concern.childs_own_words.startswith("They keep saying")


def test_report_with_no_learners_is_accepted(world, client_for):
    client_for("technician").post(url("report"), report_data(world, category="filtering_breach", learner=None))

    assert Concern.objects.get().involvements.count() == 0


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"occurred_at": when(hours_ago=-48)}, "This is in the future"),
        ({"category": "made_up"}, "Select a valid choice"),
        ({"description": ""}, "Describe what happened"),
        ({"summary": ""}, "Give the report a short title"),
        ({"occurred_at": "not a date"}, "Enter a date and time"),
    ],
    ids=["future-date", "unknown-category", "missing-description", "missing-summary", "bad-date"],
)
def test_bad_report_shows_a_clear_error_and_stores_nothing(world, client_for, overrides, message):
    response = client_for("teacher").post(url("report"), report_data(world, **overrides))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert "Nothing has been sent yet" in response.content.decode()
    assert not Concern.objects.exists()
    assert not AuditEvent.objects.filter(action="concern.create").exists()


def test_learner_of_another_school_is_refused_and_nothing_stored(world, client_for):
    data = report_data(world, learner=[world.other_learner.pk], **{f"part_{world.other_learner.pk}": "affected"})

    response = client_for("teacher").post(url("report"), data)

    assert "not on this school&#x27;s roll" in response.content.decode()
    assert not Concern.objects.exists()


def test_unknown_part_is_refused_and_nothing_stored(world, client_for):
    response = client_for("teacher").post(
        url("report"), report_data(world, **{f"part_{world.learner.pk}": "bystander"})
    )

    assert "affected, alleged to have caused harm, or a witness" in response.content.decode()
    assert not Concern.objects.exists()


def test_concern_about_staff_needs_the_member_of_staff(world, client_for):
    """INC-STAFF-05: without the named adult it could not be routed away from them."""
    response = client_for("teacher").post(url("report"), report_data(world, category="staff_misuse_allegation"))

    assert "Choose the member of staff this concern is about." in response.content.decode()
    assert not Concern.objects.exists()


def test_concern_about_staff_names_them_and_is_routed(world, client_for):
    subject = f.StaffMemberFactory(school=world.school, first_name="Sam", last_name="Example")
    data = report_data(world, category="staff_misuse_allegation", subject_staff=str(subject.pk))

    client_for("teacher").post(url("report"), data)

    assert list(Concern.objects.get().subject_staff.all()) == [subject]


def test_staff_named_in_any_category_are_recorded_and_route_it_to_the_head(world, client_for):
    """Issue 12 point 1 (INC-RAD-04): naming a member of staff is no longer only for one category."""
    subject = f.StaffMemberFactory(school=world.school)

    client_for("teacher").post(url("report"), report_data(world, subject_staff=str(subject.pk)))

    concern = Concern.objects.get()
    assert list(concern.subject_staff.all()) == [subject]
    assert concern.routed_to == "head"


def test_staff_picker_lists_current_staff_names_only(world, client_for):
    f.StaffMemberFactory(school=world.school, first_name="Current", last_name="Colleague", email="cc@alpha.test")
    f.StaffMemberFactory(school=world.school, first_name="Long", last_name="Gone", left_on=date(2020, 7, 31))
    f.StaffMemberFactory(school=world.other_school, first_name="Other", last_name="School")

    page = client_for("teacher").get(url("report")).content.decode()

    assert "Current Colleague" in page
    assert "cc@alpha.test" not in page
    assert "Long Gone" not in page
    assert "Other School" not in page


@pytest.mark.parametrize("persona", ["governor", "outsider"])
def test_report_form_is_404_for_those_who_cannot_report_here(world, client_for, persona):
    """REP-01 is for staff of this school; governors use the public route and other schools see nothing."""
    client = client_for(persona)

    assert client.get(url("report")).status_code == 404
    assert client.post(url("report"), report_data(world)).status_code == 404
    assert not Concern.objects.exists()


def test_report_form_names_the_dsl_and_says_call_999(world, client_for):
    """REP-16, ROL-03: the safeguarding contacts and the 999 instruction are above the form."""
    page = client_for("teacher").get(url("report")).content.decode()

    assert escape(world.dsl.user.display_name) in page
    assert "If a child is in immediate danger, call 999 now." in page


def test_report_form_defaults_when_to_now(world, client_for):
    page = client_for("teacher").get(url("report")).content.decode()

    assert f'value="{timezone.localtime():%Y-%m-%dT%H}' in page


@pytest.mark.parametrize("category", IMAGE_CATEGORIES)
def test_sexual_imagery_categories_never_show_an_upload_field(world, client_for, category):
    """INC-YPSI-12, INC-CSAE-12, INC-IIOC-06: guidance instead of an upload, even when redrawn with errors."""
    client = client_for("teacher")

    blank = client.get(url("report")).content.decode()
    redrawn = client.post(url("report"), report_data(world, category=category, description="")).content.decode()

    for page in (blank, redrawn):
        assert 'type="file"' not in page
        assert "multipart/form-data" not in page
        assert "switch it off if that is safe" in page
    assert "is-shown" in redrawn.split('id="image-guidance"')[0].rsplit("<div", 1)[1]


# --- the learner picker ------------------------------------------------------------------------


def test_picker_finds_a_learner_outside_the_teachers_class_by_name_and_class_only(world, client_for):
    """The need-to-know trade-off: any learner of the school, but name and class only, audited."""
    response = client_for("teacher2").get(url("report_learner_search"), {"learner_q": "Quillfeather"})

    page = response.content.decode()
    assert "Ada Quillfeather" in page
    assert "3 Oak" in page
    # Ada has SEND and looked-after flags; the picker never shows them.
    assert "SEN" not in page
    assert "Looked after" not in page
    assert str(world.learner.date_of_birth.year) not in page
    event = AuditEvent.objects.get(action="learner.search")
    assert event.changes == {"query": "Quillfeather", "matches": 1}
    assert event.actor == world.teacher2.user


def test_picker_never_finds_another_schools_learner(world, client_for):
    page = client_for("teacher").get(url("report_learner_search"), {"learner_q": "Thistlewood"}).content.decode()

    assert "Thistlewood" in page  # echoed in the "no match" message only
    assert "Add Cleo" not in page


def test_picker_finds_by_upn(world, client_for):
    world.learner2.upn = "A123456789012"
    world.learner2.save(update_fields=["upn"])

    page = client_for("teacher").get(url("report_learner_search"), {"learner_q": "a123456789012"}).content.decode()

    assert "Add Ben Marchbanks" in page


def test_picker_leaves_out_learners_who_have_left(world, client_for):
    world.learner2.left_on = date(2020, 7, 31)
    world.learner2.save(update_fields=["left_on"])

    page = client_for("teacher").get(url("report_learner_search"), {"learner_q": "Marchbanks"}).content.decode()

    assert "Add Ben" not in page


def test_picker_needs_two_characters_and_shows_at_most_ten(world, client_for):
    for n in range(12):
        f.LearnerFactory(school=world.school, first_name=f"Zed{n}", last_name="Manyname")
    client = client_for("teacher")

    short = client.get(url("report_learner_search"), {"learner_q": "M"}).content.decode()
    many = client.get(url("report_learner_search"), {"learner_q": "Manyname"}).content.decode()

    assert "Add " not in short
    assert many.count("Add Zed") == 10
    assert AuditEvent.objects.filter(action="learner.search").count() == 1


def test_picker_is_404_for_a_governor(world, client_for):
    response = client_for("governor").get(url("report_learner_search"), {"learner_q": "Quillfeather"})

    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="learner.search").exists()


def test_htmx_add_and_remove_keep_the_chosen_learners_and_parts(world, client_for):
    client = client_for("teacher")
    added = client.get(
        url("report_learner_chosen"),
        {"learner": world.learner.pk, f"part_{world.learner.pk}": "witness", "add_learner": world.learner2.pk},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    removed = client.get(
        url("report_learner_chosen"),
        {"learner": [world.learner.pk, world.learner2.pk], "remove_learner": world.learner.pk},
        HTTP_HX_REQUEST="true",
    ).content.decode()

    assert f'name="learner" value="{world.learner.pk}"' in added
    assert f'name="learner" value="{world.learner2.pk}"' in added
    assert '<option value="witness" selected>' in added
    assert "<html" not in added
    assert f'name="learner" value="{world.learner.pk}"' not in removed
    assert f'name="learner" value="{world.learner2.pk}"' in removed


def test_chosen_list_drops_another_schools_learner(world, client_for):
    page = client_for("teacher").get(url("report_learner_chosen"), {"add_learner": world.other_learner.pk})

    assert "Cleo" not in page.content.decode()


def test_picker_buttons_work_without_javascript_and_store_nothing(world, client_for):
    client = client_for("teacher")
    data = report_data(world, learner=[world.learner.pk], send=None, add_learner=str(world.learner2.pk))

    page = client.post(url("report"), data).content.decode()
    searched = client.post(
        url("report"), report_data(world, send=None, find_learners="1", learner_q="Marchbanks", description="")
    ).content.decode()

    assert f'name="learner" value="{world.learner2.pk}"' in page
    assert "Name-calling in a game chat" in page  # what was typed is kept
    assert "Nothing has been sent yet" not in page
    assert "Add Ben Marchbanks" in searched
    assert "Nothing has been sent yet" not in searched
    assert not Concern.objects.exists()


def test_report_form_can_start_with_a_learner(world, client_for):
    page = client_for("teacher").get(url("report"), {"learner": world.learner2.pk}).content.decode()

    assert f'name="learner" value="{world.learner2.pk}"' in page


# --- receipts ----------------------------------------------------------------------------------


def test_reporter_sees_a_receipt_with_reference_and_status(world, client_for, make_concern):
    """REP-07: what they sent and a status; the view is audited."""
    concern = make_concern("teacher", childs_own_words="nobody likes me")

    page = client_for("teacher").get(url("receipt_detail", concern.pk)).content.decode()

    assert concern.reference in page
    assert "Received" in page
    assert "nobody likes me" in page
    assert "Ada Quillfeather" in page
    assert AuditEvent.objects.filter(action="concern.receipt_view", object_id=str(concern.pk)).exists()


def test_receipt_never_shows_the_teams_notes_decisions_or_outcome(world, client_for, make_concern):
    """REP-07: status moves on, but the DSL's work stays with the team."""
    concern = make_concern("teacher")
    concern = services.concern_acknowledge(actor=world.dsl, concern=concern)
    services.concern_add_note(actor=world.dsl, concern=concern, text="SECRET-NOTE spoke to parents")
    client = client_for("teacher")

    handling = client.get(url("receipt_detail", concern.pk)).content.decode()
    concern = services.concern_set_risk(
        actor=world.dsl, concern=concern, risk="high", reason="SECRET-RISK", version=concern.version
    )
    concern = services.concern_change_category(
        actor=world.dsl, concern=concern, category="peer_on_peer_abuse", reason="SECRET-WHY", version=concern.version
    )
    services.concern_close(actor=world.dsl, concern=concern, outcome="SECRET-OUTCOME", version=concern.version)
    closed = client.get(url("receipt_detail", concern.pk)).content.decode()
    listing = client.get(url("receipt_list")).content.decode()

    assert "Being handled" in handling
    assert "Closed" in closed
    for page in (handling, closed, listing):
        assert "SECRET" not in page
        assert "High" not in page
        assert "Peer-on-peer abuse" not in page  # the category stays as the reporter sent it
    assert "Cyberbullying" in closed
    assert "Cyberbullying" in listing


def test_reporter_without_need_to_know_gets_404_on_the_concern_page(world, client_for, make_concern):
    """REP-07: the receipt is theirs; the record is the team's. No link to it is offered either."""
    concern = make_concern("teacher")
    client = client_for("teacher")

    receipt = client.get(url("receipt_detail", concern.pk)).content.decode()

    assert client.get(url("detail", concern.pk)).status_code == 404
    assert client_for("teacher2").get(url("detail", concern.pk)).status_code == 404
    assert url("detail", concern.pk) not in receipt


def test_a_dsl_who_reports_is_offered_the_full_record(world, client_for, make_concern):
    concern = make_concern("dsl")

    receipt = client_for("dsl").get(url("receipt_detail", concern.pk)).content.decode()

    assert url("detail", concern.pk) in receipt


def test_my_reports_lists_only_my_own(world, client_for, make_concern):
    mine = make_concern("teacher", summary="Mine to see")
    make_concern("teacher2", summary="Someone else's")

    page = client_for("teacher").get(url("receipt_list")).content.decode()

    assert mine.reference in page
    assert "Mine to see" in page
    assert "Someone else" not in page


@pytest.mark.parametrize("persona", ["teacher2", "dsl", "outsider"])
def test_nobody_else_sees_a_teachers_receipt(world, client_for, make_concern, persona):
    """REP-07: a receipt is the reporter's alone — even the DSL works from the concern, not the receipt."""
    concern = make_concern("teacher")
    school = "beta" if persona == "outsider" else "alpha"

    response = client_for(persona).get(url("receipt_detail", concern.pk, school=school))

    assert response.status_code == 404


def test_reporter_is_taken_to_the_receipt_after_sending(world, client_for):
    client = client_for("teacher")

    response = client.post(url("report"), report_data(world), follow=True)

    page = response.content.decode()
    assert Concern.objects.get().reference in page
    assert "has been sent to the safeguarding team" in page
    assert "Received" in page


def test_receipt_shows_web_addresses_as_inert_text(world, client_for, make_concern):
    concern = make_concern("teacher", description="It was on https://bad.example/page and www.other.example")
    hidden = make_concern("technician", category="filtering_breach", learners=[], description="Got to bad.example/x")

    page = client_for("teacher").get(url("receipt_detail", concern.pk)).content.decode()
    hidden_page = client_for("technician").get(url("receipt_detail", hidden.pk)).content.decode()

    assert 'href="https://bad.example' not in page
    assert '<code class="inert-address">https://bad.example/page</code>' in page
    assert "bad.example" not in hidden_page
    assert "[web address hidden]" in hidden_page


def test_make_concern_fixture_uses_the_service(world, make_concern):
    concern = make_concern(learners=[(world.learner, "affected"), (world.learner2, "witness")])

    assert concern.reported_by == world.teacher.user
    assert concern.involvements.count() == 2
