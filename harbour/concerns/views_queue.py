"""The DSL's work queue (REP-26) and each user's own notifications (REP-01, REP-09).

Thin views: the queue is read through ``queue.work_queue`` (scoped by ``concern_list``), the
notifications through ``alerts.notification_list``; marking read goes through
``alerts.notification_mark_read``.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from harbour.concerns import alerts, queue

NOTIFICATIONS_PER_PAGE = 50


@require_GET
def work_queue(request: HttpRequest, school_slug: str) -> HttpResponse:
    """Unacknowledged concerns, overdue steps, chases, debriefs and deletions, by due time."""
    actor = request.membership
    if not queue.can_use_queue(actor):
        raise Http404
    return render(request, "concerns/queue.html", {"queue": queue.work_queue(actor=actor)})


@require_http_methods(["GET", "POST"])
def notifications(request: HttpRequest, school_slug: str) -> HttpResponse:
    actor = request.membership
    if request.method == "POST":
        try:
            count = alerts.notification_mark_read(
                actor=actor, notification_id=request.POST.get("notification", "").strip()
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            if count:
                messages.success(request, "Marked as read." if count == 1 else f"{count} notifications marked as read.")
        return redirect("concerns:notifications", school_slug=actor.school.slug)
    page = Paginator(alerts.notification_list(actor=actor), NOTIFICATIONS_PER_PAGE).get_page(request.GET.get("page"))
    unread = alerts.unread_count(user=actor.user, school=actor.school)
    return render(request, "concerns/notifications.html", {"page": page, "unread": unread})
