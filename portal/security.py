"""Rules every request passes through: well-formed addresses, and the Permissions-Policy header."""

from django.conf import settings
from django.core.exceptions import BadRequest


class RefuseNulBytesMiddleware:
    """A NUL byte in the path or the query string is never a valid address here: 400, before any view or query.

    PostgreSQL refuses NUL in text, so such a value reaching a filter (a country
    code in /advisories/%00/feed/, an admin list filter) would be a 500.
    Form fields refuse NUL themselves (Django's ProhibitNullCharactersValidator).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()
        ):
            raise BadRequest("A NUL byte in the address.")
        return self.get_response(request)


class PermissionsPolicyMiddleware:
    """The Permissions-Policy header (PERMISSIONS_POLICY): browser features no page of ours uses are off."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(
            f"{feature}=({' '.join(allowlist)})" for feature, allowlist in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response
