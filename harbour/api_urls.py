"""/api/v1/: schema, docs and every app's API, school-scoped resources under schools/<slug>/."""

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from harbour.schools.api import SchoolListAPI

school_api_patterns = [
    path("", include("harbour.people.api_urls")),
    path("", include("harbour.accounts.api_urls")),
    path("", include("harbour.concerns.api_urls")),
    path("policy/", include("harbour.policy.api_urls")),
    path("monitoring/", include("harbour.monitoring.api_urls")),
    path("filtering/", include("harbour.filtering.api_urls")),
    path("", include("harbour.audit.api_urls")),
]

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Swagger UI sets inline styles; this page shows only the schema, never school data, so it alone
    # may. Its scripts still come from our own static files (script-src stays 'self').
    path(
        "docs/",
        csp_update({"style-src": [UNSAFE_INLINE]})(SpectacularSwaggerSplitView.as_view(url_name="api-schema")),
        name="api-docs",
    ),
    path("schools/", SchoolListAPI.as_view(), name="api-school-list"),
    path("schools/<slug:school_slug>/", include(school_api_patterns)),
]
