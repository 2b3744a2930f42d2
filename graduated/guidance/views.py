"""Pages for the LA's guidance.

Staff: the LA's officers and admins read every page, drafts included (VIEW_LOCAL_OFFER); only its
admins write and publish (MANAGE_GUIDANCE). A setting's SENCO and senior leaders find their LA's
guidance from the setting (VIEW_REGISTER). Outsiders get 404.

Public: an LA's guidance is a public document, as its Local Offer is, so the versions in force are
read without signing in at /guidance/<site>/. Drafts and future versions are never shown there,
nor who wrote or published anything: only dates. The site is looked up by its public address,
which names no record of anyone.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from graduated import access
from graduated.access import OrganisationPermission as O
from graduated.guidance import selectors, services
from graduated.guidance.forms import DraftForm, NewPageForm, PublishForm, SearchForm, SiteForm
from graduated.guidance.models import GuidancePage, GuidanceSite, PageVersion, audience_for
from graduated.lib.errors import ServiceError
from graduated.lib.forms import show_refusal
from graduated.organisations.models import LocalAuthority


def _reader(request: HttpRequest, la_id: int) -> access.OrganisationAccess:
    return access.get_la_for_user(request.user, la_id, O.VIEW_LOCAL_OFFER)


def _admin(request: HttpRequest, la_id: int) -> access.OrganisationAccess:
    return access.get_la_for_user(request.user, la_id, O.MANAGE_GUIDANCE)


def _page(la: LocalAuthority, page_id: int) -> GuidancePage:
    page = selectors.page_of(la, page_id)
    if page is None:
        raise Http404("No such page.")
    return page


def _status(form: Form, error: ServiceError) -> int:
    """Keep what was typed, with the reason; 409 for a stale edit, 400 otherwise."""
    return 409 if show_refusal(form, error) else 400


# -- The LA's staff ----------------------------------------------------------------------------------


@require_GET
def la_pages(request: HttpRequest, la_id: int) -> HttpResponse:
    la_access = _reader(request, la_id)
    la = la_access.la
    today = timezone.localdate()
    context = {
        "la": la, "pages": selectors.pages_for_staff(la, today), "site": selectors.site_for(la), "today": today,
        "can_edit": la_access.can(O.MANAGE_GUIDANCE), "search_form": SearchForm(),
    }  # fmt: skip
    return render(request, "guidance/la_pages.html", context)


@require_http_methods(["GET", "POST"])
def site(request: HttpRequest, la_id: int) -> HttpResponse:
    la_access = _admin(request, la_id)
    la = la_access.la
    saved = selectors.site_for(la)
    initial = {"slug": saved.slug, "title": saved.title, "intro": saved.intro, "version": saved.version} if saved else {
        "title": f"{la.name} SEND guidance", "version": 0}  # fmt: skip
    form = SiteForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.save_site(
                    actor=la_access.actor, local_authority=la, slug=data["slug"], title=data["title"],
                    intro=data["intro"], expected_version=data["version"],
                )  # fmt: skip
            except ServiceError as error:
                status = _status(form, error)
                saved = selectors.site_for(la)
            else:
                messages.success(request, "The public address and title have been saved.")
                return redirect("guidance:la_pages", la_id=la.pk)
    context = {"la": la, "form": form, "saved": saved, "stale": status == 409}
    return render(request, "guidance/site.html", context, status=status)


@require_http_methods(["GET", "POST"])
def add_page(request: HttpRequest, la_id: int) -> HttpResponse:
    la_access = _admin(request, la_id)
    la = la_access.la
    topic = request.GET.get("topic", "")
    initial = {"topic": topic, "audience": audience_for(topic)} if topic else {}
    form = NewPageForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                draft = services.create_page(
                    actor=la_access.actor, local_authority=la, topic=data["topic"], audience=data["audience"],
                    slug=data["slug"], title=data["title"], body=data["body"],
                )  # fmt: skip
            except ServiceError as error:
                status = _status(form, error)
            else:
                messages.success(request, f"Page “{draft.title}” started as a draft. Nobody outside {la.name} sees it "
                                 "until it is published.")  # fmt: skip
                return redirect("guidance:draft", la_id=la.pk, page_id=draft.page_id)
    return render(request, "guidance/add_page.html", {"la": la, "form": form}, status=status)


@require_GET
def page(request: HttpRequest, la_id: int, page_id: int) -> HttpResponse:
    la_access = _reader(request, la_id)
    la = la_access.la
    shown = _page(la, page_id)
    today = timezone.localdate()
    history = selectors.history(shown)
    current = next((v for v in history if not v.is_draft and v.effective_from and v.effective_from <= today), None)
    context = {
        "la": la, "page": shown, "history": history, "current": current, "today": today,
        "draft": next((v for v in history if v.is_draft), None), "site": selectors.site_for(la),
        "can_edit": la_access.can(O.MANAGE_GUIDANCE),
    }  # fmt: skip
    return render(request, "guidance/page.html", context)


@require_GET
def version(request: HttpRequest, la_id: int, page_id: int, number: int) -> HttpResponse:
    la = _reader(request, la_id).la
    shown = _page(la, page_id)
    found = selectors.version(shown, number)
    if found is None:
        raise Http404("No such version.")
    return render(request, "guidance/version.html", {"la": la, "page": shown, "version": found})


@require_POST
def start_draft(request: HttpRequest, la_id: int, page_id: int) -> HttpResponse:
    la_access = _admin(request, la_id)
    la = la_access.la
    shown = _page(la, page_id)
    try:
        draft, made = services.start_draft(actor=la_access.actor, page=shown)
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect("guidance:page", la_id=la.pk, page_id=shown.pk)
    if made:
        messages.success(request, f"Draft version {draft.number} started. The public pages show it only once it is "
                         "published.")  # fmt: skip
    return redirect("guidance:draft", la_id=la.pk, page_id=shown.pk)


def _draft_or_redirect(request: HttpRequest, la: LocalAuthority, shown: GuidancePage) -> PageVersion | None:
    found = selectors.draft(shown)
    if found is None:
        messages.info(request, "This page has no draft: start one to change it.")
    return found


def _draft_page(
    request: HttpRequest, la: LocalAuthority, draft: PageVersion, form: Form, status: int = 200, **extra: Any
) -> HttpResponse:
    publish_form = extra.pop("publish_form", None) or PublishForm(
        initial={"effective_from": timezone.localdate(), "change_note": draft.change_note, "version": draft.version}
    )
    context = {"la": la, "page": draft.page, "draft": draft, "form": form, "publish_form": publish_form, **extra}
    return render(request, "guidance/draft.html", context, status=status)


def _draft_form(draft: PageVersion, data: Any = None) -> DraftForm:
    initial = {"title": draft.title, "body": draft.body, "change_note": draft.change_note, "version": draft.version}
    return DraftForm(data, initial=initial)


@require_http_methods(["GET", "POST"])
def draft(request: HttpRequest, la_id: int, page_id: int) -> HttpResponse:
    la_access = _admin(request, la_id)
    la = la_access.la
    shown = _page(la, page_id)
    current = _draft_or_redirect(request, la, shown)
    if current is None:
        return redirect("guidance:page", la_id=la.pk, page_id=shown.pk)
    form = _draft_form(current, request.POST or None)
    if request.method == "GET":
        return _draft_page(request, la, current, form)
    if not form.is_valid():
        return _draft_page(request, la, current, form, status=400)
    data = form.cleaned_data
    try:
        services.save_draft(
            actor=la_access.actor, version=current, title=data["title"], body=data["body"],
            change_note=data["change_note"], expected_version=data["version"],
        )  # fmt: skip
    except ServiceError as error:
        fresh = selectors.draft(shown) or current
        status = _status(form, error)
        return _draft_page(request, la, fresh, form, status=status, stale=status == 409)
    messages.success(request, "The draft has been saved. Check the preview below before publishing it.")
    return redirect("guidance:draft", la_id=la.pk, page_id=shown.pk)


@require_POST
def publish(request: HttpRequest, la_id: int, page_id: int) -> HttpResponse:
    la_access = _admin(request, la_id)
    la = la_access.la
    shown = _page(la, page_id)
    current = _draft_or_redirect(request, la, shown)
    if current is None:
        return redirect("guidance:page", la_id=la.pk, page_id=shown.pk)
    form = PublishForm(request.POST)
    if not form.is_valid():
        return _draft_page(request, la, current, _draft_form(current), status=400, publish_form=form)
    data = form.cleaned_data
    try:
        published = services.publish(
            actor=la_access.actor, version=current, effective_from=data["effective_from"],
            change_note=data["change_note"], expected_version=data["version"],
        )  # fmt: skip
    except ServiceError as error:
        fresh = selectors.draft(shown) or current
        status = _status(form, error)
        return _draft_page(request, la, fresh, _draft_form(fresh), status=status, publish_form=form)
    messages.success(
        request, f"Version {published.number} published: in force from {published.effective_from:%-d %B %Y}."
    )
    return redirect("guidance:page", la_id=la.pk, page_id=shown.pk)


def _search_context(la: LocalAuthority, request: HttpRequest) -> tuple[dict[str, Any], int]:
    form = SearchForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return {"search_form": form, "results": [], "query": ""}, 400
    query = selectors.normalise_query(form.cleaned_data.get("q", "")) if form.is_bound else ""
    results = selectors.search(la, query, timezone.localdate()) if query else []
    return {"search_form": form, "results": results, "query": query}, 200


@require_GET
def la_search(request: HttpRequest, la_id: int) -> HttpResponse:
    la = _reader(request, la_id).la
    context, status = _search_context(la, request)
    context |= {"la": la, "site": selectors.site_for(la), "public": False}
    return render(request, "guidance/search.html", context, status=status)


# -- A setting's staff -------------------------------------------------------------------------------


@require_GET
def setting_guidance(request: HttpRequest, setting_id: int) -> HttpResponse:
    setting = access.get_setting_for_user(request.user, setting_id, O.VIEW_REGISTER).setting
    la = setting.local_authority
    today = timezone.localdate()
    versions = selectors.in_force(la, today)
    context = {
        "setting": setting, "la": la, "site": selectors.site_for(la), "groups": selectors.by_audience(versions),
        "search_form": SearchForm(),
    }  # fmt: skip
    return render(request, "guidance/setting.html", context)


# -- Public ------------------------------------------------------------------------------------------

# The public pages have the service's layout without the staff navigation, even for a signed-in person.
PUBLIC = {"nav_items": [], "public": True}


def _site(slug: str) -> GuidanceSite:
    found = selectors.public_site(slug)
    if found is None:
        raise Http404("No guidance at this address.")
    return found


@login_not_required
@require_GET
def public_index(request: HttpRequest, site: str) -> HttpResponse:
    shown = _site(site)
    versions = selectors.in_force(shown.local_authority_id, timezone.localdate())
    context = {"site": shown, "groups": selectors.by_audience(versions), "search_form": SearchForm(), **PUBLIC}
    return render(request, "guidance/public_index.html", context)


@login_not_required
@require_GET
def public_page(request: HttpRequest, site: str, page: str) -> HttpResponse:
    shown = _site(site)
    found = selectors.in_force_page(shown.local_authority_id, page, timezone.localdate())
    if found is None:
        raise Http404("No such page.")
    return render(request, "guidance/public_page.html", {"site": shown, "version": found, **PUBLIC})


@login_not_required
@require_GET
def public_search(request: HttpRequest, site: str) -> HttpResponse:
    shown = _site(site)
    context, status = _search_context(shown.local_authority, request)
    context |= {"site": shown, **PUBLIC}
    return render(request, "guidance/search.html", context, status=status)
