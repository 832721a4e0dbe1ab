from django.urls import path

from harbour.core import views

app_name = "core"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("roles/", views.roles, name="roles"),
]
