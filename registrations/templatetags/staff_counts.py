"""The counts board on the staff workplace's front page (templates/admin/index.html)."""

from django import template

from ..admin.counts import index_board
from ..models.scoping import can_see_personal_data

register = template.Library()


@register.filter
def sees_counts(user):
    """Whether the front page gives this staff member the counts board (and so its full width)."""
    return can_see_personal_data(user)


@register.simple_tag(takes_context=True)
def counts_board(context):
    return index_board(context["request"])
