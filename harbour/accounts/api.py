"""Filled in next."""

from rest_framework.views import APIView

MembershipListAPI = APIView
