"""What leaves the portal: absolute links (emails, feeds, the API) and templated emails."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string


def absolute_url(path):
    """The path on the portal's public address (SITE_URL).

    Not the request's Host header: links in emails and feeds stay right behind
    a proxy, work where there is no request (tasks, cron), and cannot be
    steered by a forged Host.
    """
    return f"{settings.SITE_URL}{path}"


def send_templated_email(*, to, template, context, headers=None):
    """Render `<template>_subject.txt` and `<template>.txt` in the active language and send them to `to`."""
    subject = render_to_string(f"{template}_subject.txt", context).strip()
    body = render_to_string(f"{template}.txt", context)
    EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [to], headers=headers).send()
