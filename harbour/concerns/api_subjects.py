"""API: name the members of staff a concern is about, after it was logged (issue 12 point 1).

``POST /api/v1/schools/{slug}/concerns/{pk}/subject-staff/`` with ``subject_staff`` (a list of staff
ids), ``reason`` and the ``version`` last seen. Any category (INC-STAFF-05, INC-RAD-04,
INC-IIOC-09). Only those who manage the concern may; anyone else gets 404. The answer says where
the concern went and whether the caller can still open it (usually not: it now goes to the head).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from harbour.concerns import routing, selectors, services
from harbour.concerns.api_reporting_views import SubjectStaffField, id_field
from harbour.concerns.models import Concern
from harbour.core.api import SchoolScopedAPIMixin


class NameStaffSerializer(serializers.Serializer):
    subject_staff = SubjectStaffField(help_text="Ids of the members of staff the concern is about (at least one).")
    reason = serializers.CharField(help_text="Why the concern is about them.")
    version = id_field(help_text="The concern's version as last read.")
    as_staff_concern = serializers.BooleanField(
        required=False, default=False, help_text="Also re-categorise it as staff_misuse_allegation."
    )

    def validate_subject_staff(self, value: list[int]) -> list[int]:
        if not value:
            raise serializers.ValidationError("Choose the member of staff this concern is about.")
        return value


class NamedStaffResultSerializer(serializers.Serializer):
    reference = serializers.CharField()
    routed_to = serializers.CharField(help_text="head, chair, trust_lead, lado or fallback.")
    sent_to = serializers.CharField(help_text="Where it went, in words.")
    still_visible_to_you = serializers.BooleanField()


class ConcernNameStaffAPI(SchoolScopedAPIMixin, generics.GenericAPIView):
    """Name the members of staff a concern is about; it moves to the head route at once."""

    serializer_class = NameStaffSerializer
    queryset = Concern.objects.none()

    @extend_schema(request=NameStaffSerializer, responses={200: NamedStaffResultSerializer})
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        actor = self.membership
        concern = selectors.concern_get_for_update(actor=actor, pk=self.kwargs["pk"])
        serializer = NameStaffSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            updated = services.concern_name_staff(
                actor=actor,
                concern=concern,
                staff_ids=data["subject_staff"],
                reason=data["reason"],
                version=data["version"],
                as_staff_concern=data["as_staff_concern"],
            )
        except PermissionDenied as exc:
            raise Http404 from exc
        body = {
            "reference": updated.reference,
            "routed_to": updated.routed_to,
            "sent_to": routing.receipt_words(updated),
            "still_visible_to_you": selectors.concern_list(actor=actor).filter(pk=updated.pk).exists(),
        }
        return Response(NamedStaffResultSerializer(body).data, status=status.HTTP_200_OK)


urlpatterns = [
    path("concerns/<int:pk>/subject-staff/", ConcernNameStaffAPI.as_view(), name="api-concern-subject-staff"),
]
