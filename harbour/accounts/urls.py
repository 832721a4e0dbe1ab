from django.urls import path

from harbour.accounts import views, views_mfa

app_name = "accounts"

urlpatterns = [
    path("me/tokens/", views.token_list, name="token_list"),
    path("me/tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("mfa/set-up/", views_mfa.mfa_setup_needed, name="mfa_setup_needed"),
    path("mfa/enrol/<str:token>/", views_mfa.mfa_enrol, name="mfa_enrol"),
]
