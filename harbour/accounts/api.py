"""Read-only API for the member register: /api/v1/schools/<slug>/memberships/ (ROL-01)."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.http import Http404
from rest_framework import generics, serializers

from harbour.accounts import selectors
from harbour.accounts.models import Membership
from harbour.accounts.roles import Capability, Role, has_capability
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
