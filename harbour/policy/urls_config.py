"""Policy pages: configuration import/export with a preview, the schema, and the settings editor (GOV-24)."""

from django.urls import path

from harbour.policy import views_config, views_config_edit

urlpatterns = [
    path("manage/configuration/", views_config.config_transfer, name="config"),
    path("manage/configuration/export.yaml", views_config.config_export, name="config_export"),
    path("manage/configuration/save/", views_config.config_import_confirm, name="config_import_confirm"),
    path("manage/configuration/schema/", views_config.config_schema, name="config_schema"),
    path("manage/configuration/edit/", views_config_edit.config_edit_index, name="config_edit"),
    path("manage/configuration/edit/save/", views_config_edit.config_edit_confirm, name="config_edit_confirm"),
    path(
        "manage/configuration/edit/<slug:section>/",
        views_config_edit.config_edit_section,
        name="config_edit_section",
    ),
]
