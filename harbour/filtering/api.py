"""API for breaches and checks under /api/v1/schools/<school_slug>/filtering/ (FLT-03, INC-FILT-03..10).

The same selectors and services as the pages: a breach is visible to its handlers only (others
get 404), a reporter gets a receipt back; checks are read by everyone who reads the register and
written by those who keep it. Addresses leave the API defanged (INC-FILT-09), never as they were
typed, so no client can turn them into a live link by accident.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.urls import reverse
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from harbour.core.api import SchoolScopedAPIMixin
from harbour.core.text_limits import api_text_kwargs
from harbour.filtering import breaches, permissions, selectors, selectors_breaches, services_checks
from harbour.filtering.inert import defang, defang_text
from harbour.filtering.models import Breach, Check

# --- breaches ----------------------------------------------------------------------------------


class BreachCreateSerializer(serializers.Serializer):
    occurred_at = serializers.DateTimeField()
    what_seen = serializers.CharField(
        help_text="What was seen, in words. No picture is ever accepted.", **api_text_kwargs()
    )
    address = serializers.CharField(required=False, allow_blank=True, default="", max_length=1000)
    device = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    device_group = serializers.ChoiceField(choices=Breach.DeviceGroup.choices, default=Breach.DeviceGroup.OTHER)
    # "location" and "category" stay plain strings in the schema: as enums they would collide with the
    # concerns' fields of the same names (drf-spectacular names enums by field). Checked below.
    location = serializers.CharField(
        default=Breach.Location.UNKNOWN, help_text="One of: " + ", ".join(Breach.Location.values) + "."
    )
    user_label = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    learner = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1)
    category = serializers.CharField(
        default=Breach.Category.OTHER, help_text="One of: " + ", ".join(Breach.Category.values) + "."
    )
    immediate_action = serializers.CharField(required=False, allow_blank=True, default="")

    def validate_location(self, value: str) -> str:
        return _one_of(value, Breach.Location.values)

    def validate_category(self, value: str) -> str:
        return _one_of(value, Breach.Category.values)


def _one_of(value: str, allowed: list[str]) -> str:
    if value not in allowed:
        raise serializers.ValidationError(f"'{value}' is not one of: {', '.join(allowed)}.")
    return value


class BreachSerializer(serializers.ModelSerializer):
    """A breach for its handlers. ``address`` and free text come back defanged (INC-FILT-09)."""

    address = serializers.SerializerMethodField(help_text="Defanged: hxxps[://]example[.]com.")
    what_seen = serializers.SerializerMethodField()
    concern = serializers.SerializerMethodField(help_text="The linked concern, if the reader may open it.")
    concern_reference = serializers.SerializerMethodField(help_text="Its reference, if the reader may open it.")
    # Plain strings in the schema, as on create (see BreachCreateSerializer).
    status = serializers.CharField(read_only=True, help_text="One of: " + ", ".join(Breach.Status.values) + ".")
    category = serializers.CharField(read_only=True, help_text="One of the categories accepted on create.")
    location = serializers.CharField(read_only=True, help_text="One of the locations accepted on create.")

    class Meta:
        model = Breach
        fields = [
            "id",
            "reference",
            "source",
            "status",
            "reported_at",
            "occurred_at",
            "address",
            "device",
            "device_group",
            "location",
            "user_label",
            "learner",
            "category",
            "what_seen",
            "believed_illegal",
            "provider_contact",
            "provider_ticket",
            "passed_to_provider_at",
            "parents_told_at",
            "external_system",
            "external_reference",
            "concern",
            "concern_reference",
            "closed_at",
            "outcome",
            "version",
        ]
        read_only_fields = fields

    def get_concern(self, breach: Breach) -> int | None:
        # Only to those who may open the concern (issue 12, finding 6): rows come through the
        # breach door, which marks each with ``concern_openable``.
        return breach.concern_id if getattr(breach, "concern_openable", False) else None

    def get_concern_reference(self, breach: Breach) -> str | None:
        return breach.concern.reference if self.get_concern(breach) else None

    def get_address(self, breach: Breach) -> str:
        return defang(breach.address) if breach.address else ""

    def get_what_seen(self, breach: Breach) -> str:
        return defang_text(breach.what_seen)


class BreachReceiptSerializer(serializers.Serializer):
    """What the reporter sent and its status: Received, Being handled or Closed."""

    id = serializers.IntegerField()
    reference = serializers.CharField()
    status = serializers.CharField()
    reported_at = serializers.DateTimeField()
    occurred_at = serializers.DateTimeField()
    category = serializers.CharField()
    what_seen = serializers.SerializerMethodField()

    def get_what_seen(self, receipt: selectors_breaches.BreachReceipt) -> str:
        return defang_text(receipt.what_seen)


class BreachFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Breach.Status.choices)
    category = django_filters.ChoiceFilter(choices=Breach.Category.choices)
    location = django_filters.ChoiceFilter(choices=Breach.Location.choices)
    device_group = django_filters.ChoiceFilter(choices=Breach.DeviceGroup.choices)

    class Meta:
        model = Breach
        fields = ["status", "category", "location", "device_group"]


@extend_schema(
    methods=["POST"],
    request=BreachCreateSerializer,
    responses={
        201: PolymorphicProxySerializer(
            component_name="BreachCreated",
            serializers=[BreachSerializer, BreachReceiptSerializer],
            resource_type_field_name=None,
        )
    },
    description="Report a filtering breach (INC-FILT-03). Handlers get the breach back; anyone else a receipt.",
)
class BreachListCreateAPI(SchoolScopedAPIMixin, generics.ListCreateAPIView):
    """Breaches of the school for the DSL team, the head and the technician; 404 for anyone else."""

    queryset = Breach.objects.none()
    serializer_class = BreachSerializer
    filterset_class = BreachFilter
    search_fields = ["reference", "what_seen", "device", "provider_ticket"]
    ordering_fields = ["reported_at", "occurred_at", "reference"]
    ordering = ["-reported_at", "-id"]

    def get_queryset(self) -> QuerySet[Breach]:
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return selectors_breaches.breach_list(actor=self.membership)

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        return BreachCreateSerializer if self.request.method == "POST" else BreachSerializer

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        actor = self.membership
        if not permissions.can_report_breach(actor):
            raise PermissionDenied
        serializer = BreachCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data["learner_id"] = data.pop("learner")
        breach = breaches.breach_report(actor=actor, **data)
        slug = actor.school.slug
        if permissions.can_handle_breaches(actor):
            body = BreachSerializer(selectors_breaches.breach_get(actor=actor, pk=breach.pk)).data
            location = reverse("api-filtering-breach-detail", args=[slug, breach.pk])
        else:
            body = BreachReceiptSerializer(selectors_breaches.receipt_from(breach)).data
            location = ""
        return Response(body, status=status.HTTP_201_CREATED, headers={"Location": location} if location else {})


class BreachDetailAPI(SchoolScopedAPIMixin, generics.RetrieveAPIView):
    """One breach for a handler, audited; 404 for anyone else."""

    queryset = Breach.objects.none()
    serializer_class = BreachSerializer

    def get_object(self) -> Breach:
        return selectors_breaches.breach_get(actor=self.membership, pk=self.kwargs["pk"])


# --- checks ------------------------------------------------------------------------------------


class CheckSerializer(serializers.ModelSerializer):
    test_detail = serializers.SerializerMethodField(help_text="Any address in it is defanged.")
    checked_by_name = serializers.SerializerMethodField()

    class Meta:
        model = Check
        fields = [
            "id",
            "checked_at",
            "checked_by_name",
            "system",
            "method",
            "test_detail",
            "device",
            "user_group",
            "location",
            "result",
            "follow_up",
            "corrects",
            "recorded_at",
        ]
        read_only_fields = fields

    def get_test_detail(self, check: Check) -> str:
        return defang_text(check.test_detail)

    def get_checked_by_name(self, check: Check) -> str:
        return check.checker_name or (check.checked_by.display_name if check.checked_by else "")


class CheckCreateSerializer(serializers.Serializer):
    checked_at = serializers.DateTimeField()
    system = serializers.ChoiceField(choices=Check.System.choices)
    method = serializers.ChoiceField(choices=Check.Method.choices)
    test_detail = serializers.CharField(max_length=500)
    device = serializers.CharField(max_length=200)
    result = serializers.ChoiceField(choices=Check.Result.choices)
    user_group = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1)
    location = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    follow_up = serializers.CharField(required=False, allow_blank=True, default="")
    checker_name = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    corrects = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1)


class CheckFilter(django_filters.FilterSet):
    system = django_filters.ChoiceFilter(choices=Check.System.choices)
    result = django_filters.ChoiceFilter(choices=Check.Result.choices)

    class Meta:
        model = Check
        fields = ["system", "result"]


@extend_schema(methods=["POST"], request=CheckCreateSerializer, responses={201: CheckSerializer})
class CheckListCreateAPI(SchoolScopedAPIMixin, generics.ListCreateAPIView):
    """The check log (FLT-03): read by everyone who reads the register, written by those who keep it."""

    queryset = Check.objects.none()
    serializer_class = CheckSerializer
    filterset_class = CheckFilter
    search_fields = ["test_detail", "device", "location"]
    ordering_fields = ["checked_at"]
    ordering = ["-checked_at", "-id"]

    def get_queryset(self) -> QuerySet[Check]:
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return selectors.check_list(actor=self.membership)

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        return CheckCreateSerializer if self.request.method == "POST" else CheckSerializer

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        actor = self.membership
        selectors.may_manage(actor)
        serializer = CheckCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data["user_group_id"] = data.pop("user_group")
        data["corrects_id"] = data.pop("corrects")
        check = services_checks.check_record(actor=actor, **data)
        location = reverse("api-filtering-check-detail", args=[actor.school.slug, check.pk])
        return Response(CheckSerializer(check).data, status=status.HTTP_201_CREATED, headers={"Location": location})


class CheckDetailAPI(SchoolScopedAPIMixin, generics.RetrieveAPIView):
    queryset = Check.objects.none()
    serializer_class = CheckSerializer

    def get_object(self) -> Check:
        return selectors.check_get(actor=self.membership, pk=self.kwargs["pk"])
