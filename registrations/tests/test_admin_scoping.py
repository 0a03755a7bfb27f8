"""The matrix: every admin URL of every model holding personal data, for a mission officer
in Tehran, one in Tel Aviv, and one of the consulate general in Istanbul, whose jurisdiction
is two provinces of Türkiye (the embassy in Ankara has the others). None sees another's
citizens; headquarters sees all; staff without a role, and citizens, see nothing."""

import pytest
from django.contrib.auth.models import Permission

from advisories.tests.factories import make_mission
from registrations import roles
from registrations.models import AuditEvent, CitizenProfile, HouseholdMember, Stop, Trip
from registrations.models.scoping import Jurisdiction, scope_of
from registrations.tests.factories import days, make_citizen, make_officer, make_trip, make_user
from registrations.tests.staff_search import search

pytestmark = pytest.mark.django_db

REFUSED = {302, 403, 404}

# Every model holding personal data, with the admin URLs it answers.
PERSONAL_MODELS = ["citizenprofile", "householdmember", "trip", "stop", "presence", "user"]
# Every autocomplete field pointing at personal data: (model, field).
AUTOCOMPLETES = [
    ("citizenprofile", "user"),
    ("householdmember", "owner"),
    ("trip", "owner"),
    ("stop", "trip"),
    ("staffassignment", "user"),
]


def _may_delete(officer):
    """Deleting too, so that the delete page is refused for its scope, not for a missing permission."""
    officer.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="registrations",
            codename__in=["delete_citizenprofile", "delete_householdmember", "delete_trip", "delete_stop"],
        )
    )
    return officer


def _own_and_others(world, which):
    everyone = [
        world.in_iran,
        world.in_israel,
        world.going_to_iran,
        world.left_iran,
        world.cancelled_iran,
        world.in_france,
    ]
    if which == "istanbul":
        # A jurisdiction of single regions: İstanbul yes, Ankara (the embassy's) no.
        return [world.in_istanbul], [*everyone, world.in_ankara]
    own = [world.in_iran, world.going_to_iran] if which == "tehran" else [world.in_israel]
    return own, [citizen for citizen in everyone if citizen not in own]


def _objects(citizen):
    """(model name, pk) of every record of this citizen in the admin."""
    stop = citizen.stop
    return [
        ("citizenprofile", citizen.profile.pk),
        *(("householdmember", member.pk) for member in citizen.members),
        ("trip", citizen.trip.pk),
        ("stop", stop.pk),
        ("presence", stop.pk),
        ("user", citizen.user.pk),
    ]


def _assert_absent(response, citizens, *, searched=None):
    text = response.content.decode()
    if searched:
        # The search box and the filters' links repeat the term searched for.
        text = text.replace(searched, "")
    for citizen in citizens:
        for name in citizen.names:
            assert name not in text, f"{name} leaked into {response.request['PATH_INFO']}"


@pytest.fixture
def istanbul_officer(world):
    """An officer of the consulate general in Istanbul, which covers İstanbul and Kocaeli provinces only;
    the embassy in Ankara covers the rest of Türkiye. The world gains a citizen in each."""
    consulate = make_mission(
        "TR", "Istanbul", ("TR-34", "TR-41"), kind="consulate_general", name="Consulate General in Istanbul"
    )
    make_mission("TR", "Ankara", ("TR-06", "TR-07"), name="Embassy in Ankara")
    world.in_istanbul = make_citizen(
        "aidos.istanbul@example.com",
        "BOSPOROV",
        "AIDOS",
        ["Aliya Bosporova"],
        ("TR", "TR-34", days(-2), days(8)),
        city="Istanbul",
    )
    world.in_ankara = make_citizen(
        "saule.ankara@example.com", "ANKAROVA", "SAULE", ["Ermek Ankarov"], ("TR", "TR-06", days(-5), days(5))
    )
    return make_officer("istanbul@mfa.example.gov.kz", roles.MISSION_OFFICER, mission=consulate)[0]


@pytest.fixture(params=["tehran", "tel_aviv", "istanbul"])
def officer(request, world, staff_client):
    user = _may_delete(request.getfixturevalue(f"{request.param}_officer"))
    own, others = _own_and_others(world, request.param)
    return staff_client(user), own, others


