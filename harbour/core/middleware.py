"""Request-wide plumbing: request metadata for audit, and the school in the URL (tenancy)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse

# Re-exported: callers (the public report form's throttle among them) import it from here.
from harbour.core.client_address import client_ip
from harbour.core.request_context import RequestMeta, reset_request_meta, set_request_meta

__all__ = ["RequestContextMiddleware", "SchoolMiddleware", "client_ip", "public_school_page"]


class RequestContextMiddleware:
    """Makes the caller's IP address and user agent available to audit.record()."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = set_request_meta(
            RequestMeta(ip_address=client_ip(request), user_agent=request.META.get("HTTP_USER_AGENT", ""))
        )
        try:
            return self.get_response(request)
        finally:
            reset_request_meta(token)


class SchoolMiddleware:
    """Resolves ``/s/<school_slug>/…`` into ``request.school`` and ``request.membership``.

    A visitor who is not signed in is sent to sign in; a signed-in user with no role in that
    school gets 404, so the existence of the school's records is never revealed. The API does the
    same in its own base view, after DRF has authenticated the token.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.school = None  # type: ignore[attr-defined]
        request.membership = None  # type: ignore[attr-defined]
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], view_args: tuple, view_kwargs: dict
    ) -> HttpResponse | None:
        slug = view_kwargs.get("school_slug")
        if slug is None or request.path.startswith("/api/"):
            return None
        if getattr(view_func, "harbour_public_school_page", False):
            return self._resolve_public(request, slug)
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        from harbour.accounts.selectors import membership_resolve

        membership = membership_resolve(user=request.user, school_slug=slug)
        request.membership = membership  # type: ignore[attr-defined]
        request.school = membership.school  # type: ignore[attr-defined]
        return None

    @staticmethod
    def _resolve_public(request: HttpRequest, slug: str) -> None:
        """A page the school publishes to everyone (its policy, its "Can I…?" guide for visitors).

        The school is resolved (404 if unknown) and a signed-in member still gets their membership,
        so the same page can add staff-only links; nobody is sent to sign in.
        """
        from django.shortcuts import get_object_or_404

        from harbour.schools.models import School

        school = get_object_or_404(School, slug=slug)
        request.school = school  # type: ignore[attr-defined]
        if request.user.is_authenticated:
            from harbour.accounts.models import Membership

            request.membership = (  # type: ignore[attr-defined]
                Membership.objects.filter(user=request.user, school=school, is_active=True)
                .select_related("school")
                .first()
            )
        return None


def public_school_page(view: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a ``/s/<slug>/…`` view as published to everyone: no sign-in, no membership needed.

    Only pages that show what a school publishes anyway (its policy, public guides, notices) may
    carry this; the URL walk's PUBLIC allow-list must name each one with the reason.
    """
    view.harbour_public_school_page = True  # type: ignore[attr-defined]
    return view
