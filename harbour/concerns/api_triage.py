"""Triage API: a concern's decisions, referrals, advice, parent decisions and action log as
sub-resources of /api/v1/schools/<school_slug>/concerns/<id>/ (REP-06, REP-16..REP-21).

The same selectors and services as the concern page decide everything: reading needs the same
need-to-know as the page (and is audited by ``concern_get``), writing needs to manage the concern,
except notes, which colleagues the concern is shared with may add. Anyone else gets 404. Errors are
problem details. Web addresses stay hidden on categories that hide them unless a manager asks for
``?reveal=1`` (audited); a reported address (IWF) is hidden until revealed whatever the category.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from harbour.concerns import categories, selectors, services, triage
from harbour.concerns import selectors_triage as st
from harbour.concerns.addresses import hide_addresses
from harbour.concerns.api_reporting_views import id_field
from harbour.concerns.models import (
    Concern,
    ConcernEntry,
    Consultation,
    Decision,
    ParentDecision,
    Referral,
)
from harbour.core.api import SchoolScopedAPIMixin
from harbour.core.text_limits import api_text_kwargs

REVEAL_PARAMETER = OpenApiParameter(
    "reveal",
    OpenApiTypes.BOOL,
    description="true: show hidden web addresses (only for those who manage the concern; audited).",
)


# --- serializers: reading ----------------------------------------------------------------------


def _hidden(value: Any) -> Any:
    if isinstance(value, str):
        return hide_addresses(value)
    if isinstance(value, list):
        return [_hidden(item) for item in value]
    if isinstance(value, dict):
        return {key: _hidden(item) for key, item in value.items()}
    return value


class InertTextField(serializers.CharField):
    """Text typed by people: web addresses hidden when the concern's category hides them."""

    def to_representation(self, value: Any) -> str:
        text = super().to_representation(value)
        return hide_addresses(text) if self.context.get("hide_addresses") else text


class ConcernDecisionSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    reasons = InertTextField(read_only=True)
    sanction = InertTextField(read_only=True)
    support = InertTextField(read_only=True)
    decided_by_name = serializers.CharField(source="decided_by.display_name", read_only=True)

    class Meta:
        model = Decision
        fields = ["id", "kind", "kind_label", "reasons", "sanction", "support", "decided_by_name", "decided_at"]
        read_only_fields = fields


class ConcernReferralSerializer(serializers.ModelSerializer):
    agency_label = serializers.CharField(source="get_agency_display", read_only=True)
    reported_address = serializers.SerializerMethodField(
        help_text="The web address reported (IWF). Hidden unless revealed with ?reveal=true."
    )
    notes = InertTextField(read_only=True)
    made_by_name = serializers.CharField(source="made_by.display_name", read_only=True)

    class Meta:
        model = Referral
        fields = [
            "id",
            "agency",
            "agency_label",
            "decision",
            "contact_name",
            "reference",
            "police_call",
            "reported_address",
            "made_at",
            "made_by_name",
            "acknowledgement_due_at",
            "acknowledged_at",
            "notes",
        ]
        read_only_fields = fields

    def get_reported_address(self, referral: Referral) -> str:
        if self.context.get("hide_reported_addresses", True):
            return hide_addresses(referral.reported_address)
        return referral.reported_address


class ConcernConsultationSerializer(serializers.ModelSerializer):
    consulted_label = serializers.CharField(source="get_consulted_display", read_only=True)
    question = InertTextField(read_only=True)
    advice = InertTextField(read_only=True)
    recorded_by_name = serializers.CharField(source="recorded_by.display_name", read_only=True)

    class Meta:
        model = Consultation
        fields = [
            "id",
            "consulted",
            "consulted_label",
            "contact_name",
            "question",
            "advice",
            "consulted_at",
            "recorded_by_name",
        ]
        read_only_fields = fields


