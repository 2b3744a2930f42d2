"""School term dates as the LA admin's form takes them (see graduated/provision/term_forms.py)."""

from typing import Any

# Northshire's half terms of 2026/27, as the term dates form takes them.
TERM_DATES_2026 = {
    "autumn_1": ((3, 9, 2026), (23, 10, 2026)), "autumn_2": ((2, 11, 2026), (18, 12, 2026)),
    "spring_1": ((4, 1, 2027), (12, 2, 2027)), "spring_2": ((22, 2, 2027), (25, 3, 2027)),
    "summer_1": ((12, 4, 2027), (28, 5, 2027)), "summer_2": ((7, 6, 2027), (22, 7, 2027)),
}  # fmt: skip


def term_dates_form(blocks: dict[str, Any] = TERM_DATES_2026, *, year: int = 2026, version: int = 0) -> dict[str, str]:
    data = {"year": str(year), "version": str(version)}
    for code, days in blocks.items():
        for which, (day, month, year_of) in zip(("starts_on", "ends_on"), days, strict=True):
            data |= {f"{code}_{which}_0": str(day), f"{code}_{which}_1": str(month), f"{code}_{which}_2": str(year_of)}
    return data
