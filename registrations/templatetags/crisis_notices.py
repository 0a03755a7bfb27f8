"""The public notices of open crises, for pages outside this app (the home page).

    {% load crisis_notices %}
    {% public_crisis_notices as notices %}

portal/ imports no app, so the home page (portal.views.home) reaches the
crises through this tag in its template rather than through its view.
"""

from django import template

from ..services.crises import public_notices

register = template.Library()


@register.simple_tag
def public_crisis_notices():
    return public_notices()
