"""The 400 page, which says why a file sent to a form that takes none was refused (issue #13)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from harbour.core.uploads import UploadNotAccepted


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """``handler400``: problem details on the API, a page elsewhere; the reason only when it is ours."""
    detail = UploadNotAccepted.message if isinstance(exception, UploadNotAccepted) else "The request was not valid."
    if request.path.startswith("/api/"):
        body = {"type": "about:blank", "title": "Invalid request", "status": 400, "detail": detail}
        if isinstance(exception, UploadNotAccepted):
            body["reason"] = "files_not_accepted"
        return JsonResponse(body, status=400, content_type="application/problem+json")
    return render(request, "400.html", {"detail": detail}, status=400)
