"""Read-only API for learners, staff and classes under /api/v1/schools/<school_slug>/ (ROL-01).

The same selectors as the web pages decide who sees what, so a rule is written once: someone from
another school, or a colleague without need-to-know, gets 404 (never 403), and vulnerability flags
appear only for roles that hold Capability.VIEW_VULNERABILITY.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_serializer
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from harbour.accounts.models import Membership
from harbour.core.api import SchoolScopedAPIMixin
from harbour.people import permissions, selectors
from harbour.people.flag_reads import record_bulk_flag_read
from harbour.people.models import Learner, SchoolClass, StaffMember

VULNERABILITY_FIELDS = [
    "send_status",
    "is_looked_after",
    "is_previously_looked_after",
    "has_child_protection_plan",
    "has_child_in_need_plan",
    "is_young_carer",
    "has_eal",
    "is_pupil_premium",
    "other_vulnerabilities",
]


# --- Serializers -----------------------------------------------------------------------------


class LearnerSerializer(serializers.ModelSerializer):
    """A learner as every role with need-to-know sees them: no vulnerability flags."""

    full_name = serializers.CharField(read_only=True, help_text="Preferred (or first) name and last name.")
    school_class_name = serializers.CharField(source="school_class.name", read_only=True, allow_null=True)

    class Meta:
        model = Learner
        fields = [
            "id",
            "first_name",
            "last_name",
            "preferred_name",
            "full_name",
            "date_of_birth",
            "year_group",
            "school_class",
            "school_class_name",
            "upn",
            "mis_id",
            "admitted_on",
            "left_on",
        ]
        read_only_fields = fields


@extend_schema_serializer(component_name="Learner")
class LearnerWithVulnerabilitySerializer(LearnerSerializer):
    """A learner. The vulnerability fields are present only for roles cleared to see them
    (the safeguarding team and the headteacher)."""

    # The flag fields stay out of read_only_fields only so that the schema marks them optional,
    # which is the truth for most callers. The views are read-only, so nothing is ever written.
    vulnerability_flags = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text="A readable label for every flag that is set.",
    )

    class Meta(LearnerSerializer.Meta):
        fields = [*LearnerSerializer.Meta.fields, *VULNERABILITY_FIELDS, "vulnerability_flags"]
        read_only_fields = LearnerSerializer.Meta.fields


class StaffMemberSerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(read_only=True)
    is_current = serializers.BooleanField(read_only=True, help_text="False once the leaving date has passed.")
    has_login = serializers.SerializerMethodField(help_text="Whether this person can sign in to Harbour.")

    class Meta:
        model = StaffMember
        fields = [
            "id",
            "title",
            "first_name",
            "last_name",
            "full_name",
            "email",
            "job_title",
            "staff_code",
            "mis_id",
            "started_on",
            "left_on",
            "is_current",
            "has_login",
        ]
        read_only_fields = fields

    def get_has_login(self, staff: StaffMember) -> bool:
        return staff.user_id is not None


class ClassTeacherSerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(read_only=True)

    class Meta:
        model = StaffMember
        fields = ["id", "full_name", "job_title"]
        read_only_fields = fields


class SchoolClassSerializer(serializers.ModelSerializer):
    teachers = ClassTeacherSerializer(source="current_teachers", many=True, read_only=True)
    learners_on_roll = serializers.IntegerField(source="on_roll", read_only=True)

    class Meta:
        model = SchoolClass
        fields = ["id", "name", "year_group", "mis_id", "teachers", "learners_on_roll"]
        read_only_fields = fields


# --- Filters ---------------------------------------------------------------------------------


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(django_filters.Filter):
    """A whole-number id, checked as a number only, never against the table: validating it as a
    ModelChoiceFilter would tell a caller whether an id exists in some other school."""

    field_class = forms.IntegerField


class LearnerFilter(django_filters.FilterSet):
    year_group = django_filters.CharFilter(help_text="Exact year group, for example 3 or R.")
    school_class = IdFilter(field_name="school_class_id", help_text="Id of a class.")
    left = django_filters.BooleanFilter(
        method="filter_left", help_text="true: only learners who have left; false: only learners on roll."
    )
    flag = django_filters.ChoiceFilter(
        choices=list(selectors.VULNERABILITY_FILTER_LABELS.items()),
        method="filter_flag",
        help_text="Only learners with this vulnerability flag. Applies only to roles that see flags; "
        "each such list is written to the audit trail with the filter and the count.",
    )

    class Meta:
        model = Learner
        fields = ["year_group", "school_class", "left", "flag"]

    def filter_left(self, queryset: QuerySet[Learner], name: str, value: bool) -> QuerySet[Learner]:
        return queryset.filter(left_on__isnull=not value)

    def filter_flag(self, queryset: QuerySet[Learner], name: str, value: str) -> QuerySet[Learner]:
        # Ignored for roles that do not see flags, as on the web page: the answer must not depend
        # on flags they may not know.
        if not getattr(self.request, "harbour_sees_flags", False):
            return queryset
        return queryset.filter(**selectors.VULNERABILITY_FILTERS[value])


class StaffFilter(django_filters.FilterSet):
    has_login = django_filters.BooleanFilter(
        method="filter_has_login", help_text="true: only people who can sign in to Harbour."
    )
    current = django_filters.BooleanFilter(
        method="filter_current", help_text="true: only current staff; false: only staff who have left."
    )

    class Meta:
        model = StaffMember
        fields = ["has_login", "current"]

    def filter_has_login(self, queryset: QuerySet[StaffMember], name: str, value: bool) -> QuerySet[StaffMember]:
        return queryset.filter(user__isnull=not value)

    def filter_current(self, queryset: QuerySet[StaffMember], name: str, value: bool) -> QuerySet[StaffMember]:
        return selectors.staff_filter_current(queryset, current=value)


class SchoolClassFilter(django_filters.FilterSet):
    year_group = django_filters.CharFilter(help_text="Exact year group, for example 3 or R.")

    class Meta:
        model = SchoolClass
        fields = ["year_group"]


# --- Views -----------------------------------------------------------------------------------


def _sees_learners(actor: Membership) -> bool:
    return permissions.sees_all_learners(actor) or permissions.sees_class_learners(actor)


class _PeopleAPI(SchoolScopedAPIMixin):
    """Answers 404 to a role that may not see this kind of record at all, as the web pages do.

    ``queryset`` is an empty placeholder for the schema generator only: every real read comes
    from a people selector scoped to ``self.membership``.
    """

    visible_to: Callable[[Membership], bool]

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        if not type(self).visible_to(self.membership):
            raise Http404

    def _schema_only(self) -> bool:
        return getattr(self, "swagger_fake_view", False)


class _LearnerAPI(_PeopleAPI):
    visible_to = _sees_learners
    queryset = Learner.objects.none()

    def get_serializer_class(self) -> type[LearnerSerializer]:
        # Default to the flag-free shape: only a resolved membership cleared for flags gets them.
        membership = getattr(self, "membership", None)
        if membership is not None and permissions.sees_vulnerability(membership):
            return LearnerWithVulnerabilitySerializer
        return LearnerSerializer


@extend_schema(responses=LearnerWithVulnerabilitySerializer)
class LearnerListAPI(_LearnerAPI, generics.ListAPIView):
    """Learners the caller may see, leavers included unless `left` says otherwise.

    Vulnerability fields are present only for roles cleared to see them.
    """

    filterset_class = LearnerFilter
    search_fields = ["first_name", "last_name", "preferred_name", "=upn"]
    ordering_fields = ["last_name", "first_name", "year_group", "date_of_birth"]
    ordering = ["last_name", "first_name"]

    def get_queryset(self) -> QuerySet[Learner]:
        if self._schema_only():
            return self.queryset
        self.request.harbour_sees_flags = permissions.sees_vulnerability(self.membership)
        return selectors.learner_list(actor=self.membership, include_leavers=True)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().list(request, *args, **kwargs)
        # Issue #12 point 6: a list with flags is one bulk read, audited once with filter and count.
        if response.status_code == 200 and permissions.sees_vulnerability(self.membership):
            data = response.data
            count = data.get("count", 0) if isinstance(data, dict) else len(data)
            record_bulk_flag_read(actor=self.membership, source="api", filters=request.query_params, count=count)
        return response


@extend_schema(responses=LearnerWithVulnerabilitySerializer)
class LearnerDetailAPI(_LearnerAPI, generics.RetrieveAPIView):
    """One learner. Every call is written to the audit trail.

    Vulnerability fields are present only for roles cleared to see them.
    """

    def get_object(self) -> Learner:
        return selectors.learner_get(actor=self.membership, pk=self.kwargs["pk"])


class _StaffAPI(_PeopleAPI):
    visible_to = permissions.sees_staff
    queryset = StaffMember.objects.none()
    serializer_class = StaffMemberSerializer


class StaffListAPI(_StaffAPI, generics.ListAPIView):
    """Everyone recorded as working at the school, current and former."""

    filterset_class = StaffFilter
    search_fields = ["first_name", "last_name", "job_title", "email"]
    ordering_fields = ["last_name", "first_name", "job_title"]
    ordering = ["last_name", "first_name"]

    def get_queryset(self) -> QuerySet[StaffMember]:
        if self._schema_only():
            return self.queryset
        return selectors.staff_list(actor=self.membership, include_leavers=True)


class StaffDetailAPI(_StaffAPI, generics.RetrieveAPIView):
    """One staff member."""

    def get_object(self) -> StaffMember:
        return selectors.staff_get(actor=self.membership, pk=self.kwargs["pk"])


class _ClassAPI(_PeopleAPI):
    visible_to = permissions.sees_classes
    queryset = SchoolClass.objects.none()
    serializer_class = SchoolClassSerializer


class ClassListAPI(_ClassAPI, generics.ListAPIView):
    """Active classes with their current teachers and the number of learners on roll."""

    filterset_class = SchoolClassFilter
    search_fields = ["name"]
    ordering_fields = ["name", "year_group"]
    ordering = ["year_group", "name"]

    def get_queryset(self) -> QuerySet[SchoolClass]:
        if self._schema_only():
            return self.queryset
        return selectors.class_list_with_counts(actor=self.membership)


class ClassDetailAPI(_ClassAPI, generics.RetrieveAPIView):
    """One class with its current teachers and the number of learners on roll."""

    def get_object(self) -> SchoolClass:
        return selectors.class_get_with_counts(actor=self.membership, pk=self.kwargs["pk"])
