"""The address a request came from, for lockouts and the audit log."""

from django.conf import settings


def client_ip(request):
    """REMOTE_ADDR, or the address our own proxies saw when we run behind them.

    Each trusted proxy appends the address it received from to
    X-Forwarded-For, so the client is the entry TRUSTED_PROXY_COUNT places from
    the right; anything further left was written by the client and is not
    trusted.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [part.strip() for part in request.headers.get("X-Forwarded-For", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")
