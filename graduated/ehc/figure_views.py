"""The LA's pages across its cases: reviews due, a plan's review meetings, timeliness per month, and
the SEN2-style CSV. The LA's officers and admins only (VIEW_LA_FIGURES at the LA in the address)."""

import csv

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from graduated import access
from graduated.access import OrganisationPermission
from graduated.audit.models import AuditAction
from graduated.audit.services import record
from graduated.ehc import figures, reviews, selectors, transfers
from graduated.ehc.forms import ReviewForm
from graduated.ehc.models import PlanReview
from graduated.ehc.timeline import plan_of
from graduated.ehc.views import case_for, case_url, la_for
from graduated.lib.db_routing import from_replica
from graduated.lib.errors import ServiceError
from graduated.lib.forms import show_refusal

PAGE_SIZE = 50  # rows on a page of the reviews due


@require_GET
def reviews_due(request: HttpRequest, la_id: int) -> HttpResponse:
    la_access = la_for(request, la_id)
    la = la_access.la
    today = timezone.localdate()
    # An LA has thousands of plans: every plan's due date is worked out (cheaply) to order them, and only
    # the page shown is loaded with its pupil's settings for the phase transfers.
    page = Paginator(selectors.review_order(la, today), PAGE_SIZE).get_page(request.GET.get("page"))
    dues = selectors.reviews_due(la, today, plan_ids=[pk for _, pk in page.object_list])
    record(
        la_access.actor, AuditAction.VIEW, object_type="ehc reviews due", object_id=str(la.pk),
        description=f"EHC plan reviews due: {page.paginator.count} plans",
    )  # fmt: skip
    return render(request, "ehc/reviews_due.html", {"la": la, "dues": dues, "page": page, "today": today})


@require_http_methods(["GET", "POST"])
def review_form(request: HttpRequest, la_id: int, case_id: int, review_id: int | None = None) -> HttpResponse:
    """Record a review meeting of the case's final plan, or fill in a recorded one as its steps happen."""
    case_access = case_for(request, la_id, case_id)
    la, case = case_access.la, case_access.case
    plan = plan_of(case)
    if plan is None or not plan.is_final:
        messages.error(request, "Only a final plan is reviewed: issue the final plan first.")
        return redirect(case_url(case))
    plan.request = case
    review: PlanReview | None = None
    if review_id is not None:
        review = PlanReview.objects.filter(pk=review_id, plan=plan).first()
        if review is None:
            raise Http404("No such review.")
        review.plan = plan
    initial = {name: getattr(review, name) for name in reviews.REVIEW_FIELDS} if review else {}
    form = ReviewForm(request.POST or None, initial={**initial, "version": review.version if review else 0})
    if request.method == "POST" and form.is_valid():
        details = {name: form.cleaned_data.get(name) for name in reviews.REVIEW_FIELDS}
        try:
            if review is None:
                reviews.record_review(actor=case_access.actor, plan=plan, details=details)
            else:
                reviews.update_review(
                    actor=case_access.actor, review=review, details=details,
                    expected_version=form.cleaned_data["version"] or 0,
                )  # fmt: skip
        except ServiceError as error:
            show_refusal(form, error)
        else:
            messages.success(request, "Review saved.")
            return redirect(case_url(case))
    heading = "Record a review meeting" if review is None else "Update the review"
    context = {
        "la": la, "case": case, "form": form, "heading": heading, "button": "Save review", "intro": "",
        "transfer": transfers.transfer_for_pupil(case.pupil, timezone.localdate()),
    }  # fmt: skip
    return render(request, "ehc/action_form.html", context, status=400 if request.method == "POST" else 200)


@require_GET
def timeliness(request: HttpRequest, la_id: int) -> HttpResponse:
    la = access.get_la_for_user(request.user, la_id, OrganisationPermission.VIEW_LA_FIGURES).la
    today = timezone.localdate()
    with from_replica():
        months = figures.timeliness(la, today)
    context = {"la": la, "months": months, "today": today, "small_number": figures.SMALL_NUMBER}
    return render(request, "ehc/timeliness.html", context)


@require_GET
def sen2_export(request: HttpRequest, la_id: int) -> HttpResponse:
    la_access = access.get_la_for_user(request.user, la_id, OrganisationPermission.VIEW_LA_FIGURES)
    la = la_access.la
    today = timezone.localdate()
    with from_replica():
        cases = list(figures.case_clocks(la, today))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="sen2-requests-{la.code or la.pk}-{today}.csv"'
    writer = csv.writer(response)
    writer.writerow(figures.SEN2_HEADER)
    writer.writerows([figures.safe_cell(value) for value in figures.sen2_row(case)] for case in cases)
    record(
        la_access.actor, AuditAction.EXPORT, object_type="ehc sen2 export", object_id=str(la.pk),
        description=f"SEN2-style CSV of EHC requests: {len(cases)} rows",
    )  # fmt: skip
    return response
