"""API plumbing shared by every app: RFC 9457 problem details, pagination, the school door."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import exception_handler

from harbour.accounts.models import ApiToken, Membership
from harbour.accounts.selectors import membership_resolve
from harbour.audit import services as audit

PROBLEM_CONTENT_TYPE = "application/problem+json"

_TITLES = {
    400: "Invalid request",
    401: "Authentication required",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    406: "Not acceptable",
    415: "Unsupported media type",
    429: "Too many requests",
}


class HarbourPagination(PageNumberPagination):
    """Pages of 50 by default. A page size that is not a whole number from 1 to 500 is refused
    (400), not silently replaced, so a client never mistakes a short page for the whole list."""

    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_size(self, request: Request) -> int | None:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not raw.isdigit() or not 1 <= int(raw) <= self.max_page_size:
            raise exceptions.ValidationError(
                {self.page_size_query_param: [f"Give a whole number from 1 to {self.max_page_size}."]}
            )
        return int(raw)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
            elif parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
        return parameters


def problem_details_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Every API error as ``application/problem+json`` (RFC 9457), never an HTML page."""
    if isinstance(exc, ValidationError):
        exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        return None
    code = response.status_code
    problem: dict[str, Any] = {"type": "about:blank", "title": _TITLES.get(code, "Error"), "status": code}
    data = response.data
    if isinstance(exc, exceptions.ValidationError):
        problem["detail"] = "Some fields are not valid; see 'errors'."
        problem["errors"] = data
    elif isinstance(data, dict) and "detail" in data:
        problem["detail"] = str(data["detail"])
    else:
        problem["detail"] = str(data)
    request = context.get("request")
    if request is not None:
        problem["instance"] = request.get_full_path()
        if isinstance(exc, exceptions.ValidationError | exceptions.ParseError):
            _audit_refusal(request, context.get("view"), data)
    response.data = problem
    response.content_type = PROBLEM_CONTENT_TYPE
    return response


def _audit_refusal(request: Request, view: Any, errors: Any) -> None:
    """Bad input refused to a school member is audited (issue #12 "Bad input").

    Only the field names are kept, never the values: a refused value may be hostile or may be the
    very detail a safeguarding record must not leak into the trail. Refusals before the caller is
    known to be a member of the school (404s, anonymous calls) are not recorded against a school.
    """
    membership = getattr(view, "membership", None)
    if membership is None:
        return
    fields = sorted(str(key) for key in errors) if isinstance(errors, dict) else []
    path = request.path
    audit.record(
        action="api.input_refused",
        actor=membership,
        changes={"method": [None, request.method], "path": [None, path], "fields": [None, fields]},
    )


def api_membership(request: Request, school_slug: str) -> Membership:
    """The access door for API calls: the caller's membership in the school, or 404.

    A token only ever acts in the school it was issued for.
    """
    token = request.auth if isinstance(request.auth, ApiToken) else None
    if token is not None and token.school.slug != school_slug:
        raise Http404
    return membership_resolve(user=request.user, school_slug=school_slug)


class SchoolScopedAPIMixin:
    """For views under /api/v1/schools/<school_slug>/: sets ``self.membership`` after auth."""

    membership: Membership

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # type: ignore[misc]
        self.membership = api_membership(request, kwargs["school_slug"])


def problem(status_code: int, detail: str) -> Response:
    return Response(
        {"type": "about:blank", "title": _TITLES.get(status_code, "Error"), "status": status_code, "detail": detail},
        status=status_code,
        content_type=PROBLEM_CONTENT_TYPE,
    )


__all__ = [
    "HarbourPagination",
    "SchoolScopedAPIMixin",
    "api_membership",
    "problem",
    "problem_details_handler",
    "status",
]
