"""Reporting pages under /s/<school_slug>/concerns/ (namespace "concerns")."""

from django.urls import path

from harbour.concerns import views_reporting as views

urlpatterns = [
    path("concerns/report/", views.report, name="report"),
    path("concerns/report/learners/", views.report_learner_search, name="report_learner_search"),
    path("concerns/report/learners/chosen/", views.report_learner_chosen, name="report_learner_chosen"),
    path("concerns/mine/", views.receipt_list, name="receipt_list"),
    path("concerns/mine/<int:pk>/", views.receipt_detail, name="receipt_detail"),
]
