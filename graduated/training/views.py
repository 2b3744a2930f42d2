"""Pages for the LA's training offer, a setting's training record and staff's awareness of pupils' needs.

The offer: the LA's officers and admins read it (VIEW_LOCAL_OFFER), its admins change it
(MANAGE_GUIDANCE); the leaders of the LA's settings read it (VIEW_REGISTER at the setting). A
setting's training record and its awareness overview: its SENCO and senior leaders
(RECORD_TRAINING). A pupil's awareness page: anyone who reaches the pupil confirms for themselves;
whoever also holds RECORD_TRAINING there sees the linked staff and records it for a member of
staff. Outsiders get 404.
"""

from typing import Any

from django.contrib import messages
from django.db.models import Q, QuerySet
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from graduated import access
from graduated.access import OrganisationPermission as O
from graduated.lib.errors import ServiceError
from graduated.lib.forms import show_refusal
from graduated.organisations.models import LocalAuthority, Membership, Setting
from graduated.pupils.codes import BroadArea
from graduated.training import selectors, services
from graduated.training.forms import (
    AwarenessForm,
    ChangeCourseForm,
    ChangeTrainingForm,
    CourseForm,
    OfferedForm,
    TrainingForm,
    VersionForm,
)
from graduated.training.models import Course, TrainingRecord


def _refused(form: Form, error: ServiceError) -> int:
    """Keep what was typed (after a stale edit, against the version saved now), with the reason; the
    status to answer: 409 for a stale edit."""
    return 409 if show_refusal(form, error) else 400


# -- The LA's offer ----------------------------------------------------------------------------------


def _admin_la(request: HttpRequest, la_id: int) -> access.OrganisationAccess:
    return access.get_la_for_user(request.user, la_id, O.MANAGE_GUIDANCE)


def _offer_page(request: HttpRequest, la: LocalAuthority, status: int = 200, **extra: Any) -> HttpResponse:
    offered, withdrawn = selectors.offer(la)
    context = {"la": la, "offered": offered, "withdrawn": withdrawn, **extra}
    return render(request, "training/offer.html", context, status=status)


@require_GET
def offer(request: HttpRequest, la_id: int) -> HttpResponse:
    la_access = access.get_la_for_user(request.user, la_id, O.VIEW_LOCAL_OFFER)
    return _offer_page(request, la_access.la, can_edit=la_access.can(O.MANAGE_GUIDANCE))


@require_GET
def setting_offer(request: HttpRequest, setting_id: int) -> HttpResponse:
    setting = access.get_setting_for_user(request.user, setting_id, O.VIEW_REGISTER).setting
    return _offer_page(request, setting.local_authority, setting=setting)


def _course_of(la: LocalAuthority, course_id: int) -> Course:
    course = selectors.course_of(la, course_id)
    if course is None:
        raise Http404("No such course in this offer.")
    return course


