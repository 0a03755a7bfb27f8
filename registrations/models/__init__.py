from .accounts import User, UserManager
from .audit import AuditAction, AuditEvent
from .broadcasts import Broadcast, Delivery, InboundMessage
from .checkins import CheckIn
from .crises import Crisis, CrisisArea, CrisisCount, CrisisPerson, Estimate
from .evacuations import Evacuation, ManifestEntry, RouteLeg, Seat, SeatOffer, Transport
from .help_requests import HelpRequest, HelpRequestNote
from .household import HouseholdMember
from .identity import IdentityClash
from .presence import Presence
from .profile import PRIVACY_NOTICE_VERSION, CitizenProfile
from .staff import StaffAssignment
from .trips import Stop, Trip

__all__ = [
    "PRIVACY_NOTICE_VERSION",
    "AuditAction",
    "AuditEvent",
    "Broadcast",
    "CheckIn",
    "CitizenProfile",
    "Crisis",
    "CrisisArea",
    "CrisisCount",
    "CrisisPerson",
    "Delivery",
    "Estimate",
    "Evacuation",
    "HelpRequest",
    "HelpRequestNote",
    "HouseholdMember",
    "IdentityClash",
    "InboundMessage",
    "ManifestEntry",
    "Presence",
    "RouteLeg",
    "Seat",
    "SeatOffer",
    "StaffAssignment",
    "Stop",
    "Transport",
    "Trip",
    "User",
    "UserManager",
]
