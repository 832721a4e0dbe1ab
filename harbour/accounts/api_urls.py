from django.urls import path

from harbour.accounts import api

urlpatterns = [
    path("memberships/", api.MembershipListAPI.as_view(), name="api-membership-list"),
]
