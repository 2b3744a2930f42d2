"""The SEN dashboard's demo: each demo setting's area, then every summary worked out, so that the
demo LA officer's dashboard (officer.north@example.org) shows the demo's sessions, parent meetings,
costs and term figures at once. Run after every other demo (FEATURE_DEMOS in graduated/demo/data.py),
whose bulk-stored sessions send no signals. Deterministic; run again, it changes nothing."""

from graduated.organisations.models import Setting
from graduated.oversight import receivers, summaries
from graduated.oversight.models import SettingArea

# The demo's settings by URN (graduated/demo/catalogue.py), and the areas of their LAs.
AREAS = {
    "509417": "Millbeck and the Dales",  # Little Wrens Day Nursery
    "146208": "Millbeck and the Dales",  # Millbeck Primary School
    "148731": "Ravensmoor and the Coast",  # Ravensmoor Academy
    "130742": "Ravensmoor and the Coast",  # Northshire College of Further Education
    "152964": "Tidewell",  # Tidewell Primary School
}


def load_demo_data() -> dict[str, int]:
    areas = 0
    for setting in Setting.objects.filter(urn__in=AREAS):
        _, made = SettingArea.objects.get_or_create(setting=setting, defaults={"area": AREAS[setting.urn or ""]})
        areas += made
    done = summaries.rebuild()
    # Everything the other demos changed has just been worked out from scratch: nothing is left to
    # work out again when the demo's transaction commits.
    receivers.forget_pending()
    return {
        "setting areas": areas,
        "dashboard delivery tallies": done.delivery_tallies,
        "dashboard costed provision summaries": done.cost_summaries,
        "dashboard term snapshots": done.term_snapshots,
    }
