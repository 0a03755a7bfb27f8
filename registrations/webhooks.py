"""Addresses outside the language prefix, for machines and phones: providers' webhooks, the SMS's short link.

- Twilio's status callbacks (delivery receipts) and incoming SMS, each
  request checked against X-Twilio-Signature: 403 when it does not match.
- django-anymail's tracking webhooks for email providers (their own checks,
  ANYMAIL_WEBHOOK_SECRET); the receipts reach registrations.services.broadcasts
  through anymail's `tracking` signal.
- /c/<token>/: the short personal link an SMS carries, redirecting to the
  full signed check-in link in the person's language.

Providers post without a CSRF token: the signature is what vouches for them.
"""

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from portal.outbound import absolute_url
from portal.sms.backends import twilio

from .models import CrisisPerson
from .services import broadcasts
from .services.checkins import checkin_url, record_sms_reply

app_name = "webhooks"

# An empty TwiML answer: the reply is recorded, and no SMS is sent back.
_NO_REPLY = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


def _signed_by_twilio(request):
    # Twilio signs the address it was given: SITE_URL's, whatever proxies stand in between.
    return twilio.is_genuine(
        url=absolute_url(request.get_full_path()),
        params=request.POST,
        signature=request.headers.get("X-Twilio-Signature", ""),
    )


@csrf_exempt
@require_POST
def twilio_status(request):
    if not _signed_by_twilio(request):
        return HttpResponseForbidden()
    message_id, outcome, reason = twilio.parse_receipt(request.POST)
    if message_id and outcome:
        broadcasts.apply_receipt(provider_message_id=message_id, outcome=outcome, reason=reason)
    return HttpResponse(status=204)


@csrf_exempt
@require_POST
def twilio_inbound(request):
    if not _signed_by_twilio(request):
        return HttpResponseForbidden()
    message_id, from_number, body = twilio.parse_inbound(request.POST)
    if not message_id:
        return HttpResponse(status=400)
    record_sms_reply(from_number=from_number, body=body, provider_message_id=message_id)
    return HttpResponse(_NO_REPLY, content_type="text/xml")


@require_GET
def short_checkin(request, token):
    person_id = broadcasts.read_sms_link(token)
    person = (
        CrisisPerson.objects.citizens().select_related("citizen__citizen_profile").filter(pk=person_id).first()
        if person_id is not None
        else None
    )
    if person is None:
        raise Http404
    profile = getattr(person.citizen, "citizen_profile", None)
    language = profile.preferred_language if profile is not None else settings.LANGUAGE_CODE
    return redirect(checkin_url(person, language=language))


urlpatterns = [
    path("webhooks/twilio/status/", twilio_status, name="twilio_status"),
    path("webhooks/twilio/inbound/", twilio_inbound, name="twilio_inbound"),
    path("webhooks/anymail/", include("anymail.urls")),
    path("c/<str:token>/", short_checkin, name="short_checkin"),
]
