"""One client address for sign-in throttling, the audit trail and the public report form
(issue #12 point 7): X-Forwarded-For is believed only from a configured trusted proxy."""

from __future__ import annotations

import pytest
from django.test import RequestFactory, override_settings

from harbour.core.client_address import client_ip

PROXY = "10.0.0.1"


def _request(remote: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@override_settings(HARBOUR_TRUSTED_PROXIES=[])
def test_without_trusted_proxies_the_header_is_ignored():
    assert client_ip(_request("203.0.113.5", "198.51.100.7")) == "203.0.113.5"


@override_settings(HARBOUR_TRUSTED_PROXIES=[PROXY])
def test_a_spoofed_header_from_an_untrusted_peer_is_ignored():
    assert client_ip(_request("203.0.113.5", "10.9.9.9")) == "203.0.113.5"


@override_settings(HARBOUR_TRUSTED_PROXIES=[PROXY])
def test_behind_the_proxy_the_client_is_the_rightmost_untrusted_hop():
    # The client wrote "1.2.3.4" itself; the proxy appended the address it really saw.
    assert client_ip(_request(PROXY, "1.2.3.4, 198.51.100.7")) == "198.51.100.7"


@override_settings(HARBOUR_TRUSTED_PROXIES=["10.0.0.0/8", "2001:db8::/32"])
def test_chains_of_trusted_proxies_and_cidr_ranges():
    assert client_ip(_request("10.0.0.2", "198.51.100.7, 10.1.1.1")) == "198.51.100.7"
    assert client_ip(_request("2001:db8::1", "198.51.100.8")) == "198.51.100.8"


@override_settings(HARBOUR_TRUSTED_PROXIES=[PROXY])
@pytest.mark.parametrize(
    ("forwarded", "expected"),
    [
        ("", PROXY),  # the proxy itself (a health check)
        ("not-an-address", PROXY),  # the chain cannot be followed: never a made-up address
        ("198.51.100.7:51234", "198.51.100.7"),
        ("[2001:db8::5]:443", "2001:db8::5"),
    ],
)
def test_odd_headers(forwarded, expected):
    assert client_ip(_request(PROXY, forwarded)) == expected


def test_garbage_peer_gives_no_address():
    assert client_ip(_request("")) is None


@override_settings(HARBOUR_TRUSTED_PROXIES=[PROXY])
def test_audit_events_record_the_address_through_the_proxy(world, client_for):
    from harbour.audit.models import AuditEvent

    client = client_for("dsl")
    client.get("/s/alpha/learners/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.7")
    client.get(f"/s/alpha/learners/{world.learner.pk}/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.7")
    event = AuditEvent.objects.filter(action="learner.view").latest("id")
    assert event.ip_address == "198.51.100.7"


@override_settings(HARBOUR_TRUSTED_PROXIES=[PROXY])
def test_the_public_report_form_throttles_the_client_not_the_proxy():
    from harbour.concerns import views_reporting

    key_one = views_reporting._throttle_key(_request(PROXY, "198.51.100.7"))
    key_two = views_reporting._throttle_key(_request(PROXY, "198.51.100.8"))
    spoofed = views_reporting._throttle_key(_request("203.0.113.5", "198.51.100.7"))
    assert key_one != key_two
    assert "198.51.100.7" in key_one
    assert "203.0.113.5" in spoofed
