"""School pages of the policy app. Each area has its own URL module (one per file owner)."""

from django.urls import include, path

app_name = "policy"

urlpatterns = [
    path("policy/", include("harbour.policy.urls_versions")),
    path("policy/", include("harbour.policy.urls_config")),
    path("policy/", include("harbour.policy.urls_guide")),
    path("policy/", include("harbour.policy.urls_documents")),
]
