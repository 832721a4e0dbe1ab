"""The reporting-routes page: whom to tell, what to do per kind of worry, outside help (REP-24, REP-25)."""

from __future__ import annotations

import pytest
from django.urls import NoReverseMatch, reverse

from harbour.concerns import agency_seed, categories, reporting_routes
from harbour.concerns.models import Agency


def routes(world):
    return reverse("concerns:routes", args=[world.school.slug])


@pytest.mark.parametrize("persona", ["teacher", "support", "technician", "office", "governor", "dsl"])
def test_every_member_opens_the_page(world, client_for, persona):
    assert client_for(persona).get(routes(world)).status_code == 200


def test_outsider_gets_404(world, client_for):
    assert client_for("outsider").get(routes(world)).status_code == 404


def test_dsl_is_named_first_then_deputy_then_head(world, client_for):
    """ROL-03: the DSL comes first, then the deputies, then the head for allegations about staff."""
    world.governor.is_chair_of_governors = True
    world.governor.save()
    contacts = reporting_routes.reporting_contacts(actor=world.teacher)
    assert [c.name for c in contacts] == [
        world.dsl.user.display_name,
        world.deputy.user.display_name,
        world.head.user.display_name,
        world.governor.user.display_name,
    ]
    assert contacts[3].role == "Chair of governors"
    body = client_for("teacher").get(routes(world)).content.decode()
    section = body[body.index('id="route-contacts"') :]
    assert section.index(world.dsl.user.display_name) < section.index(world.deputy.user.display_name)
    assert section.index(world.deputy.user.display_name) < section.index(world.head.user.display_name)


def test_every_category_has_steps_and_the_image_warning_is_shown(world, client_for):
    """REP-25: a few steps per kind of concern; no step ever asks for an image."""
    guidance = reporting_routes.route_guidance()
    assert [g.category_id for g in guidance] == [c.id for c in categories.CATEGORIES]
    assert all(g.steps and g.signpost for g in guidance)
    imagery = {g.category_id: g for g in guidance}["youth_produced_sexual_imagery"]
    assert reporting_routes.NEVER_HANDLE_IMAGES in imagery.steps
    body = client_for("teacher").get(routes(world)).content.decode()
    for category in categories.CATEGORIES:
        assert f'id="route-{category.id}"' in body
    assert "call 999 now" in body


def test_outside_help_is_split_by_audience(world, client_for):
    agency_seed.agency_seed_from_policy(school=world.school)
    Agency.objects.filter(name="Action Fraud").update(is_active=False)
    body = client_for("teacher").get(routes(world)).content.decode()
    learners = body[body.index('id="out-learners-h"') : body.index('id="out-parents-h"')]
    parents = body[body.index('id="out-parents-h"') :]
    assert "Childline" in learners
    assert "0800 1111" in learners
    assert "NSPCC helpline" not in learners
    assert "NSPCC helpline" in parents
    outside = body[body.index('id="outside-h"') :]
    assert "Action Fraud" not in outside  # retired entries are not offered


def test_links_to_the_report_form_when_it_exists(world, client_for):
    body = client_for("teacher").get(routes(world)).content.decode()
    try:
        report_url = reverse("concerns:report", args=[world.school.slug])
    except NoReverseMatch:
        pytest.skip("The report form is not installed")
    assert f'href="{report_url}"' in body
