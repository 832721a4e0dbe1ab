"""INC-CSAE-03: the risk of a sexual abuse or exploitation concern cannot be quietly lowered.

Lowering it needs the same answer as closing it: a police referral on record, or the reason the
police were not told.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from harbour.concerns import services, triage
from harbour.concerns.models import Concern, ConcernEntry


def _post_risk(client, concern: Concern, **fields: object):
    data = {"risk-version": concern.version, **{f"risk-{k}": v for k, v in fields.items()}}
    return client.post(reverse("concerns:triage_risk", args=["alpha", concern.pk]), data)


@pytest.fixture
def exploitation(world, make_concern) -> Concern:
    concern = make_concern(category="online_abuse_exploitation")
    services.concern_set_risk(actor=world.dsl, concern=concern, risk="high", reason="Adult asking", version=1)
    concern.refresh_from_db()
    return concern


def test_lowering_the_risk_is_refused_without_police_or_a_reason(world, exploitation):
    with pytest.raises(ValidationError) as refused:
        services.concern_set_risk(
            actor=world.dsl, concern=exploitation, risk="low", reason="Calmer now", version=exploitation.version
        )
    assert "no_police_reason" in refused.value.message_dict
    exploitation.refresh_from_db()
    assert exploitation.risk == "high"


def test_page_refuses_lowering_without_the_police_answer_and_keeps_the_grade(world, exploitation, client_for):
    dsl = client_for("dsl")
    page = dsl.get(reverse("concerns:detail", args=["alpha", exploitation.pk])).content.decode()
    assert 'name="risk-no_police_reason"' in page
    entries = ConcernEntry.objects.filter(concern=exploitation).count()
    refused = _post_risk(dsl, exploitation, risk="low", reason="Calmer now")
    assert refused.status_code == 400
    assert "cannot be lowered" in refused.content.decode()
    exploitation.refresh_from_db()
    assert exploitation.risk == "high"
    assert ConcernEntry.objects.filter(concern=exploitation).count() == entries

    allowed = _post_risk(
        dsl, exploitation, risk="low", reason="Calmer now", no_police_reason="Advice service: peers of the same age"
    )
    assert allowed.status_code == 302
    exploitation.refresh_from_db()
    assert exploitation.risk == "low"
    entry = ConcernEntry.objects.filter(concern=exploitation, kind=ConcernEntry.Kind.RISK).last()
    assert entry.data["no_police_reason"] == "Advice service: peers of the same age"


def test_raising_the_risk_needs_no_police_answer(world, exploitation):
    services.concern_set_risk(
        actor=world.dsl, concern=exploitation, risk="immediate", reason="Meeting planned", version=exploitation.version
    )
    exploitation.refresh_from_db()
    assert exploitation.risk == "immediate"


def test_lowering_is_allowed_once_the_police_are_told(world, exploitation):
    triage.referral_record(
        actor=world.dsl,
        concern=exploitation,
        agency="police",
        police_call="101",
        reference="CAD-77",
        made_at=timezone.now(),
    )
    services.concern_set_risk(
        actor=world.dsl, concern=exploitation, risk="medium", reason="Police acting", version=exploitation.version
    )
    exploitation.refresh_from_db()
    assert exploitation.risk == "medium"


def test_other_categories_lower_the_risk_freely(world, make_concern):
    concern = make_concern(category="cyberbullying")
    services.concern_set_risk(actor=world.dsl, concern=concern, risk="high", reason="Threats", version=1)
    concern.refresh_from_db()
    services.concern_set_risk(actor=world.dsl, concern=concern, risk="low", reason="Resolved", version=concern.version)
    concern.refresh_from_db()
    assert concern.risk == "low"
