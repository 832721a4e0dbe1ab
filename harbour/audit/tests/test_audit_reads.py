"""Opening a learner's record leaves an audit row with where the request came from (REP-07)."""

import pytest
from django.http import Http404, HttpResponse
from django.test import RequestFactory

from harbour.audit.models import AuditEvent
from harbour.core.middleware import RequestContextMiddleware
from harbour.core.request_context import current_request_meta
from harbour.people.selectors import learner_get


def _through_middleware(view, **meta):
    """Run ``view`` the way a real request would: inside RequestContextMiddleware."""
    request = RequestFactory().get("/s/alpha/learners/", **meta)
    return RequestContextMiddleware(view)(request)


def test_learner_read_is_audited_with_ip_and_user_agent(world):
    def view(request):
        learner_get(actor=world.teacher, pk=world.learner.pk)
        return HttpResponse()

    _through_middleware(view, REMOTE_ADDR="203.0.113.7", HTTP_USER_AGENT="Mozilla/5.0 (Audit test)")

    event = AuditEvent.objects.get(action="learner.view")
    assert event.school == world.school
    assert event.actor == world.teacher.user
    assert event.actor_email == "teacher@alpha.test"
    assert event.actor_role == "teacher"
    assert event.object_type == "people.learner"
    assert event.object_id == str(world.learner.pk)
    assert event.ip_address == "203.0.113.7"
    assert event.user_agent == "Mozilla/5.0 (Audit test)"


def test_refused_learner_read_writes_no_view_event(world):
    """teacher2 does not teach the learner: a 404, and no row claiming they saw the record."""
    with pytest.raises(Http404):
        learner_get(actor=world.teacher2, pk=world.learner.pk)
    assert not AuditEvent.objects.filter(action="learner.view").exists()


def test_request_details_do_not_leak_past_the_request(world):
    _through_middleware(lambda request: HttpResponse(), REMOTE_ADDR="203.0.113.7", HTTP_USER_AGENT="Browser")
    assert current_request_meta().ip_address is None
    assert current_request_meta().user_agent == ""
