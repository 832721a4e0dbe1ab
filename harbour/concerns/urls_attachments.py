"""Files on a concern: list and upload, download, hide/replace/withhold, destroy, documents switch
(INC-YPSI-12..15, INC-CSAE-12, REP-08)."""

from django.urls import path

from harbour.concerns import views_attachments as views

urlpatterns = [
    path("concerns/<int:pk>/attachments/", views.attachment_list, name="attachment_list"),
    path("concerns/<int:pk>/attachments/documents/", views.documents_switch, name="attachment_documents"),
    path(
        "concerns/<int:pk>/attachments/<int:attachment_pk>/download/",
        views.attachment_download,
        name="attachment_download",
    ),
    path(
        "concerns/<int:pk>/attachments/<int:attachment_pk>/manage/",
        views.attachment_manage,
        name="attachment_manage",
    ),
    path(
        "concerns/<int:pk>/attachments/<int:attachment_pk>/destroy/",
        views.attachment_destroy,
        name="attachment_destroy",
    ),
]
