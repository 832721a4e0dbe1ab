"""The one place that decides which address a request came from.

Sign-in throttling (allauth), the audit trail's request context and the public report form's
throttle all ask :func:`client_ip`. ``X-Forwarded-For`` is believed only when the connection
comes from a proxy the operator listed in ``HARBOUR_TRUSTED_PROXIES``; otherwise anyone could
write any address into the header and so throttle, or hide behind, somebody else's address.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


@lru_cache(maxsize=8)
def trusted_networks(entries: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    """The configured proxies as networks (a bare address is a /32 or /128)."""
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def _parse(raw: str) -> IPAddress | None:
    value = raw.strip()
    if value.startswith("[") and "]" in value:  # "[2001:db8::1]:443" from some proxies
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # "203.0.113.9:51234"
        value = value.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    # An IPv4 client seen through an IPv6 socket is still the IPv4 client.
    mapped = getattr(address, "ipv4_mapped", None)
    return mapped or address


def _is_trusted(address: IPAddress, networks: tuple[IPNetwork, ...]) -> bool:
    return any(address.version == net.version and address in net for net in networks)


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: the peer itself, or, when the peer is a trusted proxy, the right-most
    address in ``X-Forwarded-For`` that is not itself a trusted proxy.

    Right-most, because each proxy appends the address it received the connection from: entries to
    the left of the last untrusted one were written by the client and prove nothing.
    """
    peer = _parse(request.META.get("REMOTE_ADDR", ""))
    if peer is None:
        return None
    networks = trusted_networks(tuple(getattr(settings, "HARBOUR_TRUSTED_PROXIES", ()) or ()))
    if not networks or not _is_trusted(peer, networks):
        return str(peer)
    hops = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    for hop in reversed(hops):
        address = _parse(hop)
        if address is None:
            # A malformed entry where the client's address should be: the chain cannot be
            # followed, so fall back to the proxy (the throttle is then shared, never skipped).
            return str(peer)
        if not _is_trusted(address, networks):
            return str(address)
    # Every hop is one of our proxies (a health check from the proxy itself, for instance).
    return str(peer)
