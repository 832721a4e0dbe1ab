"""School pages of the concerns app. Each area has its own URL module (one per file owner)."""

from django.urls import include, path

app_name = "concerns"

urlpatterns = [
    path("", include("harbour.concerns.urls_reporting")),
    path("", include("harbour.concerns.urls_triage")),
    path("", include("harbour.concerns.urls_checklists")),
    path("", include("harbour.concerns.urls_attachments")),
    path("", include("harbour.concerns.urls_queue")),
    path("", include("harbour.concerns.urls_chronology")),
    path("", include("harbour.concerns.urls_imagery")),
    path("", include("harbour.concerns.urls_subjects")),
]
