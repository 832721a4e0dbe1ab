from django.urls import path

from harbour.accounts import views

app_name = "accounts"

urlpatterns = [
    path("me/tokens/", views.token_list, name="token_list"),
    path("me/tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
]
