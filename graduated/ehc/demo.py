"""Demo EHC case work in Northshire at Millbeck Primary School, in every state, as of the demo's last
day (13 November 2026). Six requests for pupils on SEN support:

* a request from a parent received 2 weeks before;
* a request from the school whose 6-week decision falls due 3 days after (red);
* an assessment with advice asked of two professionals: health's received, the EP's late;
* a request with 5 weeks' absence from the area recorded, which excuses the 6-week decision;
* a request refused (not to assess), with its letter;
* a draft plan out for the family's comments;
* and the final plans of the two pupils the base demo already records with an EHC plan (E), each
  issued on the day their status became E: one within 20 weeks, one late, the late one reviewed
  last November so that its next review is due 23 November 2026.

Why those two: the base demo's tests hold its census picture fixed (the share of pupils with a plan,
every status period as the plan wrote it, histories written by SENCOs), so the demo moves no pupil
to E; issuing each plan on its pupil's E date keeps the record consistent (issuing a final plan
otherwise sets E through the pupils service, as the tests show).

Deterministic: fixed dates and text, pupils in id order. Idempotent: an LA that has requests is
left alone. Everything goes through the services, as the demo LA officer would type it.
"""

from datetime import date, timedelta

from graduated.audit.services import Actor
from graduated.ehc import reviews, sen2_services, services
from graduated.ehc.models import EHCRequest, RequestSource, ReviewDecision
from graduated.organisations.models import Membership, Role, Setting
from graduated.pupils.codes import SENProvision
from graduated.pupils.models import Enrolment, Pupil, SENStatusPeriod

MILLBECK_URN = "146208"
DEMO_DAY = date(2026, 11, 13)  # graduated.demo.data.LATEST_EVENT: nothing happens after it
PARENT, SCHOOL = RequestSource.PARENT_OR_YOUNG_PERSON, RequestSource.EDUCATION_SETTING


def _days(n: int) -> date:
    return DEMO_DAY - timedelta(days=n)


def _on_support(setting: Setting) -> list[Pupil]:
    """Pupils at the setting on SEN support now, by id."""
    on_support = SENStatusPeriod.objects.current().filter(status=SENProvision.SEN_SUPPORT)
    return list(
        Pupil.objects.filter(pk__in=Enrolment.objects.current().filter(setting=setting).values("pupil_id"))
        .filter(pk__in=on_support.values("pupil_id"))
        .order_by("id")
    )


def _with_plans(setting: Setting) -> list[tuple[Pupil, date]]:
    """Pupils at the setting with an EHC plan (E) now, by the day their status became E, earliest first."""
    periods = (
        SENStatusPeriod.objects.current()
        .filter(
            status=SENProvision.EHC_PLAN,
            pupil__in=Enrolment.objects.current().filter(setting=setting).values("pupil_id"),
        )
        .select_related("pupil")
        .order_by("start_date", "pupil_id")
    )
    return [(period.pupil, period.start_date) for period in periods]


def _receive(actor: Actor, setting: Setting, pupil: Pupil, on: date, source: int) -> EHCRequest:
    by_school = source == SCHOOL
    return services.receive_request(
        actor=actor, la=setting.local_authority, pupil=pupil, received_on=on, source=source,
        requested_by="The SENCO, Millbeck Primary School" if by_school else f"Ms {pupil.last_name} (mother)",
        requesting_setting=setting if by_school else None,
    )  # fmt: skip


def _decide(actor: Actor, case: EHCRequest, on: date, assess: bool = True) -> EHCRequest:
    reasons = (
        "The evidence shows the child may have special educational needs and that provision may need to be made "
        "through an EHC plan: little progress after two reviewed cycles of SEN support."
        if assess
        else "The setting's evidence shows good progress with the support it already provides from its own "
        "resources; the Northshire ordinarily available provision has not yet been tried in full."
    )
    return services.decide_whether_to_assess(
        actor=actor, request=case, to_assess=assess, decided_on=on, reasons=reasons, expected_version=case.version
    )


SECTIONS = {
    "section_a": "Enjoys building models and drawing; wants to be an engineer. Likes to know what is happening next.",
    "section_b": "Speech, language and communication needs: difficulty understanding longer instructions.",
    "section_e": "By the end of Key Stage 2, to follow three-step instructions in class without adult prompting.",
    "section_f": "Speech and language programme, 3 × 20 minutes a week, delivered by a trained teaching assistant.",
    "section_i": "Millbeck Primary School (mainstream).",
}


