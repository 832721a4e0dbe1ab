"""Harbour's URL map. School pages live under /s/<slug>/, the API under /api/v1/."""

from django.urls import include, path

from harbour.core import views as core_views

school_patterns = [
    path("", include("harbour.core.urls")),
    path("", include("harbour.people.urls")),
    path("", include("harbour.accounts.urls_school")),
    path("audit/", include("harbour.audit.urls")),
    path("", include("harbour.concerns.urls")),
    path("", include("harbour.policy.urls")),
    path("monitoring/", include("harbour.monitoring.urls")),
    path("filtering/", include("harbour.filtering.urls")),
]

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("accounts/", include("allauth.urls")),
    path("report/", include("harbour.concerns.urls_public")),
    path("", include("harbour.accounts.urls")),
    path("s/<slug:school_slug>/", include(school_patterns)),
    path("api/v1/", include("harbour.api_urls")),
]

handler400 = "harbour.core.views_uploads.bad_request"
handler404 = "harbour.core.views.not_found"
handler500 = "harbour.core.views.server_error"
