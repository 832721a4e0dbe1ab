"""API for reporting and reading concerns under /api/v1/schools/<school_slug>/ (REP-01, REP-04, REP-07).

The same selectors as the pages decide who sees what: a concern the caller may not see is 404,
every opened concern is audited by ``concern_get``, every page of the list by
``concern_list_viewed``. A reporter without need-to-know who creates a concern gets a receipt
back (reference and status), never the record.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.urls import reverse
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from harbour.accounts.models import Membership
from harbour.concerns import categories, permissions, selectors, services
from harbour.concerns import selectors_reporting as reporting
from harbour.concerns.addresses import hide_addresses
from harbour.concerns.models import Attachment, Concern, ConcernEntry, ConcernLearner
from harbour.core.api import SchoolScopedAPIMixin
from harbour.core.text_limits import api_text_kwargs

# --- serializers: categories -------------------------------------------------------------------


class ConcernCategorySerializer(serializers.Serializer):
    """One entry of the fixed category list (REP-04), tagged with the 4 Cs."""

    id = serializers.CharField(help_text="Stable id, stored on concerns.")
    label = serializers.CharField()
    description = serializers.CharField()
    risk_areas = serializers.ListField(
        child=serializers.ChoiceField(choices=[area.value for area in categories.RiskArea]),
        help_text="Which of content, contact, conduct and commerce the category covers.",
    )
    refuses_images = serializers.BooleanField(
        help_text="True when no image or video may ever be attached to a concern of this kind."
    )


# --- serializers: creating a concern -----------------------------------------------------------


# The largest id the database can hold (64-bit). A bigger number would overflow in the database
# driver and answer 500; bounding the field answers 400 with problem details instead (issue 13).
ID_MAX = 2**63 - 1


def id_field(**kwargs: Any) -> serializers.IntegerField:
    """An integer id field bounded to what the database can hold."""
    return serializers.IntegerField(min_value=1, max_value=ID_MAX, **kwargs)


class ConcernInvolvementInputSerializer(serializers.Serializer):
    learner = id_field(help_text="Id of a learner of this school.")
    part = serializers.ChoiceField(choices=ConcernLearner.Part.choices, default=ConcernLearner.Part.AFFECTED)


class SubjectStaffField(serializers.ListField):
    """A list of staff ids. A single id or null, as older clients sent, is read as a list of one or none."""

    child = id_field()
    max_length = 10

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("child", id_field())
        kwargs.setdefault("max_length", 10)
        super().__init__(**kwargs)

    def run_validation(self, data: Any = serializers.empty) -> Any:
        if data is None or data == "":
            return []  # older clients sent null for "nobody"
        return super().run_validation(data)

    def to_internal_value(self, data: Any) -> list[int]:
        if isinstance(data, int | str) and not isinstance(data, bool):
            data = [data]
        return super().to_internal_value(data)


class ConcernCreateSerializer(serializers.Serializer):
    category = serializers.ChoiceField(
        choices=categories.CHOICES, error_messages={"invalid_choice": "'{input}' is not a concern category."}
    )
    occurred_at = serializers.DateTimeField(
        help_text="When it happened or when the reporter was told. Not later than now."
    )
    summary = serializers.CharField(max_length=200)
    description = serializers.CharField(**api_text_kwargs())
    learners = ConcernInvolvementInputSerializer(many=True, required=False, default=list)
    location = serializers.ChoiceField(choices=Concern.Location.choices, default=Concern.Location.UNKNOWN)
    equipment = serializers.ChoiceField(choices=Concern.Equipment.choices, default=Concern.Equipment.UNKNOWN)
    childs_own_words = serializers.CharField(required=False, allow_blank=True, default="", **api_text_kwargs())
    immediate_actions = serializers.CharField(required=False, allow_blank=True, default="", **api_text_kwargs())
    on_behalf_of_learner = serializers.BooleanField(
        required=False, default=False, help_text="A learner came to the reporter for help (REP-02)."
    )
    subject_staff = SubjectStaffField(
        required=False,
        default=list,
        help_text=(
            "Ids of the members of staff the concern is about, in any category (at least one for "
            "staff_misuse_allegation). They never see it; it goes to the head, or to the school's route "
            "for allegations about the head (INC-STAFF-05)."
        ),
    )
    viewed_image = serializers.BooleanField(
        required=False,
        default=False,
        help_text=(
            "The reporter says they viewed an image or video connected with the concern. Nobody but the DSL "
            "may view a suspected sexual image of a child: on those categories a report from anyone else "
            "with this set, or whose wording says so, is kept and flagged to the DSL (INC-YPSI-14)."
        ),
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["category"] == "staff_misuse_allegation" and not attrs.get("subject_staff"):
            raise serializers.ValidationError({"subject_staff": ["Name the member of staff this concern is about."]})
        return attrs


# --- serializers: reading ----------------------------------------------------------------------


def _text(concern: Concern, value: str) -> str:
    """Web addresses stay hidden on categories that hide them (INC-IIOC-07, INC-FILT-09)."""
    return hide_addresses(value) if categories.get(concern.category).hides_addresses else value


class ConcernListSerializer(serializers.ModelSerializer):
    category_label = serializers.SerializerMethodField()
    summary = serializers.SerializerMethodField()

    class Meta:
        model = Concern
        fields = [
            "id",
            "reference",
            "category",
            "category_label",
            "status",
            "risk",
            "reporter_kind",
            "reported_at",
            "occurred_at",
            "summary",
            "acknowledged_at",
            "closed_at",
        ]
        read_only_fields = fields

    def get_category_label(self, concern: Concern) -> str:
        return categories.get(concern.category).label

    def get_summary(self, concern: Concern) -> str:
        return _text(concern, concern.summary)


class ConcernInvolvementSerializer(serializers.ModelSerializer):
    learner_name = serializers.CharField(source="learner.full_name", read_only=True)
    class_name = serializers.CharField(source="learner.school_class.name", read_only=True, allow_null=True)

    class Meta:
        model = ConcernLearner
        fields = ["learner", "learner_name", "class_name", "part", "added_at"]
        read_only_fields = fields


class ConcernLogEntrySerializer(serializers.ModelSerializer):
    author_name = serializers.SerializerMethodField()
    text = serializers.SerializerMethodField()

    class Meta:
        model = ConcernEntry
        fields = ["id", "kind", "author_name", "text", "data", "amends", "created_at"]
        read_only_fields = fields

    def get_author_name(self, entry: ConcernEntry) -> str:
        return entry.author.display_name if entry.author else ""

    def get_text(self, entry: ConcernEntry) -> str:
        return _text(entry.concern, entry.text)


class ConcernFileSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Attachment
        fields = ["id", "original_name", "content_type", "size", "uploaded_at"]
        read_only_fields = fields


class ConcernDetailSerializer(ConcernListSerializer):
    """A whole concern, for those with need-to-know. Withheld or destroyed files never appear."""

    description = serializers.SerializerMethodField()
    childs_own_words = serializers.SerializerMethodField()
    immediate_actions = serializers.SerializerMethodField()
    reported_by_name = serializers.SerializerMethodField()
    subject_staff = serializers.SerializerMethodField()
    subject_staff_name = serializers.SerializerMethodField()
    involvements = ConcernInvolvementSerializer(many=True, read_only=True)
    entries = serializers.SerializerMethodField()
    attachments = serializers.SerializerMethodField()

    class Meta(ConcernListSerializer.Meta):
        fields = [
            *ConcernListSerializer.Meta.fields,
            "location",
            "equipment",
            "description",
            "childs_own_words",
            "immediate_actions",
            "reported_by_name",
            "reporter_name",
            "reporter_contact",
            "subject_staff",
            "subject_staff_name",
            "escalation_level",
            "outcome",
            "version",
            "involvements",
            "entries",
            "attachments",
        ]
        read_only_fields = fields

    def get_description(self, concern: Concern) -> str:
        return _text(concern, concern.description)

    def get_childs_own_words(self, concern: Concern) -> str:
        return _text(concern, concern.childs_own_words)

    def get_immediate_actions(self, concern: Concern) -> str:
        return _text(concern, concern.immediate_actions)

    def get_reported_by_name(self, concern: Concern) -> str:
        return concern.reported_by.display_name if concern.reported_by else ""

    def get_subject_staff(self, concern: Concern) -> list[int]:
        return [staff.pk for staff in concern.subject_staff.all()]

    def get_subject_staff_name(self, concern: Concern) -> str:
        return ", ".join(staff.full_name for staff in concern.subject_staff.all())

    @extend_schema_field(ConcernLogEntrySerializer(many=True))
    def get_entries(self, concern: Concern) -> list[dict[str, Any]]:
        entries = selectors.concern_entries(concern=concern).select_related("concern")
        return ConcernLogEntrySerializer(entries, many=True).data

    @extend_schema_field(ConcernFileSummarySerializer(many=True))
    def get_attachments(self, concern: Concern) -> list[dict[str, Any]]:
        return ConcernFileSummarySerializer(reporting.visible_attachments(concern=concern), many=True).data


class ReceiptLearnerSerializer(serializers.Serializer):
    name = serializers.CharField()
    class_name = serializers.CharField()
    part = serializers.CharField()


class ConcernReceiptSerializer(serializers.Serializer):
    """What the reporter sent and its status (received, being handled, closed) — nothing the team added."""

    id = serializers.IntegerField()
    reference = serializers.CharField()
    status = serializers.CharField(help_text="One of: Received, Being handled, Closed.")
    reported_at = serializers.DateTimeField()
    category = serializers.CharField(source="category.id", help_text="The category as sent.")
    category_label = serializers.CharField(source="category.label")
    occurred_at = serializers.DateTimeField()
    location = serializers.CharField()
    equipment = serializers.CharField()
    summary = serializers.SerializerMethodField()
    description = serializers.SerializerMethodField()
    childs_own_words = serializers.SerializerMethodField()
    immediate_actions = serializers.SerializerMethodField()
    on_behalf_of_learner = serializers.BooleanField()
    learners = ReceiptLearnerSerializer(many=True)
    subject_staff_name = serializers.CharField()
    sent_to = serializers.CharField(
        help_text="Where the report went, as a role: the safeguarding team, the headteacher, the chair of governors..."
    )

    def _hidden(self, receipt: reporting.Receipt, value: str) -> str:
        return hide_addresses(value) if receipt.category.hides_addresses else value

    def get_summary(self, receipt: reporting.Receipt) -> str:
        return self._hidden(receipt, receipt.summary)

    def get_description(self, receipt: reporting.Receipt) -> str:
        return self._hidden(receipt, receipt.description)

    def get_childs_own_words(self, receipt: reporting.Receipt) -> str:
        return self._hidden(receipt, receipt.childs_own_words)

    def get_immediate_actions(self, receipt: reporting.Receipt) -> str:
        return self._hidden(receipt, receipt.immediate_actions)


# --- filters -----------------------------------------------------------------------------------


class ConcernFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Concern.Status.choices)
    category = django_filters.ChoiceFilter(choices=categories.CHOICES)
    risk = django_filters.ChoiceFilter(choices=Concern.Risk.choices)

    class Meta:
        model = Concern
        fields = ["status", "category", "risk"]


# --- views -------------------------------------------------------------------------------------


def _actor(view: Any) -> Membership:
    return view.membership


class ConcernCategoryListAPI(SchoolScopedAPIMixin, generics.GenericAPIView):
    """The fixed list of concern categories (REP-04). Open to every member of the school."""

    serializer_class = ConcernCategorySerializer
    pagination_class = None
    filter_backends: list = []

    @extend_schema(responses=ConcernCategorySerializer(many=True))
    def get(self, request: Request, school_slug: str) -> Response:
        return Response(self.get_serializer(categories.CATEGORIES, many=True).data)


@extend_schema(
    methods=["POST"],
    request=ConcernCreateSerializer,
    responses={
        201: PolymorphicProxySerializer(
            component_name="ConcernCreated",
            serializers=[ConcernDetailSerializer, ConcernReceiptSerializer],
            resource_type_field_name=None,
        )
    },
    description=(
        "Log a concern (REP-01). Callers who may see the concern get it back in full; anyone else gets "
        "a receipt (reference and status). Invalid input is a 400 problem with field errors and stores nothing."
    ),
)
class ConcernListCreateAPI(SchoolScopedAPIMixin, generics.ListCreateAPIView):
    """Concerns the caller may see (REP-07), filterable by status, category and risk; search by reference or title."""

    queryset = Concern.objects.none()
    serializer_class = ConcernListSerializer
    filterset_class = ConcernFilter
    search_fields = ["reference", "summary"]
    ordering_fields = ["reported_at", "occurred_at", "reference"]
    ordering = ["-reported_at", "-id"]

    def get_queryset(self) -> QuerySet[Concern]:
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return selectors.concern_list(actor=_actor(self))

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        return ConcernCreateSerializer if self.request.method == "POST" else ConcernListSerializer

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        reporting.concern_list_viewed(actor=_actor(self), concerns=page)
        return self.get_paginated_response(ConcernListSerializer(page, many=True).data)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        actor = _actor(self)
        if not permissions.can_report(actor):
            raise PermissionDenied
        serializer = ConcernCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        concern = services.concern_report(
            actor=actor,
            category=data["category"],
            occurred_at=data["occurred_at"],
            summary=data["summary"],
            description=data["description"],
            involvements=[services.Involvement(learner_id=i["learner"], part=i["part"]) for i in data["learners"]],
            location=data["location"],
            equipment=data["equipment"],
            childs_own_words=data["childs_own_words"],
            immediate_actions=data["immediate_actions"],
            on_behalf_of_learner=data["on_behalf_of_learner"],
            subject_staff_ids=data["subject_staff"],
            viewed_image=data["viewed_image"],
        )
        slug = actor.school.slug
        if selectors.concern_list(actor=actor).filter(pk=concern.pk).exists():
            full = selectors.concern_get(actor=actor, pk=concern.pk)
            location = reverse("api-concern-detail", args=[slug, concern.pk])
            body = ConcernDetailSerializer(full).data
        else:
            location = reverse("api-concern-receipt-detail", args=[slug, concern.pk])
            body = ConcernReceiptSerializer(reporting.receipt_from(concern)).data
        return Response(body, status=status.HTTP_201_CREATED, headers={"Location": location})


class ConcernDetailAPI(SchoolScopedAPIMixin, generics.RetrieveAPIView):
    """One concern with its learners and action log. 404 without need-to-know; every call is audited."""

    queryset = Concern.objects.none()
    serializer_class = ConcernDetailSerializer

    def get_object(self) -> Concern:
        return selectors.concern_get(actor=_actor(self), pk=self.kwargs["pk"])


class ReceiptListAPI(SchoolScopedAPIMixin, generics.ListAPIView):
    """The caller's own reports as receipts (REP-07)."""

    queryset = Concern.objects.none()
    serializer_class = ConcernReceiptSerializer
    filter_backends: list = []

    def get_queryset(self) -> QuerySet[Concern]:
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return reporting.receipt_rows(actor=_actor(self))

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        receipts = [reporting.receipt_from(concern) for concern in page]
        return self.get_paginated_response(ConcernReceiptSerializer(receipts, many=True).data)


class ReceiptDetailAPI(SchoolScopedAPIMixin, generics.GenericAPIView):
    """One of the caller's own reports as a receipt; anybody else's is 404. Audited."""

    queryset = Concern.objects.none()
    serializer_class = ConcernReceiptSerializer

    def get(self, request: Request, school_slug: str, pk: int) -> Response:
        return Response(ConcernReceiptSerializer(reporting.receipt_detail(actor=_actor(self), pk=pk)).data)
