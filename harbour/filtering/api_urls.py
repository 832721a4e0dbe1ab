"""Filtering API under /api/v1/schools/<slug>/filtering/: breaches and checks."""

from django.urls import path

from harbour.filtering import api

urlpatterns = [
    path("breaches/", api.BreachListCreateAPI.as_view(), name="api-filtering-breach-list"),
    path("breaches/<int:pk>/", api.BreachDetailAPI.as_view(), name="api-filtering-breach-detail"),
    path("checks/", api.CheckListCreateAPI.as_view(), name="api-filtering-check-list"),
    path("checks/<int:pk>/", api.CheckDetailAPI.as_view(), name="api-filtering-check-detail"),
]
