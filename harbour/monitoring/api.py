"""Monitoring API under /api/v1/schools/<slug>/monitoring/ (FLT-08, INC-FILT-09).

The same selectors as the pages decide who sees what: alerts for the DSL team only (404 for
everyone else, as problem details), upload status for whoever may upload. Opening one alert is
audited. Web addresses are plain strings, never links.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers

from harbour.core.api import SchoolScopedAPIMixin

from . import selectors
from .models import Alert, LogUpload
from .severity import Severity


class AlertSerializer(serializers.ModelSerializer):
    learner = serializers.SerializerMethodField(help_text="The learner, when the person could be identified.")
    staff = serializers.SerializerMethodField(help_text="The member of staff, when the person could be identified.")
    concern = serializers.SerializerMethodField(help_text="Reference of the concern opened from this alert.")

    class Meta:
        model = Alert
        fields = [
            "id",
            "person_label",
            "learner",
            "staff",
            "kind",
            "category",
            "severity",
            "status",
            "first_seen",
            "last_seen",
            "count",
            "concern",
            "status_reason",
            "status_at",
            "merged_into",
        ]
        read_only_fields = fields
        extra_kwargs = {"merged_into": {"help_text": "Status merged: the alert that carries these requests now."}}

    def get_learner(self, alert: Alert) -> dict | None:
        if alert.learner is None:
            return None
        return {"id": alert.learner_id, "name": alert.learner.full_name}

    def get_staff(self, alert: Alert) -> dict | None:
        if alert.staff is None:
            return None
        return {"id": alert.staff_id, "name": alert.staff.full_name}

    def get_concern(self, alert: Alert) -> str | None:
        # Only to those who may open the concern (issue 12, finding 6).
        return alert.concern.reference if alert.concern and getattr(alert, "concern_openable", False) else None


class AlertDetailSerializer(AlertSerializer):
    class Meta(AlertSerializer.Meta):
        fields = [*AlertSerializer.Meta.fields, "hosts", "sample_urls", "terms", "phrases"]
        read_only_fields = fields


class UploadSerializer(serializers.ModelSerializer):
    percent = serializers.IntegerField(read_only=True)

    class Meta:
        model = LogUpload
        fields = [
            "id",
            "original_name",
            "source",
            "format_detected",
            "status",
            "percent",
            "chunks_total",
            "chunks_done",
            "lines",
            "requests",
            "malformed",
            "alerts_created",
            "alerts_updated",
            "error",
            "problems",
            "created_at",
            "finished_at",
            "purge_after",
            "purged_at",
        ]
        read_only_fields = fields


class AlertFilterSerializer(serializers.Serializer):
    """The list's query parameters: an unknown severity or status is refused, not ignored."""

    severity = serializers.ChoiceField(choices=[s for s in Severity.values if s != "none"], required=False)
    status = serializers.ChoiceField(choices=Alert.Status.values, required=False)
    category = serializers.CharField(required=False, allow_blank=True, default="")
    q = serializers.CharField(required=False, allow_blank=True, default="")


ALERT_FILTERS = [
    OpenApiParameter("severity", str, enum=[s for s in Severity.values if s != "none"]),
    OpenApiParameter("status", str, enum=Alert.Status.values),
    OpenApiParameter("category", str),
    OpenApiParameter("q", str, description="Person: name, username or IP address."),
]


@extend_schema(parameters=ALERT_FILTERS)
class AlertListAPI(SchoolScopedAPIMixin, generics.ListAPIView):
    """The school's monitoring alerts, most recent first (DSL team only)."""

    serializer_class = AlertSerializer
    filter_backends: list = []

    def get_queryset(self) -> QuerySet[Alert]:
        if getattr(self, "swagger_fake_view", False):
            return Alert.objects.none()
        # A plain dict: a QueryDict would make DRF read "?severity=" as "not given".
        params = AlertFilterSerializer(data=self.request.query_params.dict())
        params.is_valid(raise_exception=True)
        data = params.validated_data
        return selectors.alert_search(
            actor=self.membership,
            severity=data.get("severity", ""),
            status=data.get("status", ""),
            category=data["category"],
            q=data["q"],
        ).order_by("-last_seen", "-pk")


class AlertDetailAPI(SchoolScopedAPIMixin, generics.RetrieveAPIView):
    """One alert with its sites, example addresses and search terms. Audited."""

    serializer_class = AlertDetailSerializer

    def get_object(self) -> Alert:
        return selectors.alert_get(actor=self.membership, pk=self.kwargs["pk"])


class UploadListAPI(SchoolScopedAPIMixin, generics.ListAPIView):
    """Log uploads and their progress (whoever may upload logs)."""

    serializer_class = UploadSerializer
    filter_backends: list = []

    def get_queryset(self) -> QuerySet[LogUpload]:
        if getattr(self, "swagger_fake_view", False):
            return LogUpload.objects.none()
        return selectors.upload_list(actor=self.membership)


class UploadDetailAPI(SchoolScopedAPIMixin, generics.RetrieveAPIView):
    """One upload's status and counts, for polling while it is scanned."""

    serializer_class = UploadSerializer

    def get_object(self) -> LogUpload:
        return selectors.upload_get(actor=self.membership, pk=self.kwargs["pk"])


urlpatterns = [
    path("alerts/", AlertListAPI.as_view(), name="api-monitoring-alert-list"),
    path("alerts/<int:pk>/", AlertDetailAPI.as_view(), name="api-monitoring-alert-detail"),
    path("uploads/", UploadListAPI.as_view(), name="api-monitoring-upload-list"),
    path("uploads/<int:pk>/", UploadDetailAPI.as_view(), name="api-monitoring-upload-detail"),
]
