"""GET /api/v1/schools/{slug}/audit/: the audit trail, read-only (issue 12 point 3, REP-06).

The same door as the audit browser and its CSV (``audit_event_list``): another school's user and
roles that may not read the trail get 404; everyone else gets only the events about records they
may open. Newest first, paginated like every list endpoint (``page``, ``page_size``).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request

from harbour.audit.models import AuditEvent
from harbour.audit.selectors import audit_event_search, audit_events_shown, may_read_audit
from harbour.core.api import SchoolScopedAPIMixin


class AuditQuerySerializer(serializers.Serializer):
    """The browser's filters, with the same meaning and limits (``AuditFilterForm``)."""

    action = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=80,
        help_text="A full action (learner.view) or its family (learner).",
    )
    actor = serializers.CharField(
        required=False, allow_blank=True, max_length=254, help_text="All or part of the person's email."
    )
    object_type = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=80,
        help_text="Record type as app.model, for example concerns.concern.",
    )
    object_id = serializers.CharField(required=False, allow_blank=True, max_length=64, help_text="Id of the record.")
    date_from = serializers.DateField(required=False, help_text="Events on or after this day (YYYY-MM-DD).")
    date_to = serializers.DateField(required=False, help_text="Events on or before this day (YYYY-MM-DD).")
    q = serializers.CharField(
        required=False, allow_blank=True, max_length=100, help_text="Words in the record's name or the action."
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start, end = attrs.get("date_from"), attrs.get("date_to")
        if start and end and start > end:
            raise serializers.ValidationError({"date_to": "The end date must be on or after the start date."})
        return attrs


class AuditEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditEvent
        # The chain fields (seq, hashes) stay out: a gap in one school's numbering would tell a
        # reader that an event exists which they may not see.
        fields = [
            "id",
            "created_at",
            "actor_email",
            "actor_role",
            "action",
            "object_type",
            "object_id",
            "object_repr",
            "changes",
            "ip_address",
            "user_agent",
        ]
        read_only_fields = fields


@extend_schema(parameters=[AuditQuerySerializer])
class AuditEventListAPI(SchoolScopedAPIMixin, generics.ListAPIView):
    """The school's audit trail, newest first: only events about records the caller may open."""

    serializer_class = AuditEventSerializer
    queryset = AuditEvent.objects.none()  # for the schema generator only
    filter_backends: list = []

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        if not may_read_audit(self.membership):
            raise Http404

    def paginate_queryset(self, queryset: QuerySet[AuditEvent]) -> list[AuditEvent] | None:
        page = super().paginate_queryset(queryset)
        return None if page is None else audit_events_shown(actor=self.membership, events=page)

    def get_queryset(self) -> QuerySet[AuditEvent]:
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        # A plain dict, not the QueryDict: DRF would read "date_to=" as "not given" and answer 200
        # to a value the schema calls invalid; a date must be a date.
        query = AuditQuerySerializer(data=self.request.query_params.dict())
        query.is_valid(raise_exception=True)
        data = query.validated_data
        return audit_event_search(
            actor=self.membership,
            action=data.get("action", ""),
            actor_email=data.get("actor", ""),
            object_type=data.get("object_type", ""),
            object_id=data.get("object_id", ""),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            query=data.get("q", ""),
        )


urlpatterns = [
    path("audit/", AuditEventListAPI.as_view(), name="api-audit-event-list"),
]
