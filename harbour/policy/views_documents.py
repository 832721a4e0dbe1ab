"""Published policy documents: the policy as a web page, PDF and Word file, and the audience pages
(GOV-09, GOV-17, GOV-20, ROL-08..ROL-11, FLT-06, REP-24).

Every page here is public: a school publishes its policy, and these pages hold nothing that is not
in it. They render the configuration in force (``selectors.published_config``). Staff who may see
the policy records (VIEW_POLICY_RECORDS) can add ``?version=N`` to see any version, drafts included;
for anyone else that answers 404, like every record they may not see.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from harbour.core.middleware import public_school_page
from harbour.policy import selectors
from harbour.policy.documents.audiences import PAGES, build_page
from harbour.policy.documents.html import document_context, render_policy_html_context
from harbour.schools.models import School

# URL name of each audience page, and of its PDF (name + "_pdf").
PAGE_URL_NAMES = {
    "responsibilities": "policy:document_responsibilities",
    "visitors": "policy:document_visitors",
    "parents": "policy:document_parents",
    "monitoring-notice": "policy:document_monitoring_notice",
    "reporting": "policy:document_reporting",
}


def _school(request: HttpRequest) -> School:
    school: School = request.school  # type: ignore[attr-defined]
    if not school.is_active:
        raise Http404
    return school


def _config(request: HttpRequest, school: School) -> dict[str, Any]:
    """The published configuration, or the version asked for by a member who may see it."""
    number = request.GET.get("version")
    if number is None:
        return selectors.published_config(school=school)
    membership = getattr(request, "membership", None)
    if membership is None or not number.isdigit():
        raise Http404
    return dict(selectors.version_get(actor=membership, number=int(number)).config)


def _version_note(request: HttpRequest, school: School) -> str:
    number = request.GET.get("version")
    if number is not None:
        return f"Version {number}, shown to you as staff: it may not be the version in force."
    version = selectors.published_version(school=school)
    if version is None or version.published_at is None:
        return ""
    return f"Version {version.number}, in force since {version.published_at:%-d %B %Y}."


def _private_if_versioned(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    # A draft shown to staff must not be kept by a shared cache and served to the public.
    if "version" in request.GET:
        response["Cache-Control"] = "private, no-store"
    return response


def _links(school: School) -> dict[str, Any]:
    slug = school.slug
    return {
        "policy_url": reverse("policy:document", args=[slug]),
        "pdf_url": reverse("policy:document_pdf", args=[slug]),
        "docx_url": reverse("policy:document_docx", args=[slug]),
        "documents_url": reverse("policy:document_list", args=[slug]),
        "audience_links": [
            {
                "title": page.title,
                "summary": page.summary,
                "url": reverse(PAGE_URL_NAMES[key], args=[slug]),
                "pdf_url": reverse(PAGE_URL_NAMES[key] + "_pdf", args=[slug]),
            }
            for key, page in PAGES.items()
        ],
    }


def _filename(school: School, stem: str, ext: str) -> str:
    return f"{school.slug}-{stem}.{ext}"


@require_safe
@public_school_page
def document(request: HttpRequest, school_slug: str) -> HttpResponse:
    """GOV-09: the whole policy as a web page."""
    school = _school(request)
    context = render_policy_html_context(_config(request, school), school_name=school.name)
    context.update(_links(school))
    context["policy_url"] = None  # this is the policy
    context["version_note"] = _version_note(request, school)
    return _private_if_versioned(request, render(request, "policy/document.html", context))


@require_safe
@public_school_page
def document_pdf(request: HttpRequest, school_slug: str) -> HttpResponse:
    """GOV-09: the whole policy as a PDF (A4, contents with page numbers)."""
    from harbour.policy.documents.pdf import render_policy_pdf

    school = _school(request)
    response = HttpResponse(render_policy_pdf(_config(request, school), school.name), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{_filename(school, "online-safety-policy", "pdf")}"'
    return _private_if_versioned(request, response)


@require_safe
@public_school_page
def document_docx(request: HttpRequest, school_slug: str) -> HttpResponse:
    """GOV-09: the whole policy as a Word document, for schools that edit or circulate it that way."""
    from harbour.policy.documents.docx import render_policy_docx

    school = _school(request)
    response = HttpResponse(
        render_policy_docx(_config(request, school), school.name),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(school, "online-safety-policy", "docx")}"'
    return _private_if_versioned(request, response)


@require_safe
@public_school_page
def document_list(request: HttpRequest, school_slug: str) -> HttpResponse:
    """The landing page: the policy and every audience page, with their printable versions."""
    school = _school(request)
    config = _config(request, school)
    context = _links(school)
    context["school_name"] = config.get("school_name") or school.name
    context["policy_title"] = config.get("policy_title") or "Online Safety Policy"
    return render(request, "policy/document_list.html", context)


@require_safe
@public_school_page
def audience(request: HttpRequest, school_slug: str, page: str) -> HttpResponse:
    """ROL-08..ROL-11, GOV-17, FLT-06, REP-24: one audience page."""
    school = _school(request)
    context = document_context(build_page(page, _config(request, school), school_name=school.name))
    context.update(_links(school))
    context["pdf_url"] = reverse(PAGE_URL_NAMES[page] + "_pdf", args=[school.slug])
    context["docx_url"] = None
    context["audience_links"] = [link for link in context["audience_links"] if link["url"] != request.path]
    context["version_note"] = _version_note(request, school)
    return _private_if_versioned(request, render(request, "policy/audience_page.html", context))


@require_safe
@public_school_page
def audience_pdf(request: HttpRequest, school_slug: str, page: str) -> HttpResponse:
    """An audience page as a PDF, for printing and handing out."""
    from harbour.policy.documents.pdf import render_page_pdf

    school = _school(request)
    response = HttpResponse(
        render_page_pdf(page, _config(request, school), school.name), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="{_filename(school, page, "pdf")}"'
    return _private_if_versioned(request, response)
