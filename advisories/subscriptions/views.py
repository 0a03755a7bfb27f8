from django.conf import settings
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from django.views.generic import FormView, TemplateView
from django_ratelimit.decorators import ratelimit

from . import services
from .forms import SubscriptionForm


def subscription_rate(group, request):
    return settings.SUBSCRIPTION_RATE


# Each request mails an address someone typed: limited per client address
# (answered with portal.views.rate_limited, 429) so nobody floods an inbox.
@method_decorator(ratelimit(key="ip", rate=subscription_rate, method="POST", block=True), name="post")
class SubscribeView(FormView):
    template_name = "advisories/subscriptions/subscribe.html"
    form_class = SubscriptionForm

    def get_initial(self):
        # The country page links here with ?country=ir to preselect its country.
        return {"country": self.request.GET.get("country", "").upper()}

    def form_valid(self, form):
        services.subscribe(
            email=form.cleaned_data["email"],
            country=form.cleaned_data["country"],
            language=form.cleaned_data["language"],
        )
        return redirect("advisories:subscription_pending")


class SubscriptionPendingView(TemplateView):
    template_name = "advisories/subscriptions/pending.html"


def _link_failed(request, *, gone):
    status = 410 if gone else 404
    return render(request, "advisories/subscriptions/link_failed.html", {"gone": gone}, status=status)


@never_cache
def confirm(request, token):
    try:
        subscription = services.confirm(token=token)
    except services.SubscriptionGone:
        return _link_failed(request, gone=True)
    except services.SubscriptionLinkInvalid:
        return _link_failed(request, gone=False)
    return render(
        request,
        "advisories/subscriptions/confirmed.html",
        {"subscription": subscription, "unsubscribe_url": services.unsubscribe_url(subscription)},
    )


# Mail programs unsubscribe with a bare POST (RFC 8058 one-click), without our
# CSRF token. Nothing to forge: the signed token alone names the subscription,
# and all the POST can do is delete it.
@method_decorator(csrf_exempt, name="dispatch")
@method_decorator(never_cache, name="dispatch")
@method_decorator(require_http_methods(["GET", "POST"]), name="dispatch")
class UnsubscribeView(TemplateView):
    template_name = "advisories/subscriptions/unsubscribe.html"

    def get(self, request, token):
        try:
            subscription = services.subscription_to_unsubscribe(token=token)
        except services.SubscriptionGone:
            return render(request, "advisories/subscriptions/unsubscribed.html")
        except services.SubscriptionLinkInvalid:
            return _link_failed(request, gone=False)
        return self.render_to_response({"subscription": subscription})

    def post(self, request, token):
        try:
            services.unsubscribe(token=token)
        except services.SubscriptionGone:
            pass  # Already done: a second click is no error.
        except services.SubscriptionLinkInvalid:
            return _link_failed(request, gone=False)
        return render(request, "advisories/subscriptions/unsubscribed.html")
