"""The citizen's rights over their data: download all of it, delete the account."""

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters

from ..forms.rights import DeleteAccountForm
from ..services import rights
from .base import personal_page


@personal_page
def download_my_data(request):
    data = rights.export_citizen_data(request.user)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    # A fixed file name: no personal data in headers either.
    response["Content-Disposition"] = 'attachment; filename="consular-portal-my-data.json"'
    return response


@sensitive_post_parameters("password")
@personal_page
def delete_account(request):
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        rights.delete_account(user=user)
        messages.success(request, _("Your account and everything in it are deleted."))
        return redirect("home")
    return render(request, "registrations/delete_account.html", {"form": form})
