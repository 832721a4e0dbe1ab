"""GET /api/v1/schools/{slug}/learners/{id}/chronology/ (issue 4 item 8).

The same rules as the page: the safeguarding team and a trust safeguarding lead only, everyone
else 404; the events are those of the concerns the caller may open; every call is audited.
"""

from __future__ import annotations

from typing import Any

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers

from harbour.concerns import chronology
from harbour.concerns.chronology import ChronologyEvent
from harbour.concerns.models import ConcernEntry
from harbour.core.api import SchoolScopedAPIMixin


class ChronologyQuerySerializer(serializers.Serializer):
    kind = serializers.ListField(
        child=serializers.ChoiceField(choices=ConcernEntry.Kind.choices),
        required=False,
        help_text="Only events of these kinds; repeat the parameter for several.",
    )
    date_from = serializers.DateField(required=False, help_text="Events on or after this day (YYYY-MM-DD).")
    date_to = serializers.DateField(required=False, help_text="Events on or before this day (YYYY-MM-DD).")
    pinned = serializers.BooleanField(required=False, default=False, help_text="true: key events only.")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start, end = attrs.get("date_from"), attrs.get("date_to")
        if start and end and start > end:
            raise serializers.ValidationError({"date_to": "The end date is before the start date."})
        return attrs


class ChronologyEventSerializer(serializers.Serializer):
    entry_id = serializers.IntegerField(help_text="Id of the action-log entry; pins refer to it.")
    when = serializers.DateTimeField()
    kind = serializers.ChoiceField(choices=ConcernEntry.Kind.choices)
    kind_label = serializers.CharField()
    title = serializers.CharField()
    text = serializers.CharField(help_text="Plain text. Web addresses are hidden for the categories that need it.")
    author = serializers.CharField()
    concern_id = serializers.IntegerField()
    concern_reference = serializers.CharField()
    concern_category = serializers.CharField()
    learner_part = serializers.CharField(help_text="The learner's part in the concern.")
    pinned = serializers.BooleanField(help_text="Marked as a key event.")
    corrected = serializers.BooleanField(help_text="A later entry corrects this one.")
    amends_entry_id = serializers.IntegerField(allow_null=True, help_text="The entry this one corrects, if any.")
    occurred_at = serializers.DateTimeField(allow_null=True, help_text="When it happened (reported events only).")


@extend_schema(parameters=[ChronologyQuerySerializer])
class LearnerChronologyAPI(SchoolScopedAPIMixin, generics.ListAPIView):
    """A learner's safeguarding chronology, oldest first. Paginated; every call is audited."""

    serializer_class = ChronologyEventSerializer
    filter_backends: list = []

    def get_queryset(self) -> list[ChronologyEvent]:
        if getattr(self, "swagger_fake_view", False):
            return []
        actor = self.membership
        learner = chronology.chronology_learner_get(actor=actor, pk=self.kwargs["pk"])
        query = ChronologyQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        return chronology.chronology_for_learner(
            actor=actor,
            learner=learner,
            kinds=data.get("kind") or None,
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            pinned_only=data.get("pinned", False),
        )


urlpatterns = [
    path("learners/<int:pk>/chronology/", LearnerChronologyAPI.as_view(), name="api-learner-chronology"),
]