def _plan(actor: Actor, setting: Setting, pupil: Pupil, received_on: date, final_after: int | None) -> EHCRequest:
    case = _decide(actor, _receive(actor, setting, pupil, received_on, SCHOOL), received_on + timedelta(days=38))
    plan = services.issue_draft_plan(
        actor=actor, request=case, draft_issued_on=received_on + timedelta(days=100), sections=SECTIONS,
        expected_version=case.version,
    )  # fmt: skip
    if final_after is not None:
        services.issue_final_plan(
            actor=actor, plan=plan, final_issued_on=received_on + timedelta(days=final_after),
            expected_version=plan.version,
        )  # fmt: skip
    return case


def load_demo_data() -> dict[str, int]:
    setting = Setting.objects.filter(urn=MILLBECK_URN).select_related("local_authority").first()
    if setting is None or EHCRequest.objects.filter(local_authority=setting.local_authority).exists():
        return {}
    officer = (
        Membership.objects.filter(local_authority=setting.local_authority, role=Role.LA_OFFICER)
        .select_related("user")
        .order_by("id")
        .first()
    )
    actor = Actor(
        user=officer.user if officer else None, role=Role.LA_OFFICER, local_authority_id=setting.local_authority_id
    )
    pupils, planned = _on_support(setting), _with_plans(setting)
    if len(pupils) < 7 or len(planned) < 2:
        return {}
    new, due_soon, advice_case, excepted, refused, drafted, withdrawn = pupils[:7]

    _receive(actor, setting, new, _days(14), PARENT)
    _receive(actor, setting, due_soon, _days(39), SCHOOL)  # 6 weeks = 42 days: due in 3 days

    case = _decide(actor, _receive(actor, setting, advice_case, _days(90), SCHOOL), _days(60))
    health = services.request_advice(
        actor=actor, request=case, adviser_kind="health", adviser="Community paediatrics", asked_on=_days(58)
    )
    services.mark_advice_received(actor=actor, advice=health, received_on=_days(30))
    services.request_advice(  # due 6 weeks after asking: 16 days ago, not yet received
        actor=actor, request=case, adviser_kind="ep", adviser="Northshire Educational Psychology Service",
        asked_on=_days(58),
    )  # fmt: skip

    case = _receive(actor, setting, excepted, _days(50), PARENT)
    services.add_exception(
        actor=actor, request=case, kind="absent_from_area", first_day=_days(45), last_day=_days(10),
        reason="The family was abroad caring for a grandparent for five weeks.",
        impractical_because="The educational psychologist could not see the child while the family was abroad, so "
        "the evidence for the decision could not be gathered in time.",
        confirmed_on=_days(10),
    )  # fmt: skip

    case = _receive(actor, setting, withdrawn, _days(70), PARENT)
    services.withdraw_request(
        actor=actor, request=case, withdrawn_on=_days(40), withdrawn_by="family", expected_version=case.version,
        reason="The family asked to withdraw: the new support at school is working and they want to see how it goes.",
    )  # fmt: skip

    _decide(actor, _receive(actor, setting, refused, _days(60), PARENT), _days(25), assess=False)
    _plan(actor, setting, drafted, _days(110), final_after=None)  # draft served 10 days ago
    # The final plans of the two pupils the census already shows with a plan, each issued on the day
    # their status became E (so issuing changes no status): the earlier one 160 days after its request
    # (late: the 20 weeks are 140 days), the later one 135 days after (in time).
    (late, late_issued), (on_time, on_time_issued) = planned[:2]
    late_case = _plan(actor, setting, late, late_issued - timedelta(days=160), final_after=160)
    on_time_case = _plan(actor, setting, on_time, on_time_issued - timedelta(days=135), final_after=135)
    for planned_case, unit in ((late_case, False), (on_time_case, True)):  # where each plan places the child
        final_plan = planned_case.plan
        sen2_services.add_placement(actor=actor, plan=final_plan, data={
            "setting": setting, "rank": 1, "entry_date": final_plan.final_issued_on, "sen_unit": unit,
        })  # fmt: skip
    review_on = DEMO_DAY - timedelta(days=354)  # the next review falls due 10 days after the demo's last day
    plan = late_case.plan
    if plan.final_issued_on is not None and plan.final_issued_on <= review_on:
        reviews.record_review(
            actor=actor, plan=plan,
            details={"meeting_on": review_on, "papers_sent_on": review_on - timedelta(days=14),
                     "report_received_on": review_on + timedelta(days=10), "decision": ReviewDecision.MAINTAIN,
                     "decided_on": review_on + timedelta(days=20)},
        )  # fmt: skip
    return {"ehc requests": 9, "ehc final plans": 2}
