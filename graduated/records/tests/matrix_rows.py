"""The records app's rows of the authorisation matrix (see graduated/lib/tests/authorisation_matrix.py).

Importing pupils is for those who may add pupils to the setting (its SENCO): everyone else gets
404, as does the SENCO of another setting for this setting's imports.
"""

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from graduated.access import actor_in
from graduated.lib.testing import World, valid_upn
from graduated.lib.tests.authorisation_matrix import Row, personas
from graduated.records import runs
from graduated.records.models import ImportKind

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


TARGETS = {
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
]
