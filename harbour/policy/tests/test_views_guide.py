"""The "Can I…?" guide pages (GOV-23): public pages for learners, parents and visitors, a staff page
behind sign-in, server-side search with htmx partials, child-friendly wording for learners.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from harbour.policy.rules import config_io

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def _seed(slug: str) -> dict:
    config, errors = config_io.load_yaml((SEEDS / f"{slug}.yaml").read_text())
    assert not errors, errors
    return config


@pytest.fixture
def joy_lane_alpha(world):
    """Alpha runs on Joy Lane's configuration (only the school's name kept), so answers are known."""
    config = _seed("joy-lane")
    config["school_name"] = world.school.name
    world.school.policy_settings = config
    world.school.save(update_fields=["policy_settings"])
    return world


def _url(name: str, slug: str = "alpha") -> str:
    return reverse(f"policy:{name}", args=[slug])


@pytest.mark.parametrize("name", ["guide_learners", "guide_parents", "guide_visitors"])
def test_public_guides_answer_anonymously(joy_lane_alpha, name):
    """GOV-23: the learners', parents' and visitors' guides are published to everyone, no sign-in."""
    response = Client().get(_url(name))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Alpha Primary School" in body
    assert "guide-entry" in body
    # The staff guide is not advertised to someone who is not signed in to the school.
    assert f'href="{_url("guide_staff")}"' not in body


def test_public_guide_of_unknown_school_is_404(db):
    assert Client().get(_url("guide_learners", "no-such-school")).status_code == 404


def test_staff_guide_needs_sign_in(joy_lane_alpha):
    """GOV-23: the staff guide is for the school's members; anonymous visitors are sent to sign in."""
    response = Client().get(_url("guide_staff"))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_staff_guide_404_for_outsiders(joy_lane_alpha, client_for):
    """Tenancy: the DSL of another school gets 404 on alpha's staff guide."""
    assert client_for("outsider").get(_url("guide_staff")).status_code == 404


def test_staff_guide_for_members_shows_clauses_and_dsl_variant(joy_lane_alpha, client_for):
    """GOV-23, INC-YPSI-14: staff see the verdict, the clause and, where it differs, the DSL's answer."""
    response = client_for("teacher").get(_url("guide_staff"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Can I look at a suspected nude image of a child?" in body
    assert "As the DSL or a deputy:" in body
    assert "11.1.1 p13" in body
    assert "Not allowed" in body
    assert "Only if…" in body
    assert _url("guide_learners") in body  # links to the other guides


def test_search_filters_questions_without_js(joy_lane_alpha):
    """GOV-23: ?q= filters on the server, so the page works without JavaScript."""
    response = Client().get(_url("guide_parents"), {"q": "exam"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Can my child take a phone into an exam?" in body
    assert "Can my child bring a phone or other device to school?" not in body
    assert 'value="exam"' in body
    assert "<html" in body


def test_search_with_htmx_returns_only_the_results(joy_lane_alpha):
    """htmx live filtering: an htmx request gets the results region, not the whole page."""
    response = Client().get(_url("guide_visitors"), {"q": "password"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert "data-results-summary" in body
    assert "password" in body.lower()


def test_search_with_no_match_says_so(joy_lane_alpha):
    body = Client().get(_url("guide_learners"), {"q": "zzzqqq"}).content.decode()
    assert "0 questions" in body
    assert "Try another word" in body


def test_learner_page_uses_child_friendly_wording(joy_lane_alpha):
    """GOV-23 (learners, child-friendly): short questions in the first person and plain verdicts."""
    body = Client().get(_url("guide_learners")).content.decode()
    assert "Can I bring my phone to school?" in body
    assert "No, you can&#x27;t." in body or "No, you can't." in body
    assert "Ask a grown-up" in body or "grown-up you trust" in body
    assert "guide--kid" in body
    # Adult wording stays off the learners' page.
    assert "Policy silent" not in body
    assert "designated safeguarding lead (DSL)" not in body


def test_page_without_configuration_still_renders(world):
    """A school with no policy yet: every answer is "policy silent", and nothing breaks."""
    response = Client().get(_url("guide_visitors"))
    assert response.status_code == 200
    assert "Policy silent" in response.content.decode()


def test_guides_are_get_only(joy_lane_alpha):
    assert Client().post(_url("guide_learners")).status_code == 405


def test_guide_follows_the_published_version_not_a_draft(world):
    """GOV-23 with GOV-05: the public guide answers from the version in force; an open draft changes
    nothing until it is published."""
    from datetime import date

    from harbour.policy import services

    published = _seed("joy-lane")
    published["school_name"] = world.school.name
    services.policy_version_adopt(school=world.school, config=published, note="Adopted", approved_on=date(2025, 9, 1))
    draft = dict(
        published,
        learner_personal_social_media_in_school_hours="not_permitted_unless_written_head_permission_for_education",
    )
    services.policy_version_save_draft(actor=None, school=world.school, config=draft, note="Try a change")
    body = Client().get(_url("guide_parents"), {"q": "social media during the school day"}).content.decode()
    assert "Can my child use social media during the school day?" in body
    assert "Not allowed" in body
    assert "Who can make an exception" not in body


def _draft_with_own_rule(world):
    """A published policy plus an open draft that forbids learners bringing phones (issue #21 point 4)."""
    import copy

    from harbour.policy import services
    from harbour.schools import policy_defaults

    config = copy.deepcopy(policy_defaults.ST_JAMES)
    config["school_name"] = world.school.name
    services.policy_version_adopt(school=world.school, config=config, note="Adopted", approved_on=None)
    draft = dict(
        config,
        rules={
            "bring_personal_phone_on_site": {
                "actors": ["learner"],
                "verdict": "forbidden",
                "explanation": "Draft only: no phones at all.",
            }
        },
    )
    services.policy_version_save_draft(actor=world.dsl, school=world.school, config=draft, note="Draft")


def test_editors_can_preview_the_guide_as_the_draft_makes_it(world, client_for):
    _draft_with_own_rule(world)
    url = f"/s/{world.school.slug}/policy/can-i/learners/"
    body = client_for("dsl").get(url + "?draft=1").content.decode()
    assert "Preview of draft version" in body
    assert "Draft only: no phones at all." in body
    assert "Draft only" not in client_for("dsl").get(url).content.decode()


@pytest.mark.parametrize("persona", ["teacher", "outsider", None])
def test_the_draft_preview_is_invisible_to_everyone_else(world, client_for, client, persona):
    _draft_with_own_rule(world)
    url = f"/s/{world.school.slug}/policy/can-i/learners/"
    browser = client_for(persona) if persona else client
    with_param = browser.get(url + "?draft=1")
    without = browser.get(url)
    assert with_param.status_code == without.status_code
    if with_param.status_code == 200:
        assert "Draft only" not in with_param.content.decode()
        assert "Preview of draft" not in with_param.content.decode()
