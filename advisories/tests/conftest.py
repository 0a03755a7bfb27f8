"""The advisories' test world.

Staff of both advisories roles (publishers: author and publisher; an editor,
who may not publish), each with a confirmed authenticator app, and clients
signed in to the admin as them with the second factor verified. They hold
the app's permissions directly: the role groups belong to registrations,
whose tests check them. Then Iran's published advice and the embassies in
Tehran and Baku. Anything else a test builds with factories.py.
"""

import pytest
from django.test import Client

from advisories.tests.factories import (
    make_advisory_staff,
    make_mission,
    make_published_advisory,
    sign_in_to_admin,
    totp_device,
)


def _with_second_factor(user):
    totp_device(user)
    return user


@pytest.fixture
def author(db):
    """An advisory publisher who writes the drafts: may publish, except their own change of level."""
    return _with_second_factor(make_advisory_staff("author@example.gov.kz"))


@pytest.fixture
def publisher(db):
    """A second advisory publisher: the other pair of eyes of the four-eyes rule."""
    return _with_second_factor(make_advisory_staff("publisher@example.gov.kz"))


@pytest.fixture
def editor(db):
    """An advisory editor: writes drafts and keeps missions' status current, but may not publish."""
    return _with_second_factor(make_advisory_staff("editor@example.gov.kz", publish=False))


@pytest.fixture
def as_author(author):
    """A client signed in to the admin as the author, second factor verified."""
    return sign_in_to_admin(Client(), author)


@pytest.fixture
def as_publisher(publisher):
    return sign_in_to_admin(Client(), publisher)


@pytest.fixture
def as_editor(editor):
    return sign_in_to_admin(Client(), editor)


@pytest.fixture
def iran(db):
    """Iran's advice, published: version 1, level 3 ("Reconsider travel"), no regional levels."""
    return make_published_advisory("IR", level=3)


@pytest.fixture
def tehran(db):
    """The embassy in Tehran, which serves Iran."""
    return make_mission("IR", "Tehran", jurisdiction=("IR",), name="Embassy in Tehran")


@pytest.fixture
def baku(db):
    """The embassy in Baku, which serves Azerbaijan and Iran."""
    return make_mission("AZ", "Baku", jurisdiction=("AZ", "IR"), name="Embassy in Baku")
