"""The "Can I…?" guide pages (GOV-23): the school's rules, answered for one audience at a time.

Thin views: the configuration in force comes from ``selectors.published_config``, the guide from the
pure ``harbour.policy.rules.guide``. A search (``?q=``) filters the questions on the server, so the
page works without JavaScript; with htmx the results region is swapped as the user types.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from harbour.core.middleware import public_school_page
from harbour.policy import permissions
from harbour.policy.documents.clauses import clause_index
from harbour.policy.rules.guide import build_guide
from harbour.policy.selectors import open_version, published_config

MAX_QUERY = 100

INTROS = {
    "staff": (
        "Quick answers from {school}'s online safety policy for everyone who works for the school. "
        "Each answer shows the policy clauses it rests on and, where there is one, who can make an exception."
    ),
    "learners": (
        "These are {school}'s rules about phones, the internet and staying safe online. "
        "If you are not sure about something, ask a grown-up you trust."
    ),
    "parents": ("What {school}'s online safety policy says for parents and carers, and what it means for your child."),
    "visitors": (
        "What {school}'s online safety policy asks of visitors, volunteers and contractors while they are with us."
    ),
}

_URL_NAMES = {
    "staff": "policy:guide_staff",
    "learners": "policy:guide_learners",
    "parents": "policy:guide_parents",
    "visitors": "policy:guide_visitors",
}
_LINK_TEXT = {
    "staff": "Staff",
    "learners": "Pupils",
    "parents": "Parents and carers",
    "visitors": "Visitors, volunteers and contractors",
}


def _render(request: HttpRequest, audience: str) -> HttpResponse:
    school = request.school  # type: ignore[attr-defined]
    query = request.GET.get("q", "")[:MAX_QUERY]
    config = published_config(school=school)
    # Issue #21 point 4: those who edit the policy can see the guide as the open draft would make it
    # (?draft=1). Anyone else asking for it gets the page in force, exactly as without the parameter.
    preview = None
    member = getattr(request, "membership", None)
    if request.GET.get("draft") == "1" and member is not None and permissions.can_manage(member):
        preview = open_version(school=school)
        if preview is not None:
            config = dict(preview.config)
    # Each cited clause links to the section of the published policy document that holds it.
    guide = build_guide(config, audience, query, clause_index(config, school_name=school.name))
    links = [
        {"audience": name, "text": _LINK_TEXT[name], "url": reverse(url, args=[school.slug])}
        for name, url in _URL_NAMES.items()
        # The staff guide is listed only to the school's own signed-in members.
        if name != "staff" or getattr(request, "membership", None) is not None
    ]
    context = {
        "school": school,
        "guide": guide,
        "intro": INTROS[audience].format(school=school.name),
        "kid": audience == "learners",
        "page_url": reverse(_URL_NAMES[audience], args=[school.slug]),
        "policy_url": reverse("policy:document", args=[school.slug]),
        "audience_links": links,
        "preview_version": preview,
    }
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.boosted and not htmx.history_restore_request:
        return render(request, "policy/guide_results.html", context)
    return render(request, "policy/guide.html", context)


@require_GET
@vary_on_headers("HX-Request")
def staff_guide(request: HttpRequest, school_slug: str) -> HttpResponse:
    """GOV-23 for staff: signed-in members of the school only (others get 404 from the middleware)."""
    return _render(request, "staff")


@public_school_page
@require_GET
@vary_on_headers("HX-Request")
def learners_guide(request: HttpRequest, school_slug: str) -> HttpResponse:
    """GOV-23 for learners, in child-friendly words; public like the policy itself."""
    return _render(request, "learners")


@public_school_page
@require_GET
@vary_on_headers("HX-Request")
def parents_guide(request: HttpRequest, school_slug: str) -> HttpResponse:
    """GOV-23 for parents and carers, including what the rules mean for their child; public."""
    return _render(request, "parents")


@public_school_page
@require_GET
@vary_on_headers("HX-Request")
def visitors_guide(request: HttpRequest, school_slug: str) -> HttpResponse:
    """GOV-23 for visitors, volunteers and contractors; public."""
    return _render(request, "visitors")
