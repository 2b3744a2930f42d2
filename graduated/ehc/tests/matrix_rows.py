"""The EHC case work's rows of the authorisation matrix (see graduated/lib/tests/authorisation_matrix.py).

Every page is the LA's: its officers and admins read and act (WORK_EHC_CASES at the LA in the
address); the other LA's officer gets 404 on the other side. Schools reach none of these pages (they
see their own requests on the pupil page). Each target is a case of P1 (Northshire) or P4
(Southborough) at the stage its action needs.
"""

from datetime import date
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from graduated.ehc import services
from graduated.ehc.models import EHCPlan, EHCRequest, Placement, PlanReview, Sen2Build, Sen2BuildStatus
from graduated.ehc.sen2_return import return_year
from graduated.ehc.tests import factories
from graduated.lib.testing import World
from graduated.lib.tests.authorisation_matrix import Row, personas

NORTH = personas("officer_north", "la_admin_north")
SOUTH = personas("officer_south")


def _pupil(world: World, side: str) -> Any:
    return world.p1 if side == "own" else world.p4


def _args(case: EHCRequest) -> list[Any]:
    return [case.local_authority_id, case.pk]


def _received(world: World, side: str) -> list[Any]:
    return _args(factories.received(_pupil(world, side)))


def _assessing(world: World, side: str) -> list[Any]:
    return _args(factories.assessing(_pupil(world, side)))


def _refused(world: World, side: str) -> list[Any]:
    return _args(factories.not_assessing(_pupil(world, side)))


def _draft(world: World, side: str) -> list[Any]:
    return _args(factories.drafted(_pupil(world, side)).request)


def _final(world: World, side: str) -> list[Any]:
    return _args(factories.final(_pupil(world, side)).request)


def _advice(world: World, side: str) -> list[Any]:
    case = factories.assessing(_pupil(world, side))
    return [*_args(case), factories.advice(case).pk]


def _exception(world: World, side: str) -> list[Any]:
    case = factories.received(_pupil(world, side))
    services.add_exception(
        actor=factories.ACTOR, request=case, kind="personal_circumstances", first_day=date(2025, 3, 10),
        last_day=date(2025, 3, 20), reason="Family bereavement.",
    )  # fmt: skip
    return [*_args(case), case.clock_exceptions.get().pk]


def _placement(world: World, side: str) -> list[Any]:
    plan = factories.final(_pupil(world, side))
    placement = Placement.objects.create(plan=plan, urn="123456", rank=1, entry_date=date(2025, 7, 16))
    return [*_args(plan.request), placement.pk]


def _sen2_built(world: World, side: str) -> list[Any]:
    """The LA with its SEN2 return for this year built (stand-in files: the matrix tests access, not files)."""
    la = world.la_north if side == "own" else world.la_south
    build = Sen2Build(local_authority=la, year=return_year(timezone.localdate()), status=Sen2BuildStatus.READY,
                      built_at=timezone.now())  # fmt: skip
    build.xml.save("return.xml", ContentFile(b"<Message/>"), save=False)
    build.csv_zip.save("return.zip", ContentFile(b"PK"), save=False)
    build.save()
    return [la.pk]


def _review(world: World, side: str) -> list[Any]:
    plan = factories.final(_pupil(world, side))
    return [*_args(plan.request), factories.review(plan, date(2025, 9, 20)).pk]


TARGETS = {
    "ehc_received": _received, "ehc_assessing": _assessing, "ehc_refused": _refused, "ehc_draft": _draft,
    "ehc_final": _final, "ehc_advice": _advice, "ehc_review": _review,
    "ehc_exception": _exception, "ehc_placement": _placement, "sen2_built": _sen2_built,
}  # fmt: skip


def _date(prefix: str, day: date) -> dict[str, Any]:
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year}


def _new_request(world: World, args: list[Any], side: str) -> dict[str, Any]:
    pupil = _pupil(world, side)
    return {"upn": pupil.upn, **_date("received_on", date(2025, 3, 3)), "source": "1", "requested_by": "Sam"}


def _version(world: World, args: list[Any], side: str) -> int:
    return EHCRequest.objects.get(pk=args[1]).version


def _decision(world: World, args: list[Any], side: str) -> dict[str, Any]:
    return {"outcome": "assess", **_date("decided_on", date(2025, 4, 7)), "reasons": "May need a plan.",
            "version": _version(world, args, side)}  # fmt: skip


def _placement_form(world: World, args: list[Any], side: str) -> dict[str, Any]:
    version = Placement.objects.get(pk=args[2]).version if len(args) > 2 else ""
    return {"urn": "123456", "rank": "2", **_date("entry_date", date(2025, 9, 1)), "version": version}


def _sen2_details(world: World, args: list[Any], side: str) -> dict[str, Any]:
    return {"other_mediation": "on", "version": _version(world, args, side), "plan_version": _plan_version(args)}


