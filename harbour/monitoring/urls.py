"""School pages of the monitoring app, under /s/<slug>/monitoring/."""

from django.urls import path

from . import views_alerts, views_settings, views_uploads

app_name = "monitoring"

urlpatterns = [
    path("alerts/", views_alerts.alert_list, name="alert_list"),
    path("alerts/<int:pk>/", views_alerts.alert_detail, name="alert_detail"),
    path("alerts/<int:pk>/concern/", views_alerts.alert_convert, name="alert_convert"),
    path("alerts/<int:pk>/false-positive/", views_alerts.alert_false_positive, name="alert_false_positive"),
    path("alerts/<int:pk>/dismiss/", views_alerts.alert_dismiss, name="alert_dismiss"),
    path("uploads/", views_uploads.upload_list, name="upload_list"),
    path("uploads/<int:pk>/", views_uploads.upload_detail, name="upload_detail"),
    path("mappings/", views_uploads.mapping_import, name="mappings"),
    path("settings/", views_settings.settings_page, name="settings"),
    path("lists/", views_settings.list_page, name="lists"),
    path("lists/<int:pk>/remove/", views_settings.list_entry_remove, name="list_entry_remove"),
]
