"""A setting's catalogue of strategies and interventions, and an LA's shared one.

URLs take (kind, organisation id) like the people pages: ``setting`` or ``la``. Readers: a
setting's SENCO and senior leaders, an LA's officers and admins. Editors: MANAGE_PROVISION_CATALOGUE.
"""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from graduated import access
from graduated.access import OrganisationPermission as O
from graduated.lib.errors import ServiceError
from graduated.lib.forms import show_refusal
from graduated.organisations.models import LocalAuthority, Setting
from graduated.provision import services
from graduated.provision.forms import CatalogueItemForm, TierNamesForm, seen_token
from graduated.provision.models import CatalogueItem
from graduated.provision.tiers import tier_names

Owner = Setting | LocalAuthority
READ = {"setting": O.VIEW_REGISTER, "la": O.VIEW_LOCAL_OFFER}


def _owner(
    request: HttpRequest, kind: str, organisation_id: int, permission: O | None = None
) -> access.OrganisationAccess:
    if kind not in READ:
        raise Http404("No such catalogue.")
    return access.get_organisation_for_user(request.user, kind, organisation_id, permission or READ[kind])


def _items(owner: Owner) -> list[CatalogueItem]:
    owned = CatalogueItem.objects.filter(**services.owner_fields(owner))
    return list(owned.select_related("adopted_from").order_by("-is_active", "name", "id"))


def _la_id(owner: Owner) -> int:
    return owner.local_authority_id if isinstance(owner, Setting) else owner.pk


@require_GET
def catalogue(request: HttpRequest, kind: str, organisation_id: int) -> HttpResponse:
    owner_access = _owner(request, kind, organisation_id)
    owner = owner_access.organisation
    items = _items(owner)
    shared: list[CatalogueItem] = []
    if isinstance(owner, Setting):
        adopted = {item.adopted_from_id for item in items}
        shared = [
            item
            for item in CatalogueItem.objects.filter(local_authority_id=owner.local_authority_id, is_active=True)
            if item.pk not in adopted
        ]
    names = tier_names(_la_id(owner))
    for item in [*items, *shared]:
        item.tier_name = names.get(item.tier, item.get_tier_display())  # type: ignore[attr-defined]
    context = {
        "owner": owner, "kind": kind, "items": items, "shared": shared,
        "can_manage": owner_access.can(O.MANAGE_PROVISION_CATALOGUE),
    }  # fmt: skip
    return render(request, "provision/catalogue.html", context)


@require_http_methods(["GET", "POST"])
def edit_item(request: HttpRequest, kind: str, organisation_id: int, item_id: int | None = None) -> HttpResponse:
    owner_access = _owner(request, kind, organisation_id, O.MANAGE_PROVISION_CATALOGUE)
    owner = owner_access.organisation
    owned = {item.pk: item for item in _items(owner)}
    if item_id is not None and item_id not in owned:
        raise Http404("No such item.")
    item = owned.get(item_id) if item_id is not None else None
    instance = item or CatalogueItem(**services.owner_fields(owner))
    initial = {"version": item.version} if item else {}
    form = CatalogueItemForm(
        request.POST or None, instance=instance, initial=initial, tier_names=tier_names(_la_id(owner))
    )
    if request.method == "POST" and form.is_valid():
        try:
            if item is None:
                item = services.add_item(actor=owner_access.actor, owner=owner, details=form.details())
                messages.success(request, f"{item.name} has been added to the catalogue.")
            else:
                services.update_item(
                    actor=owner_access.actor, item=item, details=form.details(),
                    expected_version=form.cleaned_data["version"] or 0,
                )  # fmt: skip
                messages.success(request, f"{item.name} has been saved.")
            return redirect("provision:catalogue", kind=kind, organisation_id=owner.pk)
        except ServiceError as error:
            # The page does not show what someone else saved: the form keeps the version it was read at.
            show_refusal(form, error, version_field=None)
    status = 400 if form.is_bound else 200
    context = {"owner": owner, "kind": kind, "item": item, "form": form}
    return render(request, "provision/item_form.html", context, status=status)


@require_POST
def adopt(request: HttpRequest, setting_id: int, item_id: int) -> HttpResponse:
    setting_access = access.get_setting_for_user(request.user, setting_id, O.MANAGE_PROVISION_CATALOGUE)
    setting = setting_access.setting
    shared = CatalogueItem.objects.filter(pk=item_id, local_authority_id=setting.local_authority_id).first()
    if shared is None:
        raise Http404("No such item.")
    try:
        item = services.adopt_item(actor=setting_access.actor, setting=setting, shared=shared)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{item.name} is now in your catalogue. Adapt it to how you run it.")
    return redirect("provision:catalogue", kind="setting", organisation_id=setting.pk)


@require_http_methods(["GET", "POST"])
def name_tiers(request: HttpRequest, la_id: int) -> HttpResponse:
    """An LA admin names the tiers in the LA's own words (for example "targeted plus")."""
    la_access = access.get_la_for_user(request.user, la_id, O.MANAGE_PROVISION_CATALOGUE)
    la = la_access.la
    form = TierNamesForm(request.POST or None, current=tier_names(la.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.name_tiers(
                actor=la_access.actor, local_authority=la, names=form.names(), seen=form.cleaned_data["seen"]
            )
        except ServiceError as error:
            now = tier_names(la.pk)  # show the names as they are now, to check again
            form = TierNamesForm({**now, "seen": seen_token(now)}, current=now)
            form.is_valid()
            form.add_error(None, error.message)
            return render(request, "provision/tier_names.html", {"la": la, "form": form}, status=409)
        messages.success(request, "The tier names have been saved.")
        return redirect("provision:catalogue", kind="la", organisation_id=la.pk)
    status = 400 if form.is_bound else 200
    return render(request, "provision/tier_names.html", {"la": la, "form": form}, status=status)
