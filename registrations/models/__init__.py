from .accounts import User, UserManager
from .audit import AuditAction, AuditEvent
from .household import HouseholdMember
from .presence import Presence
from .profile import PRIVACY_NOTICE_VERSION, CitizenProfile
from .staff import StaffAssignment
from .trips import Stop, Trip

__all__ = [
    "PRIVACY_NOTICE_VERSION",
    "AuditAction",
    "AuditEvent",
    "CitizenProfile",
    "HouseholdMember",
    "Presence",
    "StaffAssignment",
    "Stop",
    "Trip",
    "User",
    "UserManager",
]
