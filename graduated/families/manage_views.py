"""The setting's side of families' access, mounted at /family/manage/.

The SENCO (who plans the pupil's support, ``PupilPermission.PLAN_SUPPORT``) sees who in the family
has access, invites a parent or carer from the pupil's contacts (or, at 16 and over, the young
person), ends access, asks for the family's views before a review, makes the link for the pupil's
own form, and chooses what of the record the family sees. Every page goes through the access
policy; the head, teacher and TA get 403.
"""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from graduated import access
from graduated.access import OrganisationPermission, PupilPermission
from graduated.audit.models import AuditAction
from graduated.audit.services import record, record_pupil_view
from graduated.families import child_form, services, sharing, thread, views_services
from graduated.families.forms import YOUNG_PERSON, InviteForm, MessageForm
from graduated.families.models import FamilyLink, FamilyRole
from graduated.support.models import Cycle, CycleStatus

# Giving a family access is part of planning the pupil's support with them: the SENCO.
MANAGE = PupilPermission.PLAN_SUPPORT


@require_http_methods(["GET", "POST"])
def manage(request: HttpRequest, pupil_id: int) -> HttpResponse:
    pupil_access = access.get_pupil_for_user(request.user, pupil_id, MANAGE)
    pupil = pupil_access.pupil
    links = services.live_links_of(pupil, pupil_access.setting)
    linked_emails = {link.user.email.lower() for link in links}
    contacts = list(pupil.contacts.order_by("priority", "id"))
    invitable = [c for c in contacts if c.parental_responsibility and c.email and c.email.lower() not in linked_emails]
    young_person = services.may_have_own_account(pupil) and not any(link.is_young_person for link in links)
    form = InviteForm(request.POST or None, pupil=pupil, contacts=invitable, young_person=young_person)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            contact = form.contact()
            invitee = services.Invitee(
                email=contact.email if contact else form.cleaned_data["email"],
                full_name=f"{contact.first_name} {contact.last_name}" if contact else pupil.display_name,
                role=FamilyRole.YOUNG_PERSON if form.cleaned_data["who"] == YOUNG_PERSON else FamilyRole.PARENT,
                contact=contact,
            )
            try:
                link = services.link_family_member(
                    actor=pupil_access.actor, pupil=pupil, setting=pupil_access.setting, invitee=invitee
                )
            except services.FamilyLinkError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, f"{link.user.email} has been given access and sent an e-mail.")
                return redirect("families:manage", pupil_id=pupil.pk)
        status = 400
    else:
        record_pupil_view(pupil_access, "family access")
    cycle = _plan_under_way(pupil_access)
    asked = views_services.open_request(cycle)
    context = {
        "pupil": pupil,
        "access": pupil_access,
        "links": links,
        "cycle": cycle,
        "asked": asked,
        "answers": views_services.answers_for(cycle) if asked and cycle else [],
        "responses": views_services.responses_for(_open_plan(pupil_access)),
        "form": form,
        "can_invite": bool(invitable) or young_person,
        "not_invitable": [c for c in contacts if not (c.parental_responsibility and c.email)],
        "shared_records": sharing.records_for(pupil_access),
        "new_messages": thread.new_for(request.user, pupil, pupil_access.setting, from_family=True),  # type: ignore[arg-type]
    }
    return render(request, "families/manage.html", context, status=status)


@require_POST
def end(request: HttpRequest, pupil_id: int, link_id: int) -> HttpResponse:
    pupil_access = access.get_pupil_for_user(request.user, pupil_id, MANAGE)
    link = FamilyLink.objects.filter(pk=link_id, pupil=pupil_access.pupil).select_related("user").first()
    if link is None:
        raise Http404("No such family access.")
    if services.end_link(actor=pupil_access.actor, link=link):
        messages.success(request, f"{link.user.email} can no longer see {pupil_access.pupil.display_name}'s record.")
    else:
        messages.info(request, f"{link.user.email}'s access had already ended.")
    return redirect("families:manage", pupil_id=pupil_access.pupil.pk)


def _plan_under_way(pupil_access: access.PupilAccess) -> Cycle | None:
    """The pupil's cycle this setting runs, while its plan is under way (the one a review is due for)."""
    return Cycle.objects.filter(pupil=pupil_access.pupil, setting=pupil_access.setting, status=CycleStatus.DO).first()


