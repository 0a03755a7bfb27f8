"""Evacuation manifests: who is on a transport, or on the transports through a border crossing.

Two forms of the same list: a page printed on A4 and signed (print CSS,
numbered pages), and a CSV with the fields of an advance passenger list
(APIS/PAXLST) for border and airline authorities. Both hold only the people
the officer may see, and both leave an audit event (the filters and the row
count, never a name) before anything is sent.

Household members have one name field: the passenger list splits it at its
last space (surname last, as people write it); their document's type and
expiry are not asked, and are left empty.
"""

from django.conf import settings
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from ..models import AuditAction, ManifestEntry
from ..services.audit import record_audit_event
from ..services.evacuations import person_name, profile_of
from .exports import csv_response

# ICAO 9303's code for a passport.
PASSPORT = "P"

APIS_HEADER = [
    _("surname"),
    _("given names"),
    _("sex"),
    _("date of birth"),
    _("nationality"),
    _("document type"),
    _("document number"),
    _("document issuing country"),
    _("document expiry date"),
    _("transport"),
    _("seat"),
    _("embarkation"),
    _("disembarkation"),
]


def _alpha3(code):
    return countries.alpha3(code) if code else ""


def disembarkation(transport):
    """Where the transport's people get off: the end of the last leg it serves."""
    legs = sorted(transport.legs.all(), key=lambda leg: (leg.position, leg.pk))
    return legs[-1].destination if legs else ""


def apis_row(entry):
    """One person's line of the advance passenger list, in APIS_HEADER's order."""
    person, transport = entry.person, entry.transport
    if person.member_id:
        member = person.member
        given, _space, surname = member.full_name.strip().rpartition(" ")
        identity = [
            surname,
            given,
            member.sex,
            member.date_of_birth,
            _alpha3(member.citizenship.code),
            "",
            member.document_number,
            # A household member's document is taken to be issued by their country of citizenship.
            _alpha3(member.citizenship.code) if member.document_number else "",
            "",
        ]
    elif (profile := profile_of(person)) is None:
        identity = ["", person.citizen.email, "", "", "", "", "", "", ""]
    else:
        home = _alpha3(settings.PORTAL_HOME_COUNTRY)
        identity = [
            profile.surname_latin,
            profile.given_names_latin,
            profile.sex,
            profile.date_of_birth,
            home,
            PASSPORT,
            profile.passport_number,
            home,
            profile.passport_expires_on,
        ]
    return [
        *identity,
        str(transport),
        entry.seat.number if entry.seat_id else "",
        transport.departure_place,
        disembarkation(transport),
    ]


def respond(request, *, entries, evacuation, transport=None, leg=None):
    """The printable page, or with ?format=csv the passenger list, of `entries` the user may see."""
    entries = (
        entries.on_manifest()
        .visible_to(request.user)
        .select_related("person__member", "person__citizen__citizen_profile", "seat", "transport")
        .prefetch_related("transport__legs")
        .order_by("transport__departs_at", "transport_id", "seat__number", "pk")
    )
    export = request.GET.get("format") == "csv"
    filters = {"transport": transport.pk} if transport else {"crossing": leg.pk}
    record_audit_event(
        request=request,
        action=AuditAction.EXPORT if export else AuditAction.LIST,
        model=ManifestEntry,
        details={"filters": filters, "rows": entries.count()},
    )
    stem = f"manifest-transport-{transport.pk}" if transport else f"manifest-crossing-{leg.pk}"
    if export:
        return csv_response(
            APIS_HEADER,
            (apis_row(entry) for entry in entries.iterator(chunk_size=500)),
            filename=f"{stem}-{timezone.localdate().isoformat()}.csv",
        )
    rows = [(entry, person_name(entry.person), apis_row(entry)) for entry in entries]
    transports = sorted({entry.transport for entry in entries}, key=lambda item: (item.departs_at, item.pk))
    context = {
        "evacuation": evacuation,
        "transport": transport,
        "transports": [transport] if transport else transports,
        "leg": leg,
        "rows": rows,
        "printed_at": timezone.now(),
        "csv_url": f"{request.path}?format=csv",
        "title": _("Passenger manifest"),
    }
    response = TemplateResponse(request, "admin/registrations/evacuation/manifest.html", context)
    response["Cache-Control"] = "no-store"
    return response
