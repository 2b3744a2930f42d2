"""The records app's rows of the authorisation matrix (see graduated/lib/tests/authorisation_matrix.py).

Importing pupils, and the Common Transfer File of a group of leavers, are for those who may add
pupils to the setting (its SENCO): everyone else gets 404, as does the SENCO of another setting for
this setting's. A pupil's own CTF is for those who may read their whole record (SENCO and head); the
teacher and TA linked to P1 get 403. Without the form's answers these pages show their form.

Record transfers are the SENCO's (``TRANSFER_RECORDS``): a request is reached by the setting that
sends the record or receives it; only the sender decides, only the receiver withdraws. Each target
request involves a third setting outside the personas, so that no persona but the SENCO meant is
either side of it. What previous settings wrote is read by those who read the whole record. The census check is for
those who read the register (SENCO and head).
"""

from datetime import date
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from graduated.access import actor_in
from graduated.lib.testing import World, valid_upn
from graduated.lib.tests.authorisation_matrix import P1_SUMMARY_ONLY, SETTING_A_LEADERS, Row, personas
from graduated.organisations.models import Phase, Setting
from graduated.records import runs
from graduated.records.models import ImportKind, RecordTransfer, TransferStatus

SENCO = personas("senco_a")
FOREIGN_SENCO = personas("senco_c")


def csv_file(name: str = "pupils.csv") -> SimpleUploadedFile:
    content = (
        "UPN,Surname,Forename,DOB,Gender,SEN Status\r\n"
        f"{valid_upn('860', '2290', '19', 901)},Matrix,Mia,14/03/2016,F,K\r\n"
    )
    return SimpleUploadedFile(name, content.encode(), "text/csv")


def _run(world: World, side: str, *, checked: bool = False) -> list[Any]:
    setting, user = (world.setting_a, world.senco_a) if side == "own" else (world.setting_c, world.senco_c)
    actor = actor_in(user, setting)
    run = runs.upload(actor=actor, setting=setting, user=user, file=csv_file(), kind=ImportKind.CSV)
    if checked:
        mapping = {
            "upn": 0,
            "legal_last_name": 1,
            "legal_first_name": 2,
            "date_of_birth": 3,
            "sex": 4,
            "sen_provision": 5,
        }
        runs.match_columns(actor=actor, run=run, mapping=mapping)
    return [setting.pk, run.pk]


def _upload(world: World, args: list[Any], side: str) -> dict[str, Any]:
    return {"file": csv_file()}


def _columns(world: World, args: list[Any], side: str) -> dict[str, Any]:
    return {"upn": "0", "legal_last_name": "1", "legal_first_name": "2", "date_of_birth": "3", "sex": "4"}


def _elsewhere(world: World, side: str) -> Setting:
    la = world.la_north if side == "own" else world.la_south
    return Setting.objects.create(name=f"Elm College {side}", urn=f"39{len(side)}001", phase=Phase.SECONDARY,
                                  local_authority=la)  # fmt: skip


def _transfer(world: World, side: str, *, outwards: bool, status: str = TransferStatus.REQUESTED) -> RecordTransfer:
    """A request involving the side's setting: for the side's pupil (outwards), or into the side's setting."""
    setting, pupil = (world.setting_a, world.p1) if side == "own" else (world.setting_c, world.p4)
    other = _elsewhere(world, side)
    return RecordTransfer.objects.create(
        pupil=pupil, from_setting=setting if outwards else other, to_setting=other if outwards else setting,
        starts_on=date(2026, 9, 1), status=status,
    )  # fmt: skip


def _transfer_args(world: World, side: str, **kwargs: Any) -> list[Any]:
    transfer = _transfer(world, side, **kwargs)
    setting = transfer.from_setting if kwargs["outwards"] else transfer.to_setting
    return [setting.pk, transfer.pk]


def _pupil_transferred(world: World, side: str) -> list[Any]:
    transfer = _transfer(world, side, outwards=False, status=TransferStatus.APPROVED)
    return [transfer.pupil_id]


def _ask_for(world: World, args: list[Any], side: str) -> dict[str, Any]:
    """The form asking for the other side's pupil: P4 (own side, at Cedar), P1 (foreign, at Ash)."""
    pupil = world.p4 if side == "own" else world.p1
    born = pupil.date_of_birth
    return {
        "upn": pupil.upn, "date_of_birth_0": born.day, "date_of_birth_1": born.month, "date_of_birth_2": born.year,
        "starts_on_0": 1, "starts_on_1": 9, "starts_on_2": 2026,
    }  # fmt: skip


TARGETS = {
    "transfer_out": lambda world, side: _transfer_args(world, side, outwards=True),
    "transfer_in": lambda world, side: _transfer_args(world, side, outwards=False),
    "pupil_transferred": _pupil_transferred,
    "import_run": lambda world, side: _run(world, side),
    "import_run_checked": lambda world, side: _run(world, side, checked=True),
}
ROWS = [
    Row("records:import", "GET", "setting", own=SENCO, foreign=FOREIGN_SENCO),
    Row("records:import", "POST", "setting", own=SENCO, foreign=FOREIGN_SENCO, data=_upload),
    Row("records:run", "GET", "import_run", own=SENCO, foreign=FOREIGN_SENCO),
    Row("records:columns", "GET", "import_run", own=SENCO, foreign=FOREIGN_SENCO),
    Row("records:columns", "POST", "import_run", own=SENCO, foreign=FOREIGN_SENCO, data=_columns),
    Row("records:start", "POST", "import_run_checked", own=SENCO, foreign=FOREIGN_SENCO),
    Row("records:cancel", "POST", "import_run", own=SENCO, foreign=FOREIGN_SENCO),
    Row("records:refusals", "GET", "import_run_checked", own=SENCO, foreign=FOREIGN_SENCO),
    Row("records:leavers", "GET", "setting", own=SENCO, foreign=FOREIGN_SENCO),
    Row("records:pupil_ctf", "GET", "pupil", own=SETTING_A_LEADERS, foreign=FOREIGN_SENCO, forbidden=P1_SUMMARY_ONLY),
    Row("records:census", "GET", "setting", own=SETTING_A_LEADERS, foreign=FOREIGN_SENCO),
    Row("records:transfers", "GET", "setting", own=SENCO, foreign=FOREIGN_SENCO),
    Row("records:transfer_request", "GET", "setting", own=SENCO, foreign=FOREIGN_SENCO),
    Row("records:transfer_request", "POST", "setting", own=SENCO, foreign=FOREIGN_SENCO, data=_ask_for),
    Row("records:transfer", "GET", "transfer_out", own=SENCO, foreign=FOREIGN_SENCO),
    Row("records:transfer", "POST", "transfer_out", own=SENCO, foreign=FOREIGN_SENCO, data={"decision": "approve"}),
    Row("records:transfer_withdraw", "POST", "transfer_in", own=SENCO, foreign=FOREIGN_SENCO),
    Row(
        "records:previous_settings",
        "GET",
        "pupil_transferred",
        own=SETTING_A_LEADERS,
        foreign=FOREIGN_SENCO,
        forbidden=P1_SUMMARY_ONLY,
    ),
]
