"""Checklist steps on a concern and the school's procedures pages (names: concerns:<name>)."""

from django.urls import path

from harbour.concerns import views_checklists as views

urlpatterns = [
    path("concerns/<int:pk>/checklist/", views.checklist_page, name="checklist"),
    path("concerns/<int:pk>/checklist/<int:step_pk>/done/", views.step_complete, name="checklist_step_complete"),
    path(
        "concerns/<int:pk>/checklist/<int:step_pk>/not-applicable/",
        views.step_not_applicable,
        name="checklist_step_not_applicable",
    ),
    path("concerns/<int:pk>/checklist/<int:step_pk>/answer/", views.step_answer, name="checklist_step_answer"),
    path("concerns/procedures/", views.procedure_list, name="procedure_list"),
    path("concerns/procedures/<slug:category>/", views.procedure_detail, name="procedure_detail"),
    path("concerns/procedures/<slug:category>/add/", views.procedure_step_add, name="procedure_step_add"),
    path(
        "concerns/procedures/<slug:category>/steps/<slug:key>/", views.procedure_step_edit, name="procedure_step_edit"
    ),
    path(
        "concerns/procedures/<slug:category>/steps/<slug:key>/visibility/",
        views.procedure_step_visibility,
        name="procedure_step_visibility",
    ),
]
