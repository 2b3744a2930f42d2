"""Authorisation-matrix rows for a person's own sign-in and security pages (graduated/accounts)."""

from datetime import timedelta
from typing import Any

from django.utils import timezone

from graduated.accounts.models import RememberedDevice
from graduated.lib.testing import World
from graduated.lib.tests.authorisation_matrix import EVERYONE, Row, personas


def _remembered_device(world: World, side: str) -> list[Any]:
    # senco_a's device on the own side, senco_c's on the foreign side: only its owner may forget it.
    user = world.senco_a if side == "own" else world.senco_c
    device = RememberedDevice.objects.create(
        user=user, token_hash=f"matrix-{side}", description="Firefox on Linux",
        expires_at=timezone.now() + timedelta(days=30),
    )  # fmt: skip
    return [device.pk]


TARGETS = {"remembered_device": _remembered_device}

# Everyone signed in has these pages, about themselves. The second-factor pages pass straight on for
# someone who has given a code already (as every persona in the matrix has).
ROWS = [
    Row("accounts:second_factor", "GET", "none", own=EVERYONE),
    Row("accounts:second_factor", "POST", "none", own=EVERYONE),
    Row("accounts:second_factor_setup", "GET", "none", own=EVERYONE),
    Row("accounts:security", "GET", "none", own=EVERYONE),
    Row("accounts:new_recovery_codes", "POST", "none", own=EVERYONE),
    Row("accounts:change_password", "GET", "none", own=EVERYONE),
    Row("accounts:forget_device", "POST", "remembered_device", own=personas("senco_a"), foreign=personas("senco_c")),
]
