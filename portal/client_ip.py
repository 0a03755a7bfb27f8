"""The address a request came from, for lockouts, rate limits and the audit log."""

import ipaddress
from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=4)
def _networks(addresses):
    return [ipaddress.ip_network(address, strict=False) for address in addresses]


def _from_trusted_proxy(remote_addr):
    try:
        address = ipaddress.ip_address(remote_addr)
    except ValueError:
        return False
    return any(address in network for network in _networks(tuple(settings.TRUSTED_PROXY_ADDRESSES)))


def client_ip(request):
    """REMOTE_ADDR, or the address our own proxies saw when the request came through them.

    Each trusted proxy appends the address it received from to
    X-Forwarded-For, so the client is the entry TRUSTED_PROXY_COUNT places from
    the right; anything further left was written by the client and is not
    trusted. The header is read only when the connection comes from one of
    TRUSTED_PROXY_ADDRESSES: a client reaching the application directly cannot
    choose its address (and so escape lockouts and rate limits) by sending one.
    """
    remote_addr = request.META.get("REMOTE_ADDR")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies and _from_trusted_proxy(remote_addr):
        forwarded = [part.strip() for part in request.headers.get("X-Forwarded-For", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return remote_addr