def _assignment(world: World, args: list[Any], side: str) -> dict[str, Any]:
    officer = world.officer_north if side == "own" else world.officer_south
    return {"officer": officer.pk, "version": _version(world, args, side)}


def _withdrawal(world: World, args: list[Any], side: str) -> dict[str, Any]:
    return {"withdrawn_by": "family", **_date("withdrawn_on", date(2025, 3, 20)), "reason": "Trying new support.",
            "version": _version(world, args, side)}  # fmt: skip


def _not_to_issue(world: World, args: list[Any], side: str) -> dict[str, Any]:
    return {**_date("decided_on", date(2025, 6, 2)), "reasons": "Needs met at SEN support.",
            "version": _version(world, args, side)}  # fmt: skip


def _draft_form(world: World, args: list[Any], side: str) -> dict[str, Any]:
    return {**_date("draft_issued_on", date(2025, 6, 23)), "section_a": "Likes trains.",
            "version": _version(world, args, side)}  # fmt: skip


def _plan_version(args: list[Any]) -> int:
    return EHCPlan.objects.get(request_id=args[1]).version


def _plan_form(world: World, args: list[Any], side: str) -> dict[str, Any]:
    return {"section_b": "Speech and language needs.", "version": _plan_version(args)}


def _final_form(world: World, args: list[Any], side: str) -> dict[str, Any]:
    return {**_date("final_issued_on", date(2025, 7, 21)), "version": _plan_version(args)}


def _review_form(world: World, args: list[Any], side: str) -> dict[str, Any]:
    version = PlanReview.objects.get(pk=args[2]).version if len(args) > 2 else ""
    return {**_date("meeting_on", date(2025, 10, 1)), "version": version}


EXCEPTION = {"kind": "personal_circumstances", **_date("first_day", date(2025, 3, 10)),
             **_date("last_day", date(2025, 3, 20)), "reason": "Family bereavement."}  # fmt: skip


def _la_rows(name: str) -> Row:
    return Row(name, "GET", "la", own=NORTH, foreign=SOUTH)


def _case_rows(name: str, target: str, data: Any) -> list[Row]:
    return [
        Row(name, "GET", target, own=NORTH, foreign=SOUTH),
        Row(name, "POST", target, own=NORTH, foreign=SOUTH, data=data),
    ]


ROWS = [
    _la_rows("ehc:inbox"), _la_rows("ehc:reviews_due"), _la_rows("ehc:timeliness"), _la_rows("ehc:sen2_export"),
    _la_rows("ehc:new_request"), _la_rows("ehc:sen2_check"),
    Row("ehc:sen2_xml", "GET", "sen2_built", own=NORTH, foreign=SOUTH),
    Row("ehc:sen2_csv", "GET", "sen2_built", own=NORTH, foreign=SOUTH),
    Row("ehc:new_request", "POST", "la", own=NORTH, foreign=SOUTH, data=_new_request),
    Row("ehc:sen2_build", "POST", "la", own=NORTH, foreign=SOUTH),  # the year on the census's, by default
    Row("ehc:case", "GET", "ehc_received", own=NORTH, foreign=SOUTH),
    Row("ehc:refusal_letter", "GET", "ehc_refused", own=NORTH, foreign=SOUTH),
    *_case_rows("ehc:decide_assessment", "ehc_received", _decision),
    *_case_rows("ehc:request_advice", "ehc_assessing",
                {"adviser_kind": "ep", "adviser": "EPS", **_date("asked_on", date(2025, 4, 8))}),
    *_case_rows("ehc:advice_received", "ehc_advice", _date("received_on", date(2025, 5, 1))),
    *_case_rows("ehc:add_exception", "ehc_received", EXCEPTION),
    *_case_rows("ehc:confirm_exception", "ehc_exception",
                {"impractical_because": "Could not be seen.", **_date("confirmed_on", date(2025, 3, 21))}),
    *_case_rows("ehc:withdraw_request", "ehc_received", _withdrawal),
    *_case_rows("ehc:assign_case", "ehc_received", _assignment),
    *_case_rows("ehc:not_to_issue", "ehc_assessing", _not_to_issue),
    *_case_rows("ehc:draft_plan", "ehc_assessing", _draft_form),
    *_case_rows("ehc:edit_plan", "ehc_draft", _plan_form),
    *_case_rows("ehc:final_plan", "ehc_draft", _final_form),
    *_case_rows("ehc:new_review", "ehc_final", _review_form),
    *_case_rows("ehc:sen2_details", "ehc_final", _sen2_details),
    *_case_rows("ehc:add_placement", "ehc_final", _placement_form),
    *_case_rows("ehc:edit_placement", "ehc_placement", _placement_form),
    *_case_rows("ehc:edit_review", "ehc_review", _review_form),
]  # fmt: skip
