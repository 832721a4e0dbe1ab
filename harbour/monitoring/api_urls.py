"""Monitoring API under /api/v1/schools/<slug>/monitoring/."""

from django.urls import include, path

urlpatterns = [
    path("", include("harbour.monitoring.api")),
]
