"""The agency directory: reads for everyone, changes by the team, last-verified dates (REP-23)."""

from __future__ import annotations

import copy
from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse

from harbour.audit.models import AuditEvent
from harbour.concerns import agencies, agency_seed
from harbour.concerns.models import Agency
from harbour.schools import policy_defaults


def add(world, actor="dsl", **fields):
    values = {"kind": Agency.Kind.LADO, "name": "Local LADO team", "phone": "0300 000 0000", **fields}
    return agencies.agency_create(actor=world.persona(actor), **values)


def directory(world):
    return reverse("concerns:agencies", args=[world.school.slug])


# --- services -------------------------------------------------------------------------------------


def test_team_adds_an_entry_and_it_is_audited(world):
    agency = add(world, website="www.example.org/lado")
    assert agency.school == world.school
    assert agency.website == "https://www.example.org/lado"
    assert agency.last_verified_on is None
    assert AuditEvent.objects.filter(action="agency.create", object_id=str(agency.pk), actor=world.dsl.user).exists()


@pytest.mark.parametrize("persona", ["teacher", "technician", "governor", "slt"])
def test_only_the_team_changes_the_directory(world, persona):
    with pytest.raises(PermissionDenied):
        add(world, actor=persona)
    agency = add(world)
    with pytest.raises(PermissionDenied):
        agencies.agency_verify(actor=world.persona(persona), agency=agency)
    with pytest.raises(PermissionDenied):
        agency_seed.agency_seed_from_policy(school=world.school, actor=world.persona(persona))
    assert Agency.objects.count() == 1


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": "  "}, "name"),
        ({"kind": "astrologer"}, "kind"),
        ({"website": "javascript:alert(1)"}, "website"),
        ({"email": "not an email"}, "email"),
        ({"phone": "ring the office"}, "phone"),
        ({"for_staff": False}, "for_staff"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_stored(world, fields, field):
    with pytest.raises(ValidationError) as raised:
        add(world, **fields)
    assert field in raised.value.message_dict
    assert not Agency.objects.exists()


def test_verify_sets_today(world):
    """REP-23: checking an entry records the date it was checked."""
    agency = add(world)
    with time_machine.travel(date(2026, 10, 5)):
        agencies.agency_verify(actor=world.deputy, agency=agency)
    agency.refresh_from_db()
    assert agency.last_verified_on == date(2026, 10, 5)
    event = AuditEvent.objects.get(action="agency.verify")
    assert event.changes == {"last_verified_on": [None, "2026-10-05"]}


def test_update_keeps_the_old_values_in_the_audit_and_can_retire(world):
    agency = add(world)
    agencies.agency_update(
        actor=world.head, agency=agency, kind=Agency.Kind.LADO, name="LADO", phone="0300 111 1111", is_active=False
    )
    agency.refresh_from_db()
    assert (agency.name, agency.is_active) == ("LADO", False)
    changes = AuditEvent.objects.get(action="agency.update").changes
    assert changes["phone"] == ["0300 000 0000", "0300 111 1111"]
    assert changes["is_active"] == [True, False]
    assert agency in agencies.agency_list(actor=world.dsl, include_inactive=True)
    assert agency not in agencies.agency_list(actor=world.teacher)


def test_entries_are_per_school(world):
    agency = add(world)
    assert not agencies.agency_list(actor=world.outsider).exists()
    with pytest.raises(Http404):
        agencies.agency_get(actor=world.outsider, pk=agency.pk)
    # The DSL of another school manages a directory, just not this one.
    with pytest.raises(Http404):
        agencies.agency_verify(actor=world.outsider, agency=agency)
    with pytest.raises(Http404):
        agencies.agency_update(actor=world.outsider, agency=agency, kind="lado", name="Hijacked")
    agency.refresh_from_db()
    assert (agency.name, agency.last_verified_on) == ("Local LADO team", None)


@pytest.mark.parametrize(
    ("last_verified", "due"),
    [(None, True), (date(2025, 11, 1), True), (date(2025, 11, 2), False), (date(2026, 6, 1), False)],
)
def test_entries_unchecked_for_twelve_months_are_due(last_verified, due):
    agency = Agency(last_verified_on=last_verified)
    assert agencies.verification_due(agency, today=date(2026, 11, 2)) is due


def test_a_year_before_29_february_is_28_february():
    assert agencies.verification_due(Agency(last_verified_on=date(2023, 2, 28)), today=date(2024, 2, 29)) is False
    assert agencies.verification_due(Agency(last_verified_on=date(2023, 2, 27)), today=date(2024, 2, 29)) is True


# --- seeding from the policy ------------------------------------------------------------------------


def seed(world, settings):
    world.school.policy_settings = copy.deepcopy(settings)
    world.school.save()
    return agency_seed.agency_seed_from_policy(school=world.school)


def test_seed_from_joy_lane_policy_merges_duplicates(world):
    created = seed(world, policy_defaults.JOY_LANE)
    names = [a.name for a in created]
    assert len(names) == len({n.lower() for n in names})
    police = Agency.objects.get(school=world.school, kind=Agency.Kind.POLICE, name="Kent Police")
    assert "999" in police.phone
    assert "101" in police.phone
    assert police.website == "http://www.kent.police.uk/internetsafety"  # filled in from the local contact
    assert Agency.objects.filter(name__iexact="childline").count() == 1
    assert Agency.objects.filter(name="Specialist Children's Services", kind=Agency.Kind.SOCIAL_CARE).exists()
    assert Agency.objects.filter(name="LightSpeed Filtering", kind=Agency.Kind.FILTERING).exists()
    adviser = Agency.objects.get(name="Rebecca Avery")
    assert (adviser.kind, adviser.email) == (Agency.Kind.ADVICE_SERVICE, "esafetyofficer@kent.gov.uk")
    assert Agency.objects.get(name="KELSI child protection and safeguarding").kind == Agency.Kind.OTHER
    assert all(a.last_verified_on is None for a in created)  # every seeded entry waits for a human check
    assert AuditEvent.objects.filter(action="agency.seed", school=world.school).count() == 1


def test_seed_from_st_james_policy_and_national_services(world):
    seed(world, policy_defaults.ST_JAMES)
    kinds = set(Agency.objects.values_list("kind", flat=True))
    assert {"police", "social_care", "lado", "advice_service", "ceop", "iwf", "helpline"} <= kinds
    assert Agency.objects.get(kind=Agency.Kind.POLICE).name == "Police"
    national = {"CEOP", "Childline", "NSPCC helpline", "Professionals Online Safety Helpline", "Action Fraud"}
    assert national <= set(Agency.objects.values_list("name", flat=True))


def test_seed_gives_phone_numbers_only_where_certain(world):
    """Harbour states only numbers it is sure of; the school fills in the rest when it checks."""
    seed(world, {})
    phones = {a.name: a.phone for a in Agency.objects.all() if a.phone}
    assert phones == {"Police": "999 in an emergency; 101 otherwise", "Childline": "0800 1111"}


def test_seed_again_adds_nothing_and_never_overwrites(world):
    seed(world, policy_defaults.JOY_LANE)
    edited = Agency.objects.get(name="Childline")
    edited.notes = "Our own note"
    edited.save()
    assert seed(world, policy_defaults.JOY_LANE) == []
    edited.refresh_from_db()
    assert edited.notes == "Our own note"


def test_seed_texts_never_ask_for_images(world):
    """INC-YPSI-10: no text Harbour writes asks anyone to send or keep a suspected image."""
    seed(world, {})
    iwf = Agency.objects.get(kind=Agency.Kind.IWF)
    assert "Never download, copy, save or pass on the image" in iwf.notes


# --- pages ----------------------------------------------------------------------------------------------


def test_every_member_reads_the_directory_with_stale_flags(world, client_for):
    add(world, name="Never checked")
    response = client_for("teacher").get(directory(world))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Never checked" in body
    assert "Check this number" in body
    assert "Mark as checked today" not in body
    assert "Add an entry" not in body


def test_outsider_gets_404_on_the_directory(world, client_for):
    add(world)
    assert client_for("outsider").get(directory(world)).status_code == 404


def test_dsl_sees_tools_and_checked_entries_lose_the_flag(world, client_for):
    agency = add(world, name="Checked one")
    client = client_for("dsl")
    assert "Add an entry" in client.get(directory(world)).content.decode()
    response = client.post(reverse("concerns:agency_verify", args=[world.school.slug, agency.pk]))
    assert response.status_code == 302
    agency.refresh_from_db()
    assert agency.last_verified_on is not None
    assert "Check this number" not in client.get(directory(world)).content.decode()


@pytest.mark.parametrize("persona", ["teacher", "governor"])
def test_non_team_gets_404_on_every_change(world, client_for, persona):
    agency = add(world)
    client = client_for(persona)
    slug = world.school.slug
    assert client.get(reverse("concerns:agency_new", args=[slug])).status_code == 404
    assert client.get(reverse("concerns:agency_edit", args=[slug, agency.pk])).status_code == 404
    assert client.post(reverse("concerns:agency_verify", args=[slug, agency.pk])).status_code == 404
    assert client.post(reverse("concerns:agency_seed", args=[slug])).status_code == 404
    agency.refresh_from_db()
    assert agency.last_verified_on is None
    assert Agency.objects.count() == 1


def test_add_form_shows_errors_and_saves_nothing(world, client_for):
    response = client_for("dsl").post(
        reverse("concerns:agency_new", args=[world.school.slug]),
        {"kind": "police", "name": "Police", "website": "javascript:alert(1)", "for_staff": "on"},
    )
    assert response.status_code == 400
    assert "Enter a web address like https://www.example.org." in response.content.decode()
    assert not Agency.objects.exists()


def test_add_and_edit_through_the_pages(world, client_for):
    client = client_for("deputy")
    slug = world.school.slug
    response = client.post(
        reverse("concerns:agency_new", args=[slug]),
        {
            "kind": "social_care",
            "name": "Front door",
            "phone": "0300 222 2222",
            "for_staff": "on",
            "verified_today": "on",
        },
    )
    assert response.status_code == 302
    agency = Agency.objects.get()
    assert agency.last_verified_on is not None
    edit = reverse("concerns:agency_edit", args=[slug, agency.pk])
    assert "Front door" in client.get(edit).content.decode()
    client.post(edit, {"kind": "social_care", "name": "Front door team", "for_staff": "on", "for_parents": "on"})
    agency.refresh_from_db()
    assert agency.name == "Front door team"
    assert agency.for_parents
    assert not agency.is_active  # "Still in use" left unticked retires the entry


def test_seed_button_fills_the_directory(world, client_for):
    response = client_for("head").post(reverse("concerns:agency_seed", args=[world.school.slug]))
    assert response.status_code == 302
    assert Agency.objects.filter(school=world.school, kind=Agency.Kind.CEOP).exists()
