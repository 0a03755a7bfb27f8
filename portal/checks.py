from django.conf import settings
from django.core.checks import Error, Info, Tags, Warning, register


@register(Tags.caches, deploy=True)
def shared_cache_in_production(app_configs, **kwargs):
    if settings.CACHES["default"]["BACKEND"].endswith("LocMemCache"):
        return [
            Warning(
                "The cache is local to each process: rate limits and cached pages are not shared.",
                hint="Set REDIS_URL when running more than one process.",
                id="portal.W001",
            )
        ]
    return []


@register(deploy=True)
def broadcast_delivery_receipts(app_configs, **kwargs):
    """Broadcasts must be able to learn that messages arrive (GC Notify's SMS stuck "sending" for days).

    The check sees configuration only: the per-broadcast alarm (no receipt
    BROADCAST_RECEIPT_ALARM_MINUTES after sending) is on the broadcast's page.
    """
    from django.utils.module_loading import import_string

    from .sms import receipts_by_channel

    messages = []
    try:
        sms_backend = import_string(settings.SMS_BACKEND)
    except ImportError:
        return [Error(f"SMS_BACKEND {settings.SMS_BACKEND!r} cannot be imported.", id="portal.E010")]
    if not sms_backend.has_receipts:
        messages.append(
            Warning(
                "SMS_BACKEND reports no deliveries: a development or test backend (console, locmem, recording).",
                hint="Set SMS_BACKEND=portal.sms.backends.twilio.SmsBackend and the TWILIO_* variables.",
                id="portal.W010",
            )
        )
    elif settings.SMS_BACKEND.endswith(".twilio.SmsBackend") and not (
        settings.TWILIO_ACCOUNT_SID and settings.TWILIO_AUTH_TOKEN and settings.TWILIO_FROM
    ):
        messages.append(
            Warning(
                "Twilio is the SMS backend but TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN or TWILIO_FROM is empty.",
                id="portal.W011",
            )
        )
    receipts = receipts_by_channel()
    if not any(receipts.values()):
        messages.append(
            Warning(
                "No delivery receipts are possible with the configured email and SMS backends: "
                "nobody would know that a broadcast reached no one.",
                hint="Use Twilio for SMS, or one of django-anymail's provider backends for email.",
                id="portal.W012",
            )
        )
    elif not receipts["email"]:
        messages.append(
            Info(
                "Emails give no delivery receipts with this EMAIL_BACKEND (SMTP): broadcast emails stay 'sent' "
                "and the receipt alarm watches SMS only.",
                hint="An anymail provider backend (EMAIL_BACKEND=anymail.backends.…) reports deliveries.",
                id="portal.I013",
            )
        )
    return messages
