"""The work queue and notifications pages (REP-26)."""

from django.urls import path

from harbour.concerns import views_queue

urlpatterns = [
    path("concerns/queue/", views_queue.work_queue, name="queue"),
    path("notifications/", views_queue.notifications, name="notifications"),
]