class ConcernParentDecisionSerializer(serializers.ModelSerializer):
    choice_label = serializers.CharField(source="get_choice_display", read_only=True)
    reason = InertTextField(read_only=True)
    what_was_said = InertTextField(read_only=True)
    decided_by_name = serializers.CharField(source="decided_by.display_name", read_only=True)

    class Meta:
        model = ParentDecision
        fields = ["id", "choice", "choice_label", "reason", "what_was_said", "told_at", "decided_by_name", "decided_at"]
        read_only_fields = fields


class ConcernEntrySerializer(serializers.ModelSerializer):
    """One line of the action log. A correction points at the entry it corrects with ``amends``."""

    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    author_name = serializers.SerializerMethodField()
    text = InertTextField(read_only=True)
    data = serializers.SerializerMethodField()

    class Meta:
        model = ConcernEntry
        fields = ["id", "kind", "kind_label", "author_name", "text", "data", "amends", "created_at"]
        read_only_fields = fields

    def get_author_name(self, entry: ConcernEntry) -> str:
        return entry.author.display_name if entry.author else ""

    def get_data(self, entry: ConcernEntry) -> dict[str, Any]:
        return _hidden(entry.data) if self.context.get("hide_addresses") else entry.data


# --- serializers: writing ----------------------------------------------------------------------


class DecisionCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Decision.Kind.choices)
    reasons = serializers.CharField(help_text="Why, including why not to refer when that is the decision.")
    sanction = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)
    support = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)
    sanctioned_learners = serializers.ListField(
        child=id_field(),
        required=False,
        default=list,
        help_text="Behaviour decisions: ids of the learners the sanction applies to.",
    )
    confirm_affected_sanction = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Required (true) to sanction a learner recorded as harmed in the incident (INC-YPSI-10).",
    )
    trauma_note = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Required with confirm_affected_sanction: how further harm or distress will be avoided.",
    )


class ReferralCreateSerializer(serializers.Serializer):
    agency = serializers.ChoiceField(choices=Referral.Agency.choices)
    made_at = serializers.DateTimeField()
    contact_name = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    reference = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=100, help_text="Required for the police."
    )
    police_call = serializers.ChoiceField(
        choices=Referral.PoliceCall.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text="Required for the police: 999, 101 or online.",
    )
    reported_address = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="IWF reports: the web address only, never an image.",
    )
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    decision = id_field(required=False, allow_null=True, default=None)


class ReferralAcknowledgeSerializer(serializers.Serializer):
    acknowledged_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    reference = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)


class ConsultationCreateSerializer(serializers.Serializer):
    consulted = serializers.ChoiceField(choices=Consultation.With.choices)
    question = serializers.CharField()
    advice = serializers.CharField()
    consulted_at = serializers.DateTimeField()
    contact_name = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class ParentDecisionCreateSerializer(serializers.Serializer):
    choice = serializers.ChoiceField(choices=ParentDecision.Choice.choices)
    reason = serializers.CharField()
    what_was_said = serializers.CharField(required=False, allow_blank=True, default="")
    told_at = serializers.DateTimeField(required=False, allow_null=True, default=None)


class NoteCreateSerializer(serializers.Serializer):
    text = serializers.CharField(
        help_text="The note. It cannot be changed or deleted later, only corrected.", **api_text_kwargs()
    )
    viewed_image = serializers.BooleanField(
        required=False,
        default=False,
        help_text="True if the writer viewed an image connected with the concern. On sexual-imagery categories a "
        "note by anyone but the DSL that says so is flagged to the DSL (INC-YPSI-14).",
    )


class ExternalShareCreateSerializer(serializers.Serializer):
    recipient = serializers.CharField(max_length=300)
    what_was_shared = serializers.CharField()
    reason = serializers.CharField()


# --- views -------------------------------------------------------------------------------------


