"""Files on a concern: list and upload, download, destroy (INC-YPSI-12..15)."""

from django.urls import path

from harbour.concerns import views_attachments as views

urlpatterns = [
    path("concerns/<int:pk>/attachments/", views.attachment_list, name="attachment_list"),
    path(
        "concerns/<int:pk>/attachments/<int:attachment_pk>/download/",
        views.attachment_download,
        name="attachment_download",
    ),
    path(
        "concerns/<int:pk>/attachments/<int:attachment_pk>/destroy/",
        views.attachment_destroy,
        name="attachment_destroy",
    ),
]
