"""/api/v1/: schema, docs and every app's API, school-scoped resources under schools/<slug>/."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from harbour.schools.api import SchoolListAPI

school_api_patterns = [
    path("", include("harbour.people.api_urls")),
    path("", include("harbour.accounts.api_urls")),
]

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    path("schools/", SchoolListAPI.as_view(), name="api-school-list"),
    path("schools/<slug:school_slug>/", include(school_api_patterns)),
]