class _ConcernPartAPI(SchoolScopedAPIMixin, generics.GenericAPIView):
    """Base for the sub-resources: finds the concern through the access door, once per request."""

    _concern: Concern | None = None
    _revealed: bool = False

    def _schema_only(self) -> bool:
        return getattr(self, "swagger_fake_view", False)

    def concern(self) -> Concern:
        if self._concern is None:
            self._concern = selectors.concern_get(actor=self.membership, pk=self.kwargs["pk"])
            if self.request.query_params.get("reveal") in ("1", "true"):
                self._revealed = st.concern_reveal_addresses(actor=self.membership, concern=self._concern)
        return self._concern

    def concern_for_update(self) -> Concern:
        return selectors.concern_get_for_update(actor=self.membership, pk=self.kwargs["pk"])

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        if self._concern is not None:
            hides = categories.get(self._concern.category).hides_addresses
            context["hide_addresses"] = hides and not self._revealed
            context["hide_reported_addresses"] = not self._revealed
        return context

    def _input(self, serializer_class: type[serializers.Serializer]) -> dict[str, Any]:
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def _created(self, obj: Model, concern: Concern) -> Response:
        self._concern = concern
        return Response(self.get_serializer(obj).data, status=status.HTTP_201_CREATED)

    def handle_exception(self, exc: Exception) -> Response:
        # Someone who can read the concern but may not do this gets the same answer as a stranger.
        if isinstance(exc, PermissionDenied):
            exc = Http404()
        return super().handle_exception(exc)


@extend_schema(parameters=[REVEAL_PARAMETER])
class ConcernDecisionListAPI(_ConcernPartAPI, generics.ListCreateAPIView):
    """Decisions on a concern, with reasons (REP-18, REP-21). Posting needs to manage the concern."""

    serializer_class = ConcernDecisionSerializer
    queryset = Decision.objects.none()

    def get_queryset(self) -> QuerySet[Decision]:
        return self.queryset if self._schema_only() else st.concern_decisions(concern=self.concern())

    @extend_schema(request=DecisionCreateSerializer, responses={201: ConcernDecisionSerializer})
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        concern = self.concern_for_update()
        data = self._input(DecisionCreateSerializer)
        decision = triage.decision_record(
            actor=self.membership,
            concern=concern,
            kind=data["kind"],
            reasons=data["reasons"],
            sanction=data["sanction"],
            support=data["support"],
            sanctioned_learner_ids=data["sanctioned_learners"],
            confirm_affected_sanction=data["confirm_affected_sanction"],
            trauma_note=data["trauma_note"],
        )
        return self._created(decision, concern)


@extend_schema(parameters=[REVEAL_PARAMETER])
class ConcernReferralListAPI(_ConcernPartAPI, generics.ListCreateAPIView):
    """Referrals and reports to outside agencies (REP-16, REP-18). Police referrals need the call
    type (999, 101, online) and reference; social care and LADO referrals open a one-working-day chase."""

    serializer_class = ConcernReferralSerializer
    queryset = Referral.objects.none()

    def get_queryset(self) -> QuerySet[Referral]:
        return self.queryset if self._schema_only() else st.concern_referrals(concern=self.concern())

    @extend_schema(request=ReferralCreateSerializer, responses={201: ConcernReferralSerializer})
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        concern = self.concern_for_update()
        data = self._input(ReferralCreateSerializer)
        referral = triage.referral_record(
            actor=self.membership,
            concern=concern,
            agency=data["agency"],
            made_at=data["made_at"],
            contact_name=data["contact_name"],
            reference=data["reference"],
            police_call=data["police_call"],
            reported_address=data["reported_address"],
            notes=data["notes"],
            decision_id=data["decision"],
        )
        return self._created(referral, concern)


class ConcernReferralAcknowledgeAPI(_ConcernPartAPI):
    """Record that the agency acknowledged a referral; closes its chase."""

    serializer_class = ConcernReferralSerializer
    queryset = Referral.objects.none()

    @extend_schema(request=ReferralAcknowledgeSerializer, responses={201: ConcernReferralSerializer})
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        concern = self.concern_for_update()
        referral = st.referral_get(concern=concern, pk=self.kwargs["referral_pk"])
        data = self._input(ReferralAcknowledgeSerializer)
        referral = triage.referral_acknowledge(
            actor=self.membership,
            referral=referral,
            acknowledged_at=data["acknowledged_at"],
            reference=data["reference"],
        )
        return self._created(referral, concern)


