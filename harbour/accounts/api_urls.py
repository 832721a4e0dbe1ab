from django.urls import path

from harbour.accounts import api

urlpatterns = [
    path("memberships/", api.MembershipListAPI.as_view(), name="api-membership-list"),
    path("memberships/<int:pk>/", api.MembershipDetailAPI.as_view(), name="api-membership-detail"),
]
