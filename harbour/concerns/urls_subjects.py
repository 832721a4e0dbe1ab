"""Naming the members of staff a concern is about (namespace "concerns")."""

from django.urls import path

from harbour.concerns import views_route
from harbour.concerns import views_subjects as views

urlpatterns = [
    path("concerns/<int:pk>/about-staff/", views.concern_name_staff, name="name_staff"),
    path("concerns/allegation-route/", views_route.allegation_route, name="allegation_route"),
]