@require_http_methods(["GET", "POST"])
def edit_course(request: HttpRequest, la_id: int, course_id: int | None = None) -> HttpResponse:
    la_access = _admin_la(request, la_id)
    la = la_access.la
    course = _course_of(la, course_id) if course_id is not None else None
    form_class = ChangeCourseForm if course else CourseForm
    form = form_class(request.POST or None, initial=CourseForm.initial_for(course) if course else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                if course is None:
                    added = services.add_course(actor=la_access.actor, local_authority=la, details=form.details())
                    messages.success(request, f"Course added: {added.title}.")
                else:
                    services.change_course(
                        actor=la_access.actor, course=course, details=form.details(),
                        expected_version=form.cleaned_data["version"],
                    )  # fmt: skip
                    messages.success(request, f"Course saved: {course.title}.")
                return redirect("training:offer", la_id=la.pk)
            except ServiceError as error:
                status = _refused(form, error)
                if course is not None:
                    course = selectors.course_of(la, course.pk) or course
    context = {"la": la, "course": course, "form": form, "stale": status == 409}
    return render(request, "training/course_form.html", context, status=status)


@require_POST
def set_offered(request: HttpRequest, la_id: int, course_id: int) -> HttpResponse:
    la_access = _admin_la(request, la_id)
    la = la_access.la
    course = _course_of(la, course_id)
    form = OfferedForm(request.POST)
    if not form.is_valid():
        return _offer_page(request, la, can_edit=True, action_form=form, status=400)
    try:
        services.set_offered(
            actor=la_access.actor, course=course, offered=form.cleaned_data["offered"],
            expected_version=form.cleaned_data["version"],
        )  # fmt: skip
    except ServiceError as error:
        form.add_error(None, error.message)
        return _offer_page(request, la, status=409, can_edit=True, action_form=form)
    what = "is offered again" if course.offered else "has been withdrawn: it stays in staff's training records"
    messages.success(request, f"{course.title} {what}.")
    return redirect("training:offer", la_id=la.pk)


# -- A setting's training record ---------------------------------------------------------------------


def _leaders(request: HttpRequest, setting_id: int) -> access.OrganisationAccess:
    return access.get_setting_for_user(request.user, setting_id, O.RECORD_TRAINING)


def _member(setting: Setting, membership_id: int) -> Membership:
    membership = selectors.member_of(setting, membership_id)
    if membership is None:
        raise Http404("No such member of staff.")
    return membership


@require_GET
def staff(request: HttpRequest, setting_id: int) -> HttpResponse:
    setting = _leaders(request, setting_id).setting
    area = request.GET.get("area", "")
    if area not in BroadArea.values:
        area = ""  # an unknown area shows everything, as no filter does
    page = selectors.staff_training(request, setting, area=area)
    context = {
        "setting": setting, "page": page, "area": area, "areas": BroadArea.choices,
        "area_label": BroadArea(area).label if area else "", "today": timezone.localdate(),
    }  # fmt: skip
    return render(request, "training/staff.html", context)


@require_GET
def member(request: HttpRequest, setting_id: int, membership_id: int) -> HttpResponse:
    setting = _leaders(request, setting_id).setting
    membership = _member(setting, membership_id)
    context = {
        "setting": setting, "membership": membership, "person": membership.user,
        "records": selectors.member_training(setting, membership.user),
        "confirmations": selectors.member_awareness(request, setting, membership.user), "today": timezone.localdate(),
    }  # fmt: skip
    return render(request, "training/member.html", context)


def _courses_for(setting: Setting, entry: TrainingRecord | None = None) -> QuerySet[Course]:
    """The offer's courses to choose from: those offered, and a correction's own course if withdrawn."""
    courses = Course.objects.filter(local_authority_id=setting.local_authority_id)
    if entry is not None and entry.course_id:
        return courses.filter(Q(offered=True) | Q(pk=entry.course_id))
    return courses.filter(offered=True)


@require_http_methods(["GET", "POST"])
def add_training(request: HttpRequest, setting_id: int, membership_id: int) -> HttpResponse:
    setting_access = _leaders(request, setting_id)
    setting = setting_access.setting
    membership = _member(setting, membership_id)
    form = TrainingForm(request.POST or None, courses=_courses_for(setting))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                entry = services.record_training(
                    actor=setting_access.actor, setting=setting, user=membership.user, details=form.details()
                )
            except ServiceError as error:
                show_refusal(form, error)
            else:
                messages.success(request, f"Training recorded: {entry.title}.")
                return redirect("training:member", setting_id=setting.pk, membership_id=membership.pk)
    context = {"setting": setting, "membership": membership, "person": membership.user, "form": form}
    return render(request, "training/training_form.html", context, status=status)


def _record(setting: Setting, record_id: int) -> TrainingRecord:
    entry = selectors.record_of(setting, record_id)
    if entry is None:
        raise Http404("No such training record.")
    return entry


def _membership_of(setting: Setting, entry: TrainingRecord) -> Membership:
    found = selectors.staff(setting).filter(user_id=entry.user_id).first()
    if found is None:
        raise Http404("No such member of staff.")
    return found


@require_http_methods(["GET", "POST"])
def change_training(request: HttpRequest, setting_id: int, record_id: int) -> HttpResponse:
    setting_access = _leaders(request, setting_id)
    setting = setting_access.setting
    entry = _record(setting, record_id)
    membership = _membership_of(setting, entry)
    form = ChangeTrainingForm(
        request.POST or None, courses=_courses_for(setting, entry), initial=TrainingForm.initial_for(entry)
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.change_training(
                    actor=setting_access.actor, entry=entry, details=form.details(),
                    expected_version=form.cleaned_data["version"],
                )  # fmt: skip
            except ServiceError as error:
                status = _refused(form, error)
                entry = selectors.record_of(setting, entry.pk) or entry
            else:
                messages.success(request, f"Training record saved: {entry.title}.")
                return redirect("training:member", setting_id=setting.pk, membership_id=membership.pk)
    context = {
        "setting": setting, "membership": membership, "person": membership.user, "form": form, "entry": entry,
        "stale": status == 409, "remove_form": VersionForm(initial={"version": entry.version}),
    }  # fmt: skip
    return render(request, "training/training_form.html", context, status=status)


@require_POST
def remove_training(request: HttpRequest, setting_id: int, record_id: int) -> HttpResponse:
    setting_access = _leaders(request, setting_id)
    setting = setting_access.setting
    entry = _record(setting, record_id)
    membership = _membership_of(setting, entry)
    form = VersionForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            services.remove_training(
                actor=setting_access.actor, entry=entry, expected_version=form.cleaned_data["version"]
            )
        except ServiceError as error:
            form.add_error(None, error.message)
            status = 409
        else:
            messages.success(request, f"Training record removed: {entry.title}.")
            return redirect("training:member", setting_id=setting.pk, membership_id=membership.pk)
    fresh = selectors.record_of(setting, entry.pk)
    if fresh is None:  # removed by someone else meanwhile
        messages.info(request, "That training record had already been removed.")
        return redirect("training:member", setting_id=setting.pk, membership_id=membership.pk)
    context = {
        "setting": setting, "membership": membership, "person": membership.user, "entry": fresh, "stale": True,
        "form": ChangeTrainingForm(courses=_courses_for(setting, fresh), initial=TrainingForm.initial_for(fresh)),
        "remove_form": form,
    }  # fmt: skip
    return render(request, "training/training_form.html", context, status=status)


# -- Awareness of pupils' needs ----------------------------------------------------------------------


@require_GET
def awareness_overview(request: HttpRequest, setting_id: int) -> HttpResponse:
    setting = _leaders(request, setting_id).setting
    page = selectors.awareness_overview(request, setting)
    return render(request, "training/awareness_overview.html", {"setting": setting, "page": page})


@require_http_methods(["GET", "POST"])
def pupil_awareness(request: HttpRequest, pupil_id: int) -> HttpResponse:
    pupil_access = access.get_pupil_for_user(request.user, pupil_id)
    pupil, setting = pupil_access.pupil, pupil_access.setting
    leads = O.RECORD_TRAINING in access.setting_permissions(request.user, setting)
    people = selectors.staff(setting) if leads else None
    form = AwarenessForm(request.POST or None, staff=people)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            chosen = form.cleaned_data.get("membership")
            person = chosen.user if chosen is not None else pupil_access.user
            try:
                services.confirm_awareness(
                    actor=pupil_access.actor,
                    pupil=pupil,
                    setting=setting,
                    user=person,
                    what_read=form.cleaned_data["what_read"],
                )
            except ServiceError as error:
                show_refusal(form, error)
            else:
                if chosen is None:
                    messages.success(
                        request, f"Thank you: you have confirmed you have read {pupil.first_name}'s needs."
                    )
                else:
                    name = person.full_name or person.email
                    messages.success(request, f"Recorded: {name} has read {pupil.first_name}'s needs.")
                return redirect("training:pupil_awareness", pupil_id=pupil.pk)
    context = {
        "pupil": pupil, "setting": setting, "form": form, "leads": leads,
        "mine": selectors.confirmations_of(pupil, setting, user=pupil_access.user)[:1],
        "row": selectors.pupil_row(setting, pupil) if leads else None,
        "history": selectors.confirmations_of(pupil, setting) if leads else [],
    }  # fmt: skip
    return render(request, "training/pupil_awareness.html", context, status=status)
