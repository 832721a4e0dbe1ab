from django.urls import path

from harbour.accounts import views

app_name = "members"

urlpatterns = [
    path("members/", views.member_list, name="member_list"),
    path("members/invite/", views.member_invite, name="member_invite"),
    path("members/<int:pk>/", views.member_detail, name="member_detail"),
    path("members/invitations/<int:pk>/revoke/", views.invitation_revoke, name="invitation_revoke"),
]
