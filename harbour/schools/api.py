"""GET /api/v1/schools/: the schools the caller may open."""

from __future__ import annotations

from django.db.models import QuerySet
from rest_framework import generics, serializers

from harbour.accounts.models import ApiToken
from harbour.schools.models import School
from harbour.schools.selectors import school_list_for_user


class SchoolSerializer(serializers.ModelSerializer):
    organisation = serializers.CharField(source="organisation.name")

    class Meta:
        model = School
        fields = ["slug", "name", "urn", "phase", "organisation"]


class SchoolListAPI(generics.ListAPIView):
    serializer_class = SchoolSerializer
    filter_backends: list = []

    def get_queryset(self) -> QuerySet[School]:
        schools = school_list_for_user(user=self.request.user)
        if isinstance(self.request.auth, ApiToken):
            schools = schools.filter(pk=self.request.auth.school_id)
        return schools
