"""The public reporting form at /report/<slug>/ (REP-03): no login, so deliberately outside /s/.

The kwarg is ``slug``, not ``school_slug``: SchoolMiddleware would otherwise demand a sign-in.
"""

from django.urls import path

from harbour.concerns import views_reporting as views

app_name = "concerns_public"

urlpatterns = [
    path("<slug:slug>/", views.public_report, name="report"),
    path("<slug:slug>/thanks/", views.public_thanks, name="thanks"),
    path("<slug:slug>/help/", views.public_help, name="help"),
]
