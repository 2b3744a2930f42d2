from datetime import date, timedelta
from io import StringIO

from django.core.management import call_command

from graduated.organisations.models import LocalAuthority, Setting
from graduated.provision.cost_forms import Period
from graduated.provision.demo_groups import HOLIDAYS
from graduated.provision.models import CatalogueItem
from graduated.provision.provision_maps import setting_map
from graduated.provision.terms import term_calendars
from graduated.pupils.codes import BroadArea


def test_the_demo_has_a_shared_catalogue_adopted_and_adapted_by_millbeck(db: None) -> None:
    call_command("load_demo", "--create-demo-accounts-with-known-passwords", stdout=StringIO())
    shared = CatalogueItem.objects.filter(local_authority__code="860")
    assert shared.count() == 20
    assert {area for item in shared for area in item.areas} == {area.value for area in BroadArea}
    millbeck = CatalogueItem.objects.filter(setting__urn="146208")
    assert millbeck.filter(adopted_from__isnull=False).count() == 12
    assert millbeck.filter(adopted_from__isnull=True).count() == 2
    paired = millbeck.get(name="Paired reading")
    assert (paired.sessions_per_week, paired.adopted_from.sessions_per_week) == (4, 3)  # type: ignore[union-attr]
    northshire = LocalAuthority.objects.get(code="860")

    # Northshire's school term dates: last year, this year and next, each 195 school days (39.0
    # weeks), whose holidays are the ones the demo's registers skip (bar the May bank holiday, a
    # school day as the 195 count it); Millbeck's provision map counts its weeks by them.
    calendar = term_calendars([northshire.pk])[northshire.pk]
    assert sorted(calendar.years) == [2025, 2026, 2027]
    assert [calendar.teaching_days(year) for year in (2025, 2026, 2027)] == [195, 195, 195]
    holiday_weekdays = {
        day for first, last in HOLIDAYS for day in _days(first, last) if day.weekday() < 5 and day.year >= 2025
    }
    school_days = {day for block in calendar.blocks for day in _days(block.starts_on, block.ends_on)}
    assert holiday_weekdays & school_days == {date(2026, 5, 4)}
    costed = setting_map(Setting.objects.get(urn="146208"), Period.academic_year(2026))
    assert costed.lines and all("school days in Northshire's terms ÷ 5" in line.cost.arithmetic
                                for line in costed.lines if line.costed)  # fmt: skip


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]
