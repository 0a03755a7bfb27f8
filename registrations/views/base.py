"""What every citizen's own page shares.

Every such page shows personal data: it needs a sign-in, is never cached
(Cache-Control: no-store) and reaches only the signed-in citizen's rows;
anyone else's id answers 404.
"""

from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache


def personal_page(view):
    """Signed-in citizens only, and never stored by a browser or proxy."""
    return login_required(never_cache(view))


@method_decorator(never_cache, name="dispatch")
class PersonalPageMixin(LoginRequiredMixin):
    pass
