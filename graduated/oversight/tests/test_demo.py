"""The demo LA officer's dashboard shows the demo's records: every figure there, and some outliers."""

from io import StringIO

from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from graduated.accounts.models import User
from graduated.organisations.models import LocalAuthority
from graduated.oversight import selectors, summaries
from graduated.oversight.demo import AREAS
from graduated.oversight.models import SettingArea
from graduated.oversight.selectors import Filters
from graduated.oversight.tests.scenario import TODAY


def test_the_demo_dashboard_has_meaningful_figures(db: None, client: Client) -> None:
    call_command("load_demo", "--create-demo-accounts-with-known-passwords", stdout=StringIO())
    assert SettingArea.objects.count() == len(AREAS)
    summaries.rebuild(today=TODAY)  # the figures as of the day the tests are written for, whatever today is
    north = LocalAuthority.objects.get(name="Northshire")
    overview = selectors.overview(north, selectors.settings_for(north, Filters()), TODAY)
    assert len(overview.settings) == 4
    assert overview.totals.sen_support > 20 and overview.totals.ehc_plans > 0
    assert sum(line.pupils for line in overview.needs) == overview.totals.on_register
    assert overview.health.open_cycles > 0 and overview.health.reviews_overdue > 0
    assert overview.delivery.delivered > 0 and overview.costs.known and overview.costs.total > 0
    assert any(item.pupils for item in overview.items)  # Millbeck's groups run the LA's interventions
    assert overview.requests.received > 0
    assert overview.baseline is not None and all(column.counts for column in overview.terms)
    assert overview.flagged
    client.force_login(User.objects.get(email="officer.north@example.org"))
    page = client.get(reverse("oversight:dashboard", args=[north.pk]), {"area": "Ravensmoor and the Coast"})
    assert page.status_code == 200 and "Ravensmoor Academy" in page.content.decode()
