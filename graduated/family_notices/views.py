"""The family's pages, mounted at /family/notices/: their choice of e-mails, and a child's timeline.

Only for someone with a live link to a child (graduated.access.families); anyone else, staff
included, gets a 404, as on every family page.
"""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from graduated import access
from graduated.accounts.models import User
from graduated.family_notices import selectors, services
from graduated.family_notices.forms import PreferencesForm
from graduated.family_notices.models import Frequency


@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    user = request.user
    children = list(access.live_links(user).values_list("pupil_id", flat=True))
    if not children or not isinstance(user, User):
        raise Http404("No family access.")
    saved = selectors.preference_for(user)
    back = request.GET.get("child", "")
    initial = {"frequency": saved.frequency, "short": saved.short,
               "child": back if back.isdigit() and int(back) in children else ""}  # fmt: skip
    form = PreferencesForm(request.POST if request.method == "POST" else None, initial=initial, children=children)
    if request.method == "POST":
        if form.is_valid():
            changed = services.save_preferences(
                actor=access.actor(user, "family"), user=user, frequency=Frequency(form.cleaned_data["frequency"]),
                short=form.cleaned_data["short"],
            )  # fmt: skip
            messages.success(request, "Your choices have been saved." if changed else "Nothing changed.")
            child = form.cleaned_data["child"]
            if child is not None:
                return redirect("families:child", pupil_id=child)
            return redirect("family_notices:preferences")
        return render(request, "family_notices/preferences.html", {"form": form}, status=400)
    return render(request, "family_notices/preferences.html", {"form": form})


@require_GET
def timeline(request: HttpRequest, pupil_id: int) -> HttpResponse:
    family = access.get_child_for_family(request.user, pupil_id)
    # The VIEW event follows from the lookup (graduated.audit.reach).
    context = {
        "family": family, "child": family.pupil, "setting": family.link.setting,
        "timeline": selectors.timeline(family.pupil, family.link, limit=None),
    }  # fmt: skip
    return render(request, "family_notices/timeline.html", context)
