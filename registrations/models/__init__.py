from .accounts import User, UserManager
from .profiles import PRIVACY_NOTICE_VERSION, CitizenProfile, HouseholdMember
from .trips import Stop, Trip

__all__ = ["PRIVACY_NOTICE_VERSION", "CitizenProfile", "HouseholdMember", "Stop", "Trip", "User", "UserManager"]
