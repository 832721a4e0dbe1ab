"""API for the member register: /api/v1/schools/<slug>/memberships/ (ROL-01), and role changes
(PATCH on one membership, issue #12 point 5)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from harbour.accounts import selectors, services
from harbour.accounts.models import Membership
from harbour.accounts.roles import TRUST_ROLES, Capability, Role, has_capability
from harbour.core.api import SchoolScopedAPIMixin


class MembershipSerializer(serializers.ModelSerializer):
    email = serializers.EmailField(source="user.email", read_only=True)
    full_name = serializers.CharField(source="user.full_name", read_only=True)
    role_label = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = Membership
        fields = [
            "id",
            "email",
            "full_name",
            "role",
            "role_label",
            "job_title",
            "is_named_online_safety_governor",
            "is_active",
            "started_on",
            "ended_on",
        ]
        read_only_fields = fields


class MembershipFilter(django_filters.FilterSet):
    role = django_filters.ChoiceFilter(choices=Role.choices)
    is_active = django_filters.BooleanFilter()

    class Meta:
        model = Membership
        fields = ["role", "is_active"]


class MembershipListAPI(SchoolScopedAPIMixin, generics.ListAPIView):
    """People with a login in the school and their roles. Filter with ``?role=dsl&is_active=true``.

    Only roles that may see the register get it; anyone else gets 404, as on the web page.
    """

    serializer_class = MembershipSerializer
    filterset_class = MembershipFilter
    search_fields = ["user__email", "user__full_name", "job_title"]
    ordering_fields = ["user__email", "user__full_name", "role", "started_on"]
    ordering = ["user__email"]

    def get_queryset(self) -> QuerySet[Membership]:
        if getattr(self, "swagger_fake_view", False):  # schema generation has no school
            return Membership.objects.none()
        if not has_capability(self.membership.role, Capability.VIEW_MEMBERSHIPS):
            raise Http404
        return selectors.membership_list(actor=self.membership)


class MembershipRoleChangeSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=[c for c in Role.choices if c[0] not in TRUST_ROLES])
    is_named_online_safety_governor = serializers.BooleanField(required=False)


class MembershipDetailAPI(SchoolScopedAPIMixin, generics.GenericAPIView):
    """One membership (GET), and changing its role (PATCH ``{"role": "deputy_dsl"}``).

    The same rules as the member page (one service): nobody changes their own role or gives a role
    above their own; only the head (or trust safeguarding lead) appoints or removes a DSL or
    deputy; the school always keeps a DSL (ROL-02). A refusal is a 403 problem naming the reason.
    """

    serializer_class = MembershipSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Membership]:
        if getattr(self, "swagger_fake_view", False):
            return Membership.objects.none()
        return selectors.membership_list(actor=self.membership)

    def get_object(self) -> Membership:
        if not has_capability(self.membership.role, Capability.VIEW_MEMBERSHIPS):
            raise Http404
        return selectors.membership_get(actor=self.membership, pk=self.kwargs["pk"])

    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(MembershipSerializer(self.get_object()).data)

    @extend_schema(request=MembershipRoleChangeSerializer, responses=MembershipSerializer)
    def patch(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        target = self.get_object()
        may_change_roles = has_capability(self.membership.role, Capability.MANAGE_MEMBERSHIPS) or has_capability(
            self.membership.role, Capability.APPOINT_SAFEGUARDING_LEADS
        )
        # As on the web page: a role that changes no roles (or a leaver's membership) is 404, and
        # only a manager's refused change is a 403 with its reason.
        if not may_change_roles or not target.is_active:
            raise Http404
        change = MembershipRoleChangeSerializer(data=request.data)
        change.is_valid(raise_exception=True)
        try:
            changed = services.membership_change_role(
                actor=self.membership,
                membership=target,
                role=change.validated_data["role"],
                is_named_online_safety_governor=change.validated_data.get("is_named_online_safety_governor"),
            )
        except PermissionDenied as exc:
            raise exceptions.PermissionDenied(str(exc) or "You cannot make this change.") from exc
        return Response(MembershipSerializer(changed).data)
