"""The registrations part of the staff workplace; each module registers its admins."""

from . import citizens, presence, staff

__all__ = ["citizens", "presence", "staff"]
