"""The staff roles: groups made by a migration, what each may do, and the demo staff."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command

from advisories.models import Mission
from portal.second_factor.models import AuthenticatorDevice
from registrations import roles
from registrations.demo import DEMO_STAFF, DEMO_TOTP_SECRET
from registrations.models import Stop, scoping
from registrations.tests.factories import totp_code

pytestmark = pytest.mark.django_db


def test_the_migration_creates_every_role_with_its_permissions():
    for name, permissions in roles.ROLE_PERMISSIONS.items():
        group = Group.objects.get(name=name)
        granted = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}
        assert granted == set(permissions), name
    assert "advisories.publish_edition" in roles.ROLE_PERMISSIONS[roles.ADVISORY_PUBLISHER]
    assert "advisories.publish_edition" not in roles.ROLE_PERMISSIONS[roles.ADVISORY_EDITOR]
    assert roles.ROLE_PERMISSIONS[roles.AUDITOR] == ["registrations.view_auditevent"]


def test_scope_of_each_kind_of_staff(hq_officer, tehran_officer, advisory_editor, superuser):
    hq, officer, editor, root = hq_officer, tehran_officer, advisory_editor, superuser
    citizen = get_user_model().objects.create_user("someone@example.com", "a-long-test-passphrase")

    assert scoping.scope_of(hq) == scoping.ALL
    assert scoping.scope_of(root) == scoping.ALL
    assert scoping.scope_of(officer) == scoping.Jurisdiction(countries=frozenset({"IR"}))
    assert scoping.scope_of(editor) == scoping.NONE
    assert scoping.scope_of(citizen) == scoping.NONE
    assert [scoping.can_see_personal_data(user) for user in (hq, officer, editor, citizen)] == [
        True,
        True,
        False,
        False,
    ]
    assert not Stop.objects.visible_to(editor).exists()


def test_an_advisory_editor_changes_a_missions_status_and_nothing_else(missions, advisory_editor, staff_client):
    mission = missions.tehran
    client = staff_client(advisory_editor)
    page = client.get(f"/admin/advisories/mission/{mission.pk}/change/")
    assert page.status_code == 200
    assert 'name="operating_status"' in page.text
    assert 'name="name"' not in page.text
    assert 'name="jurisdictions-0-country"' not in page.text
    assert client.get("/admin/advisories/mission/add/").status_code == 403
    assert client.get("/admin/advisories/advisoryedition/add/").status_code == 200


def test_demo_staff_have_their_roles_missions_and_a_known_second_factor(settings, client):
    settings.DEBUG = True
    call_command("load_demo_data", stdout=None)

    User = get_user_model()
    for email, role, mission_name in DEMO_STAFF:
        user = User.objects.get(email=email)
        assert user.is_staff and user.groups.filter(name=role).exists()
        device = AuthenticatorDevice.objects.get(user=user, confirmed=True)
        assert f"secret={DEMO_TOTP_SECRET}" in device.config_url
        if mission_name:
            assert user.staff_assignment.mission == Mission.objects.get(name=mission_name)
    assert AuthenticatorDevice.objects.filter(user__email="officer@example.com", confirmed=True).exists()

    tehran = User.objects.get(email="tehran@example.com")
    client.force_login(tehran)
    # The demo device's code is the second step, as for a person trying the demo.
    verified = client.post("/admin/verify/", {"otp_token": totp_code(AuthenticatorDevice.objects.get(user=tehran))})
    assert verified.status_code == 302, "the TOTP code was refused"
    listing = client.get("/admin/registrations/presence/", {"country": "IR"})
    assert listing.status_code == 200
    assert client.get("/admin/registrations/presence/", {"country": "IL"}).status_code == 200
    assert scoping.scope_of(tehran) == scoping.Jurisdiction(countries=frozenset({"IR"}))
