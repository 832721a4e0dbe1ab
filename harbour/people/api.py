"""Filled in next."""

from rest_framework.views import APIView

LearnerListAPI = LearnerDetailAPI = StaffListAPI = StaffDetailAPI = ClassListAPI = ClassDetailAPI = APIView
