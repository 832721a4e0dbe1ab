"""INC-FILT-09 [SAFETY]: web addresses in breach records are inert text, never links or previews.

These tests fail if any page, export or API answer shows a breach's address as a link, or as the
live address it was typed as: the guard is the defanged ``<code>`` rendering and nothing else.
"""

from __future__ import annotations

import re

import pytest
from django.template import Context, Template
from django.urls import reverse

from harbour.filtering import breach_steps, services_checks
from harbour.filtering.inert import defang, defang_text
from harbour.filtering.tests.helpers import ADDRESS, check, report

pytestmark = pytest.mark.django_db

HOST = "bad-example.test"
# An anchor, an image, a frame, a prefetch or anything with an href/src that names the host.
_LINKISH = re.compile(r"<(a|img|iframe|link|object|embed|video|audio|source)\b[^>]*" + re.escape(HOST), re.I)
_ATTRIBUTE = re.compile(r"(href|src|action|data|poster|srcset)\s*=\s*[\"']?[^\"'>]*" + re.escape(HOST), re.I)


def _assert_inert(body: str, where: str) -> None:
    assert not _LINKISH.search(body), f"{where} shows the breach address as a link or embed"
    assert not _ATTRIBUTE.search(body), f"{where} puts the breach address in an attribute"
    assert ADDRESS not in body, f"{where} shows the live address instead of the defanged one"
    assert HOST not in body, f"{where} shows the host undefanged"


def test_defang_breaks_every_address():
    assert defang("https://bad-example.test/page.html") == "hxxps[://]bad-example[.]test/page[.]html"
    assert defang("www.bad.test") == "www[.]bad[.]test"
    assert "bad-example.test" not in defang_text(f"see {ADDRESS} now")


def test_template_filters_never_make_a_link():
    rendered = Template("{% load filtering_text %}{{ a|inert_address }} {{ t|inert_text }}").render(
        Context({"a": ADDRESS, "t": f"It said {ADDRESS}<script>x</script>"})
    )
    _assert_inert(rendered, "the filters")
    assert "<code" in rendered
    assert "&lt;script&gt;" in rendered


def test_no_page_shows_the_address_as_a_link(world, client_for):
    breach = report(world.teacher, learner_id=world.learner.pk)
    breach_steps.breach_add_note(actor=world.dsl, breach=breach, text=f"Blocked {ADDRESS} at the firewall.")
    a_check = check(world.technician, test_detail=ADDRESS)
    pages = {
        "dsl": [
            reverse("filtering:breach_detail", args=["alpha", breach.pk]),
            reverse("filtering:breach_list", args=["alpha"]),
            reverse("filtering:checks", args=["alpha"]),
            reverse("filtering:check_detail", args=["alpha", a_check.pk]),
        ],
        "teacher": [reverse("filtering:breach_receipt", args=["alpha", breach.pk])],
    }
    for persona, urls in pages.items():
        client = client_for(persona)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            _assert_inert(response.content.decode(), url)


def test_api_gives_defanged_addresses(world, client_for):
    breach = report(world.teacher)
    check(world.technician, test_detail=ADDRESS)
    client = client_for("dsl")
    for url in (
        f"/api/v1/schools/alpha/filtering/breaches/{breach.pk}/",
        "/api/v1/schools/alpha/filtering/breaches/",
        "/api/v1/schools/alpha/filtering/checks/",
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert HOST not in response.content.decode(), url


def test_concern_made_from_a_breach_hides_the_address(world, client_for):
    """INC-FILT-06 with INC-IIOC-07: the concern's category hides addresses on its own page."""
    breach = report(world.teacher)
    concern = breach_steps.breach_to_concern(
        actor=world.dsl, breach=breach, category="filtering_breach", summary="Pop-up", version=breach.version
    )
    body = client_for("dsl").get(reverse("concerns:detail", args=["alpha", concern.pk])).content.decode()
    assert not _LINKISH.search(body)
    assert not _ATTRIBUTE.search(body)


def test_usage_review_findings_are_inert(world, client_for):
    from datetime import date

    review = services_checks.usage_review_record(
        actor=world.dsl, period_start=date(2026, 1, 1), period_end=date(2026, 1, 7), scope="All", findings=ADDRESS
    )
    body = client_for("dsl").get(reverse("filtering:usage_review_detail", args=["alpha", review.pk])).content.decode()
    _assert_inert(body, "the review of internet use")
