"""The trust auditor: a trust-level, read-only role that reads every school's whole trail
(issue 12 point 3) and opens no record itself."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from harbour.accounts.roles import MFA_ROLES_DEFAULT, READ_ONLY_ROLES, TRUST_ROLES, Capability, Role, has_capability
from harbour.accounts.selectors import membership_resolve, user_requires_mfa
from harbour.accounts.services import membership_change_role, membership_create
from harbour.core.tests import factories as f


def test_the_auditor_only_reads_the_trail():
    assert has_capability(Role.TRUST_AUDITOR, Capability.AUDIT_EVERY_RECORD)
    assert has_capability(Role.TRUST_AUDITOR, Capability.VIEW_AUDIT)
    for capability in (
        Capability.READ_CONCERNS,
        Capability.HANDLE_CONCERNS,
        Capability.VIEW_ALL_LEARNERS,
        Capability.VIEW_VULNERABILITY,
        Capability.MANAGE_MEMBERSHIPS,
        Capability.REPORT_CONCERN,
    ):
        assert not has_capability(Role.TRUST_AUDITOR, capability), capability
    assert Role.TRUST_AUDITOR in READ_ONLY_ROLES
    assert Role.TRUST_AUDITOR in TRUST_ROLES
    assert Role.TRUST_AUDITOR in MFA_ROLES_DEFAULT


def test_only_the_auditor_reads_every_record_of_the_trail():
    assert [role for role in Role if has_capability(role, Capability.AUDIT_EVERY_RECORD)] == [Role.TRUST_AUDITOR]


def test_a_trust_auditor_acts_in_each_school_of_the_trust_as_auditor(world):
    user = f.UserFactory(email="auditor@trust.test", mfa=True)
    f.TrustRoleFactory(user=user, organisation=world.school.organisation, role=Role.TRUST_AUDITOR)
    acting = membership_resolve(user=user, school_slug="alpha")
    assert acting.role == Role.TRUST_AUDITOR
    assert acting.pk is None
    assert acting.is_trust_level
    assert user_requires_mfa(user=user, mfa_roles=[str(role) for role in MFA_ROLES_DEFAULT])


@pytest.mark.parametrize("role", sorted(TRUST_ROLES))
def test_a_school_cannot_hand_out_a_trust_role(world, role):
    with pytest.raises(ValidationError):
        membership_create(actor=world.head, school=world.school, user=f.UserFactory(), role=role)
    with pytest.raises(ValidationError):
        membership_change_role(actor=world.head, membership=world.teacher, role=role)


def test_the_server_appoints_and_ends_an_auditor_and_each_school_trail_says_so(world):
    import io

    from django.core.management import CommandError, call_command

    from harbour.accounts.models import TrustRole
    from harbour.audit.models import AuditEvent

    user = f.UserFactory(email="auditor@trust.test", mfa=True)
    organisation = world.school.organisation
    out = io.StringIO()
    call_command("audit_auditor", "appoint", "Auditor@Trust.test", "--trust", organisation.slug, stdout=out)
    assert "is now trust auditor" in out.getvalue()
    assert membership_resolve(user=user, school_slug="alpha").role == Role.TRUST_AUDITOR
    assert AuditEvent.objects.filter(action="trust_auditor.appoint", school=world.school).count() == 1

    call_command("audit_auditor", "end", user.email, "--trust", organisation.slug, stdout=out)
    assert not TrustRole.objects.get(user=user).is_active
    assert AuditEvent.objects.filter(action="trust_auditor.end", school=world.school).count() == 1
    with pytest.raises(CommandError, match=r"No login for nobody@trust\.test"):
        call_command("audit_auditor", "appoint", "nobody@trust.test", "--trust", organisation.slug)
