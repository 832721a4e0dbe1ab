"""API of the concerns app under /api/v1/schools/<school_slug>/. One module per area."""

from django.urls import include, path

urlpatterns = [
    path("", include("harbour.concerns.api_reporting")),
    path("", include("harbour.concerns.api_triage")),
    path("", include("harbour.concerns.api_chronology")),
    path("", include("harbour.concerns.api_attachments")),
    path("", include("harbour.concerns.api_imagery")),
    path("", include("harbour.concerns.api_subjects")),
]
