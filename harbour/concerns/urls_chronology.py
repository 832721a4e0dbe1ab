"""Pages of the chronology, agency-directory and reporting-routes area (issue 4 items 8 and 10)."""

from django.urls import path

from harbour.concerns import views_agencies, views_chronology

urlpatterns = [
    path("learners/<int:learner_pk>/chronology/", views_chronology.chronology_page, name="chronology"),
    path("learners/<int:learner_pk>/chronology.pdf", views_chronology.chronology_pdf, name="chronology_pdf"),
    path("learners/<int:learner_pk>/chronology/pin/", views_chronology.chronology_pin, name="chronology_pin"),
    path("agencies/", views_agencies.agency_directory, name="agencies"),
    path("agencies/new/", views_agencies.agency_new, name="agency_new"),
    path("agencies/seed/", views_agencies.agency_seed, name="agency_seed"),
    path("agencies/<int:pk>/edit/", views_agencies.agency_edit, name="agency_edit"),
    path("agencies/<int:pk>/verify/", views_agencies.agency_verify, name="agency_verify"),
    path("concerns/routes/", views_agencies.reporting_routes, name="routes"),
]
