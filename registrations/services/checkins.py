"""Check-ins: people's answers in a crisis ("I'm safe", "I need help", "I want to leave")."""

from django.urls import reverse
from django.utils import translation

from portal.outbound import SignedLink, absolute_url

# The personal link in every crisis message: the citizen's CrisisPerson id, and
# nothing else. No maximum age: it is good until the crisis closes.
CHECKIN_LINK = SignedLink(salt="registrations.checkin")


def checkin_url(person, *, language):
    """The citizen's one-tap answer page for this crisis (GET shows it, POST records), in `language`."""
    with translation.override(language):
        path = reverse("registrations:checkin", kwargs={"token": CHECKIN_LINK.make(person.pk)})
    return absolute_url(path)