def test_lists_and_searches_show_only_the_officers_citizens(officer):
    client, own, others = officer
    for model in ["citizenprofile", "householdmember", "trip", "stop", "presence"]:
        url = f"/admin/registrations/{model}/"
        response = client.get(url)
        assert response.status_code == 200, url
        _assert_absent(response, others)
        for citizen in others + own:
            for term in [citizen.user.email, citizen.profile.surname_latin]:
                response = search(client, url, term)
                assert response.status_code == 200
                _assert_absent(response, others, searched=term)
    response = client.get("/admin/registrations/citizenprofile/")
    for citizen in own:
        assert citizen.profile.surname_latin in response.text
    response = client.get("/admin/registrations/presence/", {"on": own[0].stop.arrival_date.isoformat()})
    assert own[0].user.email in response.text


def test_filtering_on_the_other_jurisdiction_shows_nobody(officer):
    client, _own, others = officer
    for params in [
        {"country": "IL"},
        {"country": "IR", "region": "IR-23", "city": "Tehran"},
        {"country": "FR"},
        {"country": "TR", "region": "TR-06"},
    ]:
        for model in ["presence", "citizenprofile", "trip", "stop", "householdmember"]:
            response = client.get(f"/admin/registrations/{model}/", params)
            assert response.status_code == 200
            _assert_absent(response, others)


def test_pages_of_the_other_jurisdictions_citizens_are_refused(officer):
    client, _own, others = officer
    for citizen in others:
        for model, pk in _objects(citizen):
            for page in ["change", "delete", "history"]:
                response = client.get(f"/admin/registrations/{model}/{pk}/{page}/")
                assert response.status_code in REFUSED, (model, page, response.status_code)
                if page == "history":
                    assert response.status_code in {403, 404}
                _assert_absent(response, others)
                if response.status_code == 302:
                    _assert_absent(client.get(response["Location"]), others)


def test_pages_of_the_officers_own_citizens_open(officer):
    client, own, _others = officer
    for citizen in own:
        for model, pk in _objects(citizen):
            if model == "user":
                continue  # accounts are for superusers
            for page in ["change", "history"]:
                response = client.get(f"/admin/registrations/{model}/{pk}/{page}/")
                assert response.status_code == 200, (model, page)
            if model != "presence":  # the list of people present is read-only
                assert client.get(f"/admin/registrations/{model}/{pk}/delete/").status_code == 200
        change = client.get(f"/admin/registrations/citizenprofile/{citizen.profile.pk}/change/")
        assert citizen.profile.surname_latin in change.text


def test_accounts_and_assignments_are_for_superusers_only(officer):
    client, own, _others = officer
    assert client.get("/admin/registrations/user/").status_code == 403
    assert client.get(f"/admin/registrations/user/{own[0].user.pk}/change/").status_code in REFUSED
    assert client.get("/admin/registrations/staffassignment/").status_code == 403
    assert client.get("/admin/registrations/auditevent/").status_code == 403


def test_autocomplete_offers_nobody(officer):
    """Its term would be in the URL: people are picked by number, and found with the lists' private search."""
    client, own, others = officer
    for model, field_name in AUTOCOMPLETES:
        for term in ["", "example.com", *(citizen.user.email for citizen in own + others)]:
            response = client.get(
                "/admin/autocomplete/",
                {"app_label": "registrations", "model_name": model, "field_name": field_name, "term": term},
            )
            assert response.status_code == 404
            _assert_absent(response, own + others, searched=term)  # the 404 page links to itself in other languages


def test_export_holds_only_the_officers_citizens(officer):
    client, own, others = officer
    for params in [{}, {"country": "IR"}, {"country": "IL"}, {"on": own[0].stop.arrival_date.isoformat()}]:
        response = client.get("/admin/registrations/presence/export/", params)
        assert response.status_code == 200
        content = b"".join(response.streaming_content).decode("utf-8-sig")
        for citizen in others:
            for name in citizen.names:
                assert name not in content


def test_actions_and_changes_cannot_reach_the_other_jurisdiction(officer):
    client, _own, others = officer
    victim = others[0]
    response = client.post(
        "/admin/registrations/householdmember/",
        {"action": "delete_selected", "_selected_action": [m.pk for m in victim.members] or [0], "post": "yes"},
    )
    assert response.status_code in {200, 302}
    assert HouseholdMember.objects.filter(owner=victim.user).count() == len(victim.members)
    response = client.post(
        f"/admin/registrations/trip/{victim.trip.pk}/change/",
        {"kind": "business", "status": victim.trip.status, "phone_abroad": "+10000000000"},
    )
    assert response.status_code in REFUSED
    victim.trip.refresh_from_db()
    assert victim.trip.phone_abroad != "+10000000000"
    response = client.post(f"/admin/registrations/citizenprofile/{victim.profile.pk}/delete/", {"post": "yes"})
    assert response.status_code in REFUSED
    assert CitizenProfile.objects.filter(pk=victim.profile.pk).exists()


