"""Home, per-role dashboards, the "who can do what" page, health and error pages."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render

from harbour.accounts.roles import Role, capability_matrix
from harbour.core import dashboards
from harbour.core.health import health_report
from harbour.schools.selectors import school_list_for_user


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """One school: straight to its dashboard. Several (a trust lead, a peripatetic teacher): pick one."""
    schools = list(school_list_for_user(user=request.user))
    if len(schools) == 1:
        return redirect("core:dashboard", school_slug=schools[0].slug)
    return render(request, "core/school_picker.html", {"schools": schools})


def dashboard(request: HttpRequest, school_slug: str) -> HttpResponse:
    context = dashboards.dashboard_context(actor=request.membership)
    return render(request, "core/dashboard.html", context)


def roles(request: HttpRequest, school_slug: str) -> HttpResponse:
    """ROL-08: generated from the capability map, so it always matches what the code enforces."""
    return render(request, "core/roles.html", {"roles": list(Role), "matrix": capability_matrix()})


def healthz(request: HttpRequest) -> JsonResponse:
    report = health_report()
    return JsonResponse(report, status=200 if report["status"] == "ok" else 503)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"type": "about:blank", "title": "Not found", "status": 404},
            status=404,
            content_type="application/problem+json",
        )
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"type": "about:blank", "title": "Server error", "status": 500},
            status=500,
            content_type="application/problem+json",
        )
    return render(request, "500.html", status=500)
