"""The last stages: one request for an EHC needs assessment sent by the sample school through the
app's own services, and its evidence bundle made as the background task makes it (the same
function, run here), so that the runner can time the download of a stored bundle (budget: 100 ms).
"""

from datetime import date, timedelta
from typing import Any

from django.db import transaction

from benchmarks.datagen.world import World


def send_request(world: World, setting_id: int, senco_id: int, today: date) -> dict[str, int]:
    """Send a request for a pupil of the sample school on SEN support with none yet; its ids."""
    from graduated.access.actors import actor_in
    from graduated.accounts.models import User
    from graduated.assessment_requests import bundles, services
    from graduated.organisations.models import Setting
    from graduated.pupils.models import Pupil

    chosen = next(p for p in world.pupils if p.setting.id == setting_id and p.status == "K" and p.request is None)
    setting = Setting.objects.get(pk=setting_id)
    senco = actor_in(User.objects.get(pk=senco_id), setting)
    pupil = Pupil.objects.get(pk=chosen.id)
    details: dict[str, Any] = {
        "parental_responsibility": f"{chosen.parent} (parent)", "attendance_this_year": 93.5,
        "attendance_last_year": 95, "child_views": "I want help with my reading and with making friends.",
        "parent_views": "We would like more support in class and a plan that follows them to the next school.",
        "beyond_ordinarily_available": "Daily one-to-one teaching and a speech and language programme beyond "
        "what the school can fund from its notional SEN budget.",
        "consent_by": "parent", "consent_name": chosen.parent, "consent_on": today - timedelta(days=3),
        "consent_to_share": True,
    }  # fmt: skip
    with transaction.atomic():
        prepared = services.start_request(actor=senco, pupil=pupil, setting=setting)
        prepared = services.update_details(actor=senco, prepared=prepared, values=details,
                                           expected_version=prepared.version)  # fmt: skip
        services.submit(actor=senco, prepared=prepared, expected_version=prepared.version, on=today)
    bundles.make_bundle(prepared.pk)
    prepared.refresh_from_db()
    if not prepared.bundle_ready:
        raise RuntimeError(f"The sample request's bundle was not made: {prepared.bundle_error}")
    return {"bundle_pupil_id": chosen.id, "bundle_request_id": prepared.pk}


def build_sen2(la_id: int, officer_id: int, today: date) -> int:
    """The LA's SEN2 return for this year, built as the background task builds it (the same function,
    run here), so that the runner times the check page and downloads of a stored return."""
    from graduated.access.actors import actor_in
    from graduated.accounts.models import User
    from graduated.ehc import sen2_builds, sen2_return
    from graduated.organisations.models import LocalAuthority

    la = LocalAuthority.objects.get(pk=la_id)
    build = sen2_builds.ask_for_build(
        actor=actor_in(User.objects.get(pk=officer_id), la), la=la, year=sen2_return.return_year(today)
    )
    sen2_builds.make_return(build.pk)
    build.refresh_from_db()
    if build.error:
        raise RuntimeError(f"The SEN2 return was not built: {build.error}")
    return build.pk
