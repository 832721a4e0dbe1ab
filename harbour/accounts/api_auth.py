"""``Authorization: Token <key>`` for the API, backed by hashed, revocable ApiToken rows."""

from __future__ import annotations

from datetime import timedelta

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from harbour.accounts.models import ApiToken, User
from harbour.accounts.selectors import user_requires_mfa

_LAST_USED_GRANULARITY = timedelta(minutes=5)


def _mfa_missing(user: User) -> bool:
    return user_requires_mfa(user=user, mfa_roles=settings.HARBOUR_MFA_REQUIRED_ROLES) and not is_mfa_enabled(user)


class HarbourTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Token"

    def authenticate(self, request: Request) -> tuple[User, ApiToken] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Send the header as 'Authorization: Token <key>'.")
        try:
            raw = header[1].decode()
        except UnicodeError as exc:
            raise exceptions.AuthenticationFailed("The token contains characters that are not allowed.") from exc
        token = (
            ApiToken.objects.select_related("user", "school")
            .filter(key_hash=ApiToken.hash_key(raw), revoked_at__isnull=True)
            .first()
        )
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed("This token is not valid or has been revoked.")
        if _mfa_missing(token.user):
            # A token must not outlive the MFA its holder's role demands (e.g. MFA switched off later).
            raise exceptions.AuthenticationFailed(
                "Your role requires two-step sign-in. Set it up in Harbour before using this token."
            )
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > _LAST_USED_GRANULARITY:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return self.keyword


class HarbourTokenScheme(OpenApiAuthenticationExtension):
    """Describes token authentication in the OpenAPI schema."""

    target_class = "harbour.accounts.api_auth.HarbourTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: object) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "Send `Token <key>`; create keys under 'API tokens' or with `manage.py harbour_token`.",
        }
