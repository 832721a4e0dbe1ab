"""The policy pages' own menu offers each role only what it can open (issue 20, ROL-08).

"Settings (YAML)" and "Edit settings" need MANAGE_POLICY; "My acknowledgements" needs a real
membership, which a trust lead (reading every school of the trust) does not have.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from harbour.accounts.models import TrustRole
from harbour.accounts.roles import Role
from harbour.core.tests import factories as f
from harbour.policy import permissions

pytestmark = pytest.mark.django_db
PERSONAS = ("dsl", "deputy", "head", "slt", "teacher", "support", "technician", "office", "governor", "admin")


@pytest.mark.parametrize("persona", PERSONAS)
def test_settings_links_only_for_those_who_manage_the_policy(world, client_for, persona):
    slug = world.school.slug
    page = client_for(persona).get(reverse("policy:home", kwargs={"school_slug": slug})).content.decode()
    config = reverse("policy:config", kwargs={"school_slug": slug})
    edit = reverse("policy:config_edit", kwargs={"school_slug": slug})
    manages = permissions.can_manage(world.persona(persona))
    assert (f'href="{config}"' in page) is manages
    assert (f'href="{edit}"' in page) is manages
    assert f'href="{reverse("policy:acknowledge", kwargs={"school_slug": slug})}"' in page


def test_trust_lead_is_not_offered_pages_only_members_can_open(world):
    lead = f.UserFactory(email="trust@alpha-trust.test", mfa=True)  # the trust lead's role requires MFA
    TrustRole.objects.create(user=lead, organisation=world.school.organisation, role=Role.TRUST_SAFEGUARDING_LEAD)
    client = Client()
    client.force_login(lead)
    slug = world.school.slug
    page = client.get(reverse("policy:home", kwargs={"school_slug": slug})).content.decode()
    assert "Policy home" in page
    for name in ("config", "config_edit", "acknowledge"):
        url = reverse(f"policy:{name}", kwargs={"school_slug": slug})
        assert f'href="{url}"' not in page
        assert client.get(url).status_code == 404
    routes = client.get(reverse("concerns:routes", kwargs={"school_slug": slug})).content.decode()
    assert reverse("concerns:report", kwargs={"school_slug": slug}) not in routes
