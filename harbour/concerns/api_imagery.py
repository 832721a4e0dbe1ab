"""API for the image-viewing record (INC-YPSI-14), police requests to keep a copy (INC-IIOC-06) and
escalating cyberbullying as abuse between children (INC-CYB-04), under
/api/v1/schools/<school_slug>/concerns/<id>/.

The same services as the concern page decide: reading the records needs to manage the concern,
recording a viewing needs the DSL, anyone else gets 404 and nothing changes.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from harbour.concerns import imagery, links, permissions
from harbour.concerns.api_triage import InertTextField, _ConcernPartAPI
from harbour.concerns.models import ImageViewing, PreservationRequest


class ImageViewingSerializer(serializers.ModelSerializer):
    justification_label = serializers.CharField(source="get_justification_display", read_only=True)
    explanation = InertTextField(read_only=True)
    viewed_by_name = serializers.CharField(source="viewed_by.display_name", read_only=True)

    class Meta:
        model = ImageViewing
        fields = ["id", "viewed_at", "justification", "justification_label", "explanation", "viewed_by_name"]
        read_only_fields = fields


class ImageViewingCreateSerializer(serializers.Serializer):
    viewed_at = serializers.DateTimeField()
    justification = serializers.ChoiceField(choices=ImageViewing.Justification.choices)
    explanation = serializers.CharField(help_text="Why viewing could not be avoided or was needed.")


class PreservationRequestSerializer(serializers.ModelSerializer):
    recorded_by_name = serializers.CharField(source="recorded_by.display_name", read_only=True)

    class Meta:
        model = PreservationRequest
        fields = [
            "id",
            "officer",
            "police_reference",
            "custodian",
            "location",
            "keep_until",
            "requested_at",
            "recorded_by_name",
        ]
        read_only_fields = fields


class PreservationRequestCreateSerializer(serializers.Serializer):
    officer = serializers.CharField(max_length=200)
    police_reference = serializers.CharField(max_length=100)
    custodian = serializers.CharField(max_length=200, help_text="Who holds the copy.")
    location = serializers.CharField(max_length=300, help_text="Where it is kept, outside Harbour.")
    requested_at = serializers.DateTimeField()
    keep_until = serializers.DateField(required=False, allow_null=True, default=None)


class EscalateSerializer(serializers.Serializer):
    reason = serializers.CharField(help_text="Why the cyberbullying amounts to abuse between children.")


class EscalatedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()


class _ManagersOnly(_ConcernPartAPI):
    """Reading these records needs to manage the concern, like the page's panels."""

    def managed_concern(self):
        concern = self.concern()
        if not permissions.can_manage(self.membership, concern):
            raise Http404
        return concern


class ConcernImageViewingListAPI(_ManagersOnly, generics.ListCreateAPIView):
    """The DSL's records of viewing a suspected image (INC-YPSI-14). Only the DSL may post."""

    serializer_class = ImageViewingSerializer
    queryset = ImageViewing.objects.none()

    def get_queryset(self) -> QuerySet[ImageViewing]:
        if self._schema_only():
            return self.queryset
        return imagery.concern_image_viewings(concern=self.managed_concern())

    @extend_schema(request=ImageViewingCreateSerializer, responses={201: ImageViewingSerializer})
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        concern = self.concern_for_update()
        data = self._input(ImageViewingCreateSerializer)
        viewing = imagery.image_viewing_record(actor=self.membership, concern=concern, **data)
        return self._created(viewing, concern)


class ConcernPreservationRequestListAPI(_ManagersOnly, generics.ListCreateAPIView):
    """Police requests to keep a copy, with who holds it and where outside Harbour (INC-IIOC-06)."""

    serializer_class = PreservationRequestSerializer
    queryset = PreservationRequest.objects.none()

    def get_queryset(self) -> QuerySet[PreservationRequest]:
        if self._schema_only():
            return self.queryset
        return imagery.concern_preservation_requests(concern=self.managed_concern())

    @extend_schema(request=PreservationRequestCreateSerializer, responses={201: PreservationRequestSerializer})
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        concern = self.concern_for_update()
        data = self._input(PreservationRequestCreateSerializer)
        preservation = imagery.preservation_request_record(actor=self.membership, concern=concern, **data)
        return self._created(preservation, concern)


class ConcernEscalateAsAbuseAPI(_ConcernPartAPI):
    """Escalate a cyberbullying concern as abuse between children: opens a linked peer-on-peer abuse
    concern for the DSL (INC-CYB-04). Staff who can see the concern may do it."""

    serializer_class = EscalatedSerializer
    queryset = ImageViewing.objects.none()

    @extend_schema(request=EscalateSerializer, responses={201: EscalatedSerializer})
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        concern = self.concern()
        data = self._input(EscalateSerializer)
        escalated = links.concern_escalate_as_abuse(actor=self.membership, concern=concern, reason=data["reason"])
        return Response({"id": escalated.pk, "reference": escalated.reference}, status=status.HTTP_201_CREATED)


_BASE = "concerns/<int:pk>/"

urlpatterns = [
    path(f"{_BASE}image-viewings/", ConcernImageViewingListAPI.as_view(), name="api-concern-image-viewing-list"),
    path(
        f"{_BASE}preservation-requests/",
        ConcernPreservationRequestListAPI.as_view(),
        name="api-concern-preservation-request-list",
    ),
    path(f"{_BASE}escalate-as-abuse/", ConcernEscalateAsAbuseAPI.as_view(), name="api-concern-escalate-as-abuse"),
]
