"""The POST data of the trip form, as a browser sends it."""

import uuid


def stop(country="IR", region="IR-23", city="Tehran", arrival="", departure="", address=""):
    return {
        "country": country,
        "region": region,
        "city": city,
        "address": address,
        "arrival_date": str(arrival),
        "departure_date": str(departure or ""),
    }


def trip_data(*stops, kind="tourism", travellers=(), token=None, phone="", action="save", stop_ids=()):
    """A form as the page gives it: with a fresh submission token unless `token` is given (False: none)."""
    data = {
        "kind": kind,
        "phone_abroad": phone,
        "travellers": [member.pk for member in travellers],
        "stops-TOTAL_FORMS": str(len(stops)),
        "stops-INITIAL_FORMS": str(len(stop_ids)),
        "stops-MIN_NUM_FORMS": "1",
        "stops-MAX_NUM_FORMS": "1000",
        "action": action,
    }
    if token is None:
        token = uuid.uuid4()
    if token:
        data["submission_token"] = str(token)
    for index, fields in enumerate(stops):
        for name, value in fields.items():
            data[f"stops-{index}-{name}"] = value
    for index, stop_id in enumerate(stop_ids):
        data[f"stops-{index}-id"] = str(stop_id)
    return data
