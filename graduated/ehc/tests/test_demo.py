from io import StringIO

from django.core.management import call_command

from graduated.ehc import demo
from graduated.ehc.models import EHCPlan, EHCRequest, Stage
from graduated.ehc.selectors import inbox, reviews_due
from graduated.ehc.timeline import timeline_for
from graduated.pupils.models import SENStatusPeriod


def test_the_demo_has_cases_in_every_state(db: None) -> None:
    call_command("load_demo", "--create-demo-accounts-with-known-passwords", stdout=StringIO())
    cases = list(EHCRequest.objects.filter(local_authority__name="Northshire").order_by("received_on"))
    assert len(cases) == 8
    assert {case.stage for case in cases} == set(Stage) - {Stage.NOT_ISSUING}
    la = cases[0].local_authority
    rows = inbox(la, demo.DEMO_DAY)
    assert [row.days_left(demo.DEMO_DAY) for row in rows][:1] == [3]  # the decision due in 3 days comes first
    assert rows[0].deadline.rag(demo.DEMO_DAY) == "red"
    excused = [row for row in rows if row.deadline.excused]
    assert len(excused) == 1 and excused[0].case.stage == Stage.RECEIVED
    assert sum(row.timeline.overdue_advice(demo.DEMO_DAY) for row in rows) == 1
    finals = list(EHCPlan.objects.filter(final_issued_on__isnull=False).select_related("request"))
    met = {timeline_for(plan.request, demo.DEMO_DAY).final_plan.state(demo.DEMO_DAY) for plan in finals}
    assert met == {"Met", "Late"}
    for plan in finals:  # the pupils show E from the day the plan was issued
        current = SENStatusPeriod.objects.current().get(pupil=plan.pupil)
        assert (current.status, current.start_date) == ("E", plan.final_issued_on)
    assert Stage.DRAFT in {case.stage for case in cases} and Stage.NOT_ASSESSING in {case.stage for case in cases}
    soonest = reviews_due(la, demo.DEMO_DAY)[0]
    assert soonest.due.isoformat() == "2026-11-23"

    counts = (EHCRequest.objects.count(), EHCPlan.objects.count())
    assert demo.load_demo_data() == {}  # run again: nothing added
    call_command("load_demo", "--create-demo-accounts-with-known-passwords", stdout=StringIO())
    assert (EHCRequest.objects.count(), EHCPlan.objects.count()) == counts
