from io import StringIO

from django.core.management import call_command

from graduated.ehc import demo, sen2_checks, sen2_return
from graduated.ehc.models import EHCPlan, EHCRequest, Stage
from graduated.ehc.selectors import inbox, reviews_due
from graduated.ehc.timeline import timeline_for
from graduated.pupils.models import SENStatusPeriod


def test_the_demo_has_cases_in_every_state(db: None) -> None:
    call_command("load_demo", "--create-demo-accounts-with-known-passwords", stdout=StringIO())
    cases = list(EHCRequest.objects.filter(local_authority__name="Northshire").order_by("received_on"))
    assert len(cases) == 9
    assert {case.stage for case in cases} == set(Stage) - {Stage.NOT_ISSUING}
    la = cases[0].local_authority
    rows = inbox(la, demo.DEMO_DAY)
    # The excused decision (its 6 weeks ran out 8 days ago) comes first: it is to be made as soon as practicable.
    excused = [row for row in rows if row.deadline.excused]
    assert rows[0] == excused[0] and len(excused) == 1 and excused[0].case.stage == Stage.RECEIVED
    assert excused[0].deadline.state(demo.DEMO_DAY) == "Exception applies: act as soon as practicable"
    running = [row for row in rows if not row.deadline.excused]
    assert [row.days_left(demo.DEMO_DAY) for row in running][:1] == [3]  # then the decision due in 3 days
    assert running[0].deadline.rag(demo.DEMO_DAY) == "red"
    withdrawn = next(case for case in cases if case.stage == Stage.WITHDRAWN)
    assert withdrawn not in [row.case for row in rows] and withdrawn.withdrawn_by == "family"
    assert sum(row.timeline.overdue_advice(demo.DEMO_DAY) for row in rows) == 1
    finals = list(EHCPlan.objects.filter(final_issued_on__isnull=False).select_related("request"))
    met = {timeline_for(plan.request, demo.DEMO_DAY).final_plan.state(demo.DEMO_DAY) for plan in finals}
    assert met == {"Met", "Late"}
    for plan in finals:  # the pupils show E from the day the plan was issued
        current = SENStatusPeriod.objects.current().get(pupil=plan.pupil)
        assert (current.status, current.start_date) == ("E", plan.final_issued_on)
    assert Stage.DRAFT in {case.stage for case in cases} and Stage.NOT_ASSESSING in {case.stage for case in cases}
    # The SEN2 return the demo LA is working towards checks clean, with both plans active and placed.
    collection = sen2_return.Collection(sen2_return.return_year(demo.DEMO_DAY))
    built = sen2_return.build_return(la, collection, sen2_return.cases_for_return(la, collection))
    assert [finding.message for finding in sen2_checks.check(built) if finding.error] == []
    assert len(built.rows("active_plan")) == 2 and len(built.rows("placement_detail")) == 2
    soonest = reviews_due(la, demo.DEMO_DAY)[0]
    assert soonest.due.isoformat() == "2026-11-23"

    counts = (EHCRequest.objects.count(), EHCPlan.objects.count())
    assert demo.load_demo_data() == {}  # run again: nothing added
    call_command("load_demo", "--create-demo-accounts-with-known-passwords", stdout=StringIO())
    assert (EHCRequest.objects.count(), EHCPlan.objects.count()) == counts
