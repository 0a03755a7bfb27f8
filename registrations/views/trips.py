"""Registering, editing, ending and cancelling trips."""

import contextlib
import uuid

from django.contrib import messages
from django.forms.utils import ErrorDict, ErrorList
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from django_countries import countries

from portal.geography import regions_of
from portal.outage import runs_twice_safely

from ..forms.trips import MAX_STOPS, StopFormSet, TripForm
from ..models import CitizenProfile, Trip
from ..models.trips import TripStatus
from ..services import trips as trip_services
from .base import personal_page

STOP_FIELDS = ["country", "region", "city", "address", "arrival_date", "departure_date"]
STOPS_PREFIX = "stops"


def own_trip(request, pk):
    return get_object_or_404(Trip, pk=pk, owner=request.user)


# Run again after a connection cut: the submission token makes a second creation the first trip,
# and an edit sent twice leaves the trip as once.
@runs_twice_safely
@personal_page
def trip_form(request, pk=None):
    creating = pk is None
    if creating:
        if not CitizenProfile.objects.filter(user=request.user).exists():
            messages.info(request, _("Complete your profile first: we need it before you register a trip."))
            return redirect("registrations:profile")
        trip = Trip(owner=request.user)
    else:
        trip = own_trip(request, pk)
        if trip.status == TripStatus.CANCELLED:
            messages.error(request, _("This trip is cancelled and cannot be changed."))
            return redirect("registrations:account")

    if request.method != "POST":
        form = TripForm(instance=trip, owner=request.user, initial={"submission_token": uuid.uuid4()})
        formset = StopFormSet(instance=trip, prefix=STOPS_PREFIX)
        return _render_trip_form(request, form, formset, creating)

    action = request.POST.get("action", "save")
    data = request.POST.copy()
    if action == "add_stop":
        total_key = f"{STOPS_PREFIX}-TOTAL_FORMS"
        with contextlib.suppress(ValueError):  # a damaged count: the formset reports it
            data[total_key] = str(min(int(data.get(total_key, "0")) + 1, MAX_STOPS))
    form = TripForm(data, instance=trip, owner=request.user)
    formset = StopFormSet(data, instance=trip, prefix=STOPS_PREFIX)
    if action in {"add_stop", "regions"} and not formset.is_damaged():
        # The citizen is not done yet: show the form again, with what they typed, without errors.
        _without_errors(form, formset)
        return _render_trip_form(request, form, formset, creating)
    if not (form.is_valid() and formset.is_valid()):
        return _render_trip_form(request, form, formset, creating)

    fields = {
        "kind": form.cleaned_data["kind"],
        "travellers": form.cleaned_data["travellers"],
        "phone_abroad": form.cleaned_data["phone_abroad"],
        "stops": [{name: stop_form.cleaned_data[name] for name in STOP_FIELDS} for stop_form in formset.kept_forms()],
    }
    if creating:
        trip, created = trip_services.create_trip(
            owner=request.user, submission_token=form.cleaned_data["submission_token"], **fields
        )
        messages.success(request, _("Your trip is registered.") if created else _("This trip was registered already."))
    else:
        trip_services.update_trip(trip=trip, **fields)
        messages.success(request, _("Your trip is saved."))
    for warning in trip_services.trip_warnings(trip):
        messages.warning(request, warning)
    return redirect("registrations:account")


def _without_errors(form, formset):
    form._errors = ErrorDict()
    formset._errors = []
    formset._non_form_errors = ErrorList()
    for stop_form in formset.forms:
        stop_form._errors = ErrorDict()


def _render_trip_form(request, form, formset, creating):
    return render(
        request,
        "registrations/trip_form.html",
        {"form": form, "formset": formset, "creating": creating, "max_stops": MAX_STOPS},
    )


@personal_page
def end_trip(request, pk):
    trip = own_trip(request, pk)
    if request.method == "POST":
        try:
            trip_services.end_trip_early(trip=trip)
        except trip_services.TripNotUnderWay:
            messages.error(request, _("This trip has not started; you can cancel it instead."))
        else:
            messages.success(request, _("Your trip is ended. Welcome back!"))
        return redirect("registrations:account")
    return render(request, "registrations/trip_end.html", {"trip": trip})


@personal_page
def cancel_trip(request, pk):
    trip = own_trip(request, pk)
    if request.method == "POST":
        trip_services.cancel_trip(trip=trip)
        messages.success(request, _("Your trip is cancelled."))
        return redirect("registrations:account")
    return render(request, "registrations/trip_cancel.html", {"trip": trip})


@require_GET
@cache_control(max_age=86400, public=True)
def regions(request, country):
    """The ISO 3166-2 regions of a country, for static/js/regions.js. Public data.

    Only real country codes are looked up: the answers stay within the ~250 a cache holds.
    """
    code = country.upper()
    if code not in countries:
        raise Http404
    return JsonResponse({"regions": regions_of(code)})
