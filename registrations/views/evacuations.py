"""A seat offer, answered from the signed link in its message: no sign-in, no JavaScript needed.

GET only shows the offer (mail scanners open every link first and must
answer nothing); the page's two buttons POST the answer. The link carries
the offer's id only and ends at the offer's deadline.
"""

from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from portal.outbound import LinkExpired, LinkInvalid

from ..forms.evacuations import OfferAnswerForm
from ..models.evacuations import ManifestStatus
from ..services import evacuations


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def seat_offer(request, token):
    try:
        offer = evacuations.offer_for_link(token)
    except LinkExpired:
        return render(request, "registrations/evacuations/offer_unavailable.html", {"expired": True}, status=410)
    except LinkInvalid:
        return render(request, "registrations/evacuations/offer_unavailable.html", {"invalid": True}, status=404)
    form = OfferAnswerForm(request.POST or None)
    refused = None
    if request.method == "POST" and form.is_valid():
        try:
            offer = evacuations.answer_offer(offer=offer, accept=form.accepts())
        except evacuations.OfferClosed as closed:
            offer, refused = closed.offer, closed.message
    people = offer.entries.select_related("person__member", "person__citizen__citizen_profile", "seat").order_by(
        "seat__number", "pk"
    )
    context = {
        "offer": offer,
        "transport": offer.transport,
        "people": [(evacuations.person_name(entry.person), entry) for entry in people],
        "form": form,
        "refused": refused,
        "on_board": [ManifestStatus.CONFIRMED, ManifestStatus.BOARDED, ManifestStatus.ARRIVED],
    }
    return render(request, "registrations/evacuations/offer.html", context)