def _open_plan(pupil_access: access.PupilAccess) -> Cycle | None:
    return (
        Cycle.objects.filter(pupil=pupil_access.pupil, setting=pupil_access.setting)
        .exclude(status=CycleStatus.CLOSED)
        .first()
    )


@require_POST
def ask_views(request: HttpRequest, pupil_id: int) -> HttpResponse:
    pupil_access = access.get_pupil_for_user(request.user, pupil_id, MANAGE)
    cycle = _plan_under_way(pupil_access)
    try:
        if cycle is None:
            raise views_services.ViewsError("Views can be asked for once the plan is agreed, before it is reviewed.")
        views_services.ask_for_views(
            actor=pupil_access.actor,
            cycle=cycle,
            links=services.live_links_of(pupil_access.pupil, pupil_access.setting),
        )
    except views_services.ViewsError as error:
        messages.info(request, error.message)
    else:
        messages.success(request, "The family has been asked for their views, by e-mail.")
    return redirect("families:manage", pupil_id=pupil_access.pupil.pk)


@require_POST
def share(request: HttpRequest, pupil_id: int, kind: str, record_id: int) -> HttpResponse:
    """Share one record with the family, or stop sharing it ("What the family can see")."""
    pupil_access = access.get_pupil_for_user(request.user, pupil_id, MANAGE)
    shared = request.POST.get("shared")
    if shared not in ("yes", "no"):
        messages.error(request, "Choose whether to share it. Nothing was changed.")
    elif sharing.set_shared(pupil_access=pupil_access, kind=kind, pk=record_id, shared=shared == "yes"):
        messages.success(
            request, "The family can now see it." if shared == "yes" else "The family can no longer see it."
        )
    else:
        messages.info(request, "That was already so. Nothing was changed.")
    return redirect(reverse("families:manage", args=[pupil_access.pupil.pk]) + "#what-the-family-sees")


@require_POST
def make_child_form(request: HttpRequest, pupil_id: int) -> HttpResponse:
    """A link for the pupil to give their own views, shown once on the page that answers."""
    pupil_access = access.get_pupil_for_user(request.user, pupil_id, MANAGE)
    asked = views_services.open_request(_plan_under_way(pupil_access))
    if asked is None:
        messages.info(request, "Ask for the family's views first: the pupil's form goes with them.")
        return redirect("families:manage", pupil_id=pupil_access.pupil.pk)
    url, made = child_form.make_link(actor=pupil_access.actor, asked=asked)
    # Not a redirect: the link is shown once and kept nowhere but here (only its digest is stored).
    context = {"pupil": pupil_access.pupil, "access": pupil_access, "url": url, "made": made}
    return render(request, "families/child_form_link.html", context)


@require_http_methods(["GET", "POST"])
def school_thread(request: HttpRequest, pupil_id: int) -> HttpResponse:
    """The school's side of the messages with the child's family."""
    pupil_access = access.get_pupil_for_user(request.user, pupil_id, MANAGE)
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            thread.send_from_school(pupil_access=pupil_access, body=form.cleaned_data["body"])
        except thread.MessageError as error:
            form.add_error("body", error.message)
        else:
            messages.success(request, "Your reply has been sent. The family has been told by e-mail.")
            return redirect("families:school_thread", pupil_id=pupil_access.pupil.pk)
    context = {
        "pupil": pupil_access.pupil, "access": pupil_access, "form": form,
        "thread": thread.thread_for(request.user, pupil_access.pupil, pupil_access.setting),  # type: ignore[arg-type]
    }  # fmt: skip
    return render(request, "families/school_thread.html", context, status=400 if form.is_bound else 200)


@require_GET
def waiting(request: HttpRequest, setting_id: int) -> HttpResponse:
    """The setting's families waiting for an answer, longest wait first."""
    setting_access = access.get_setting_for_user(request.user, setting_id, OrganisationPermission.VIEW_REGISTER)
    threads = thread.waiting_at(setting_access.setting)
    record(setting_access.actor, AuditAction.VIEW, object_type="family messages waiting",
           object_id=str(setting_access.setting.pk),
           description=f"{len(threads)} families waiting for an answer")  # fmt: skip
    return render(request, "families/waiting.html", {"setting": setting_access.setting, "threads": threads})
