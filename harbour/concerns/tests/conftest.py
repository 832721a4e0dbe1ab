"""Shared helpers for the concerns tests. The personas (``world``, ``client_for``) come from the root conftest."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from harbour.accounts.models import Membership
from harbour.concerns import services
from harbour.concerns.models import Concern
from harbour.people.models import Learner


@pytest.fixture
def make_concern(world) -> Callable[..., Concern]:
    """``make_concern(actor_name="teacher", category="cyberbullying", learners=[(learner, "affected")], **kwargs)``.

    Logs a concern through ``services.concern_report``, so alerts, checklists and audit run as in
    real life. ``actor_name`` is a persona name or a Membership; ``learners`` defaults to
    ``[(world.learner, "affected")]`` (pass ``[]`` for none); any other keyword goes to the service.
    """

    def make(
        actor_name: str | Membership = "teacher",
        category: str = "cyberbullying",
        learners: Sequence[tuple[Learner, str]] | None = None,
        **kwargs: Any,
    ) -> Concern:
        actor = world.persona(actor_name) if isinstance(actor_name, str) else actor_name
        pairs = [(world.learner, "affected")] if learners is None else learners
        fields: dict[str, Any] = {
            "occurred_at": timezone.now() - timedelta(hours=1),
            "summary": "Unkind messages in a class group chat",
            "description": "Several messages calling a learner names were shown to me at break.",
        }
        fields.update(kwargs)
        return services.concern_report(
            actor=actor,
            category=category,
            involvements=[services.Involvement(learner_id=learner.pk, part=part) for learner, part in pairs],
            **fields,
        )

    return make


def make_chair(membership: Membership) -> Membership:
    """Mark a login as chair of governors, with the two-step sign-in a chair must have (issue 12)."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    from harbour.core.tests.factories import TEST_TOTP_SECRET

    membership.is_chair_of_governors = True
    membership.save(update_fields=["is_chair_of_governors"])
    if not Authenticator.objects.filter(user=membership.user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(membership.user, TEST_TOTP_SECRET)
    return membership
