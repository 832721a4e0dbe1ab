"""The concern list, the concern page and the URLs its panels post to (namespace "concerns")."""

from django.urls import path

from harbour.concerns import views_triage as views


def _action(route: str, action: str) -> object:
    return path(f"concerns/<int:pk>/{route}", views.concern_action, {"action": action}, name=f"triage_{action}")


urlpatterns = [
    path("concerns/", views.concern_list, name="list"),
    path("concerns/<int:pk>/", views.concern_detail, name="detail"),
    _action("acknowledge/", "acknowledge"),
    _action("risk/", "risk"),
    _action("notes/", "note"),
    _action("entries/<int:item_pk>/amend/", "amend"),
    _action("category/", "category"),
    _action("decisions/", "decision"),
    _action("referrals/", "referral"),
    _action("referrals/<int:item_pk>/acknowledge/", "referral_acknowledge"),
    _action("consultations/", "consultation"),
    _action("parents/", "parents"),
    _action("share-outside/", "external"),
    _action("shares/", "share"),
    _action("shares/<int:item_pk>/revoke/", "revoke"),
    _action("close/", "close"),
    _action("reopen/", "reopen"),
    _action("follow-ups/<int:item_pk>/", "follow_up"),
    _action("image-viewings/", "image_viewing"),
    _action("preservation-requests/", "preservation"),
    _action("escalate-as-abuse/", "escalate"),
    _action("checklist-variants/", "variant"),
]