def test_a_stop_cannot_be_moved_to_a_trip_outside_the_scope(world, tehran_officer, staff_client):
    client = staff_client(_may_delete(tehran_officer))
    form = client.get(f"/admin/registrations/trip/{world.in_iran.trip.pk}/change/")
    assert form.status_code == 200
    stop_admin_form = client.get(f"/admin/registrations/stop/{world.in_iran.stop.pk}/change/")
    # The trip of a stop is shown, not chosen.
    assert 'name="trip"' not in stop_admin_form.text


def test_headquarters_sees_every_citizen(world, hq_client):
    response = hq_client.get("/admin/registrations/citizenprofile/")
    for citizen in [world.in_iran, world.in_israel, world.in_france, world.left_iran]:
        assert citizen.profile.surname_latin in response.text
        assert hq_client.get(f"/admin/registrations/trip/{citizen.trip.pk}/change/").status_code == 200
    export = hq_client.get("/admin/registrations/presence/export/")
    content = b"".join(export.streaming_content).decode("utf-8-sig")
    assert world.in_france.user.email in content and world.in_israel.user.email in content
    # Still no accounts: those are for superusers.
    assert hq_client.get("/admin/registrations/user/").status_code == 403


@pytest.mark.parametrize(
    "role",
    [None, roles.ADVISORY_EDITOR, roles.ADVISORY_PUBLISHER, roles.AUDITOR, roles.MISSION_OFFICER],
    ids=["no role", "editor", "publisher", "auditor", "mission officer without a mission"],
)
def test_staff_without_a_consular_role_see_no_personal_data(world, staff_client, role):
    user, _device = make_officer("someone@mfa.example.gov.kz", role)
    client = staff_client(user)
    everyone = [world.in_iran, world.in_israel, world.in_france]
    index = client.get("/admin/")
    assert index.status_code == 200
    _assert_absent(index, everyone)
    assert "/admin/registrations/citizenprofile/" not in index.text
    for model in PERSONAL_MODELS:
        response = client.get(f"/admin/registrations/{model}/")
        assert response.status_code == 403, model
    for model, pk in _objects(world.in_iran):
        for page in ["change", "delete", "history"]:
            response = client.get(f"/admin/registrations/{model}/{pk}/{page}/")
            assert response.status_code in REFUSED
            _assert_absent(response, everyone)
    assert client.get("/admin/registrations/presence/export/").status_code == 403
    response = client.get(
        "/admin/autocomplete/", {"app_label": "registrations", "model_name": "stop", "field_name": "trip", "term": ""}
    )
    assert response.status_code in REFUSED


def test_staff_with_permissions_but_no_role_still_see_nobody(world, staff_without_role, staff_client):
    """Model permissions open the pages; the scope (a role or a mission) decides the rows."""
    staff_without_role.user_permissions.set(
        Permission.objects.filter(codename__in=["view_citizenprofile", "view_presence"])
    )
    client = staff_client(staff_without_role)
    assert client.get("/admin/registrations/citizenprofile/").status_code == 403
    assert client.get(f"/admin/registrations/citizenprofile/{world.in_iran.profile.pk}/change/").status_code in REFUSED


def test_a_citizen_gets_nothing_from_the_admin(world, client):
    client.force_login(world.in_iran.user)
    for model, pk in _objects(world.in_israel):
        assert client.get(f"/admin/registrations/{model}/").status_code == 302
        assert client.get(f"/admin/registrations/{model}/{pk}/change/").status_code == 302
    assert client.get("/admin/registrations/presence/export/").status_code == 302
    response = client.get(
        "/admin/autocomplete/", {"app_label": "registrations", "model_name": "stop", "field_name": "trip", "term": ""}
    )
    assert response.status_code == 302
    _assert_absent(client.get("/admin/", follow=True), [world.in_israel])


