"""Policy pages: versions, workflow, registers, reviews, exceptions and acknowledgements.

All live under /s/<slug>/policy/manage/ (the public document at /s/<slug>/policy/ belongs to the
documents area). Ids of registers travel in forms; only versions carry an id in the URL.
"""

from django.urls import path

from harbour.policy import views_acks, views_registers, views_versions

V = "manage/versions/<int:pk>/"

urlpatterns = [
    path("manage/", views_versions.home, name="home"),
    path("manage/versions/", views_versions.version_list, name="version_list"),
    path("manage/versions/new/", views_versions.version_new, name="version_new"),
    path("manage/versions/diff/", views_versions.version_diff, name="version_diff"),
    path(V, views_versions.version_detail, name="version_detail"),
    path(V + "consult/", views_versions.version_step, {"action": "consult"}, name="version_consult"),
    path(V + "advice/", views_versions.version_step, {"action": "advice"}, name="version_advice"),
    path(V + "submit/", views_versions.version_step, {"action": "submit"}, name="version_submit"),
    path(V + "approve/", views_versions.version_step, {"action": "approve"}, name="version_approve"),
    path(V + "publish/", views_versions.version_step, {"action": "publish"}, name="version_publish"),
    path(V + "draft/", views_versions.version_step, {"action": "draft"}, name="version_return_to_draft"),
    path(V + "acknowledgements/", views_acks.version_acks, name="version_acks"),
    path(V + "acknowledgements/chase/", views_acks.version_acks_chase, name="version_acks_chase"),
    path(V + "acknowledgements.csv", views_acks.version_acks_export, {"fmt": "csv"}, name="version_acks_csv"),
    path(V + "acknowledgements.pdf", views_acks.version_acks_export, {"fmt": "pdf"}, name="version_acks_pdf"),
    path("manage/guidance/", views_registers.guidance, name="guidance"),
    path("manage/linked-policies/", views_registers.linked, name="linked"),
    path("manage/reviews/", views_registers.review_page, name="reviews"),
    path("manage/exceptions/", views_registers.exceptions, name="exceptions"),
    path("manage/acknowledge/", views_acks.acknowledge, name="acknowledge"),
]