@extend_schema(parameters=[REVEAL_PARAMETER])
class ConcernConsultationListAPI(_ConcernPartAPI, generics.ListCreateAPIView):
    """Advice sought from the police or the education safeguarding service (REP-15, REP-17)."""

    serializer_class = ConcernConsultationSerializer
    queryset = Consultation.objects.none()

    def get_queryset(self) -> QuerySet[Consultation]:
        return self.queryset if self._schema_only() else st.concern_consultations(concern=self.concern())

    @extend_schema(request=ConsultationCreateSerializer, responses={201: ConcernConsultationSerializer})
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        concern = self.concern_for_update()
        data = self._input(ConsultationCreateSerializer)
        consultation = triage.consultation_record(actor=self.membership, concern=concern, **data)
        return self._created(consultation, concern)


@extend_schema(parameters=[REVEAL_PARAMETER])
class ConcernParentDecisionListAPI(_ConcernPartAPI, generics.ListCreateAPIView):
    """Whether, when and how parents or carers are told (REP-19). Nothing is ever sent to them (REP-20)."""

    serializer_class = ConcernParentDecisionSerializer
    queryset = ParentDecision.objects.none()

    def get_queryset(self) -> QuerySet[ParentDecision]:
        return self.queryset if self._schema_only() else st.concern_parent_decisions(concern=self.concern())

    @extend_schema(request=ParentDecisionCreateSerializer, responses={201: ConcernParentDecisionSerializer})
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        concern = self.concern_for_update()
        data = self._input(ParentDecisionCreateSerializer)
        decision = triage.parent_decision_record(actor=self.membership, concern=concern, **data)
        return self._created(decision, concern)


@extend_schema(parameters=[REVEAL_PARAMETER])
class ConcernEntryListAPI(_ConcernPartAPI, generics.ListCreateAPIView):
    """The append-only action log (REP-06, REP-08), oldest first. Posting adds a note; colleagues
    the concern is shared with may add notes too."""

    serializer_class = ConcernEntrySerializer
    queryset = ConcernEntry.objects.none()

    def get_queryset(self) -> QuerySet[ConcernEntry]:
        return self.queryset if self._schema_only() else selectors.concern_entries(concern=self.concern())

    @extend_schema(request=NoteCreateSerializer, responses={201: ConcernEntrySerializer})
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        concern = self.concern()
        data = self._input(NoteCreateSerializer)
        entry = services.concern_add_note(
            actor=self.membership, concern=concern, text=data["text"], viewed_image=data["viewed_image"]
        )
        return self._created(entry, concern)


class ConcernExternalShareAPI(_ConcernPartAPI):
    """Record information shared outside the school. Refused (400) until advice from the police or
    the education safeguarding service is recorded (REP-17, INC-CSAE-08)."""

    serializer_class = ConcernEntrySerializer
    queryset = ConcernEntry.objects.none()

    @extend_schema(request=ExternalShareCreateSerializer, responses={201: ConcernEntrySerializer})
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        concern = self.concern_for_update()
        data = self._input(ExternalShareCreateSerializer)
        entry = triage.concern_share_externally(actor=self.membership, concern=concern, **data)
        return self._created(entry, concern)


_BASE = "concerns/<int:pk>/"

urlpatterns = [
    path(f"{_BASE}decisions/", ConcernDecisionListAPI.as_view(), name="api-concern-decision-list"),
    path(f"{_BASE}referrals/", ConcernReferralListAPI.as_view(), name="api-concern-referral-list"),
    path(
        f"{_BASE}referrals/<int:referral_pk>/acknowledge/",
        ConcernReferralAcknowledgeAPI.as_view(),
        name="api-concern-referral-acknowledge",
    ),
    path(f"{_BASE}consultations/", ConcernConsultationListAPI.as_view(), name="api-concern-consultation-list"),
    path(f"{_BASE}parent-decisions/", ConcernParentDecisionListAPI.as_view(), name="api-concern-parent-decision-list"),
    path(f"{_BASE}entries/", ConcernEntryListAPI.as_view(), name="api-concern-entry-list"),
    path(f"{_BASE}external-shares/", ConcernExternalShareAPI.as_view(), name="api-concern-external-share"),
]
