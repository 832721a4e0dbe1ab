"""Appointing and ending a trust auditor (issue 12 point 3): a server-side act, audited.

A trust auditor reads the whole audit trail of every school of a trust, so the role is given by
whoever runs the server (``manage.py audit_auditor``), never from a school's own pages, and every
appointment and ending is recorded in the trail of each school it covers.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from harbour.accounts.models import TrustRole, User
from harbour.accounts.roles import Role
from harbour.audit.services import record
from harbour.schools.models import Organisation


def _record_for_each_school(action: str, trust_role: TrustRole, changes: dict[str, object]) -> None:
    # No actor: the server's operator acts, not the auditor; the auditor is named in the changes.
    for school in trust_role.organisation.schools.all():
        record(action=action, school=school, obj=trust_role, changes={**changes, "auditor": trust_role.user.email})


def trust_auditor_appoint(*, email: str, organisation_slug: str) -> TrustRole:
    user = User.objects.filter(email__iexact=email.strip()).first()
    organisation = Organisation.objects.filter(slug=organisation_slug).first()
    if user is None:
        raise ValidationError(f"No login for {email}: invite them to a school or create the login first.")
    if organisation is None:
        raise ValidationError(f"No trust or local authority with the slug {organisation_slug!r}.")
    with transaction.atomic():
        trust_role = TrustRole.objects.select_for_update().filter(user=user, organisation=organisation).first()
        if trust_role is not None and trust_role.role != Role.TRUST_AUDITOR:
            raise ValidationError(f"{user.email} already holds another trust role for {organisation.name}.")
        if trust_role is None:
            trust_role = TrustRole.objects.create(user=user, organisation=organisation, role=Role.TRUST_AUDITOR)
        elif trust_role.is_active:
            return trust_role
        else:
            trust_role.is_active, trust_role.ended_on = True, None
            trust_role.save(update_fields=["is_active", "ended_on"])
        _record_for_each_school("trust_auditor.appoint", trust_role, {"role": [None, Role.TRUST_AUDITOR.value]})
    return trust_role


def trust_auditor_end(*, email: str, organisation_slug: str) -> TrustRole:
    trust_role = (
        TrustRole.objects.select_related("user", "organisation")
        .filter(user__email__iexact=email.strip(), organisation__slug=organisation_slug, role=Role.TRUST_AUDITOR)
        .first()
    )
    if trust_role is None:
        raise ValidationError(f"{email} is not a trust auditor of {organisation_slug!r}.")
    with transaction.atomic():
        if trust_role.is_active:
            trust_role.is_active, trust_role.ended_on = False, timezone.localdate()
            trust_role.save(update_fields=["is_active", "ended_on"])
            _record_for_each_school("trust_auditor.end", trust_role, {"role": [Role.TRUST_AUDITOR.value, None]})
    return trust_role
