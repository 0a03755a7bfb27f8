"""The crisis board's evacuation section: boarded and arrived per transport and per border crossing."""

from django import template

from ..services.evacuations import progress

register = template.Library()


@register.inclusion_tag("admin/registrations/evacuation/_board_progress.html")
def evacuation_progress(crisis, user):
    transports, crossings = progress(crisis, user)
    return {"transports": transports, "crossings": crossings}
