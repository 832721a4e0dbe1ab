"""Policy pages: configuration import/export with a preview, and the schema (GOV-24)."""

from django.urls import path

from harbour.policy import views_config

urlpatterns = [
    path("manage/configuration/", views_config.config_transfer, name="config"),
    path("manage/configuration/export.yaml", views_config.config_export, name="config_export"),
    path("manage/configuration/save/", views_config.config_import_confirm, name="config_import_confirm"),
    path("manage/configuration/schema/", views_config.config_schema, name="config_schema"),
]
