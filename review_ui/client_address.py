"""The client address of a request: the socket peer, or what a configured trusted proxy says.

``X-Forwarded-For`` and ``Forwarded`` are written by whoever sends the request, so they are believed only
when the request arrives from an address in ``trusted_proxies``. The hops are then walked from the right
(the nearest proxy's entry first): the first hop that is not itself a trusted proxy is the client. Entries
further left were supplied by the client and are ignored, so a client cannot pick its address (and with it
its login throttle) by sending a header.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence

from fastapi import Request

from core.settings import Settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def _clean(hop: str) -> str:
    """An address without quotes, brackets or port ('"[2001:db8::1]:4711"' -> '2001:db8::1')."""
    hop = hop.strip().strip('"')
    if hop.startswith("["):
        return hop[1:].split("]", 1)[0]
    if hop.count(":") == 1:  # IPv4 with a port
        return hop.split(":", 1)[0]
    return hop


def forwarded_hops(headers: Sequence[tuple[str, str]]) -> list[str]:
    """Client hops from ``Forwarded`` (RFC 7239 ``for=``) if present, else from ``X-Forwarded-For``."""
    forwarded = [v for k, v in headers if k.lower() == "forwarded"]
    if forwarded:
        hops = []
        for element in ",".join(forwarded).split(","):
            for pair in element.split(";"):
                name, _, value = pair.partition("=")
                if name.strip().lower() == "for" and value.strip():
                    hops.append(_clean(value))
        return hops
    xff = [v for k, v in headers if k.lower() == "x-forwarded-for"]
    return [_clean(h) for h in ",".join(xff).split(",") if h.strip()]


def _trusted(address: str, networks: Sequence[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in networks)


def resolve(peer: str, headers: Sequence[tuple[str, str]], networks: Sequence[Network]) -> str:
    """The client behind ``peer`` given the request headers and the trusted proxy networks."""
    if not networks or not _trusted(peer, networks):
        return peer
    hops = forwarded_hops(headers)
    for hop in reversed(hops):
        if not _trusted(hop, networks):
            return hop
    return hops[0] if hops else peer


def client_address(request: Request, settings: Settings) -> str:
    """The address login throttling and the audit log attribute this request to."""
    peer = request.client.host if request.client else "unknown"
    return resolve(peer, list(request.headers.items()), settings.trusted_proxy_networks)