def test_an_auditor_reads_the_log_and_changes_nothing(world, tehran_officer, auditor, staff_client):
    officer = _may_delete(tehran_officer)
    staff_client(officer).get(f"/admin/registrations/trip/{world.in_iran.trip.pk}/change/")
    event = AuditEvent.objects.get(action="view")
    client = staff_client(auditor)

    listing = client.get("/admin/registrations/auditevent/", {"action": "view"})
    assert listing.status_code == 200
    assert f"Trip #{world.in_iran.trip.pk}" in listing.text
    assert officer.email in search(client, "/admin/registrations/auditevent/", "tehran@").text
    assert client.get(f"/admin/registrations/auditevent/{event.pk}/change/").status_code == 200

    assert client.post(f"/admin/registrations/auditevent/{event.pk}/change/", {"action": "list"}).status_code == 403
    assert client.post(f"/admin/registrations/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.get("/admin/registrations/auditevent/add/").status_code == 403
    response = client.post(
        "/admin/registrations/auditevent/", {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"}
    )
    assert AuditEvent.objects.filter(pk=event.pk, action="view").exists()
    assert response.status_code in {200, 302}
    assert client.get("/admin/registrations/trip/").status_code == 403


def test_nobody_edits_or_deletes_an_audit_event_in_the_admin_not_even_a_superuser(world, superuser, staff_client):
    client = staff_client(superuser)
    client.get(f"/admin/registrations/trip/{world.in_iran.trip.pk}/change/")
    event = AuditEvent.objects.get(action="view")
    assert client.post(f"/admin/registrations/auditevent/{event.pk}/change/", {"action": "list"}).status_code == 403
    assert client.post(f"/admin/registrations/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.post("/admin/registrations/auditevent/add/", {"action": "list"}).status_code == 403
    event.refresh_from_db()
    assert event.action == "view"
    page = client.get(f"/admin/registrations/auditevent/{event.pk}/change/")
    assert 'name="_save"' not in page.text


def test_only_superusers_assign_mission_officers(world, superuser, staff_client, hq_client):
    officer = make_user("new.officer@mfa.example.gov.kz", is_staff=True)
    client = staff_client(superuser)
    response = client.post(
        "/admin/registrations/staffassignment/add/", {"user": officer.pk, "mission": world.tehran.pk}
    )
    assert response.status_code == 302
    assert officer.staff_assignment.mission == world.tehran
    assert hq_client.get("/admin/registrations/staffassignment/").status_code == 403


def test_an_officer_sees_a_trip_whole_while_it_passes_through_the_jurisdiction(
    world, tehran_officer, tel_aviv_officer, staff_client
):
    """Tehran then Tel Aviv: both officers see the trip; the list of people present shows each its own leg."""
    trip = make_trip(world.in_france.user, ("IR", days(-1), days(2)), ("IL", days(2), days(6)))
    for officer, country in [(tehran_officer, "IR"), (tel_aviv_officer, "IL")]:
        client = staff_client(_may_delete(officer))
        assert client.get(f"/admin/registrations/trip/{trip.pk}/change/").status_code == 200
        stops = Stop.objects.filter(trip=trip)
        for stop in stops:
            assert client.get(f"/admin/registrations/stop/{stop.pk}/change/").status_code == 200
        presence = client.get(
            "/admin/registrations/presence/", {"on": stops.get(country=country).arrival_date.isoformat()}
        )
        assert world.in_france.user.email in presence.text
        assert Trip.objects.filter(pk=trip.pk).exists()


def test_a_jurisdiction_of_regions_scopes_to_them_and_to_stops_without_a_region_in_their_country(
    world, istanbul_officer, staff_client
):
    assert scope_of(istanbul_officer) == Jurisdiction(regions=frozenset({"TR-34", "TR-41"}))
    somewhere_in_turkey = make_trip(world.in_france.user, ("TR", "", days(-1), days(3)))
    client = staff_client(_may_delete(istanbul_officer))

    # A stop whose region was not given may be in İstanbul: its officers see it (as Ankara's would).
    assert client.get(f"/admin/registrations/trip/{somewhere_in_turkey.pk}/change/").status_code == 200
    assert client.get(f"/admin/registrations/trip/{world.in_ankara.trip.pk}/change/").status_code in REFUSED
    # The filters offer the country, and of it only the jurisdiction's regions.
    listing = client.get("/admin/registrations/presence/", {"country": "TR"})
    assert "?country=TR" in listing.text
    assert "region=TR-34" in listing.text and "region=TR-06" not in listing.text
    assert world.in_istanbul.user.email in listing.text and world.in_ankara.user.email not in listing.text
