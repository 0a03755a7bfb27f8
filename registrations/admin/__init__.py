"""The registrations part of the staff workplace; each module registers its admins."""

from . import (
    broadcasts,
    checkins,
    citizens,
    crises,
    evacuations,
    help_requests,
    identity,
    presence,
    staff,
    transports,
)

__all__ = [
    "broadcasts",
    "checkins",
    "citizens",
    "crises",
    "evacuations",
    "help_requests",
    "identity",
    "presence",
    "staff",
    "transports",
]
