"""docs/permissions.md shows the role tables of graduated/access/permissions.py cell for cell.

Each table in the document follows a heading naming the table in code (### `PUPIL_PERMISSIONS`: ...).
Its columns are a permission (`VIEW_SUMMARY`), what it guards, then one column per role, headed by
the role's label, with "yes" or "no" in every cell. Any other shape fails here rather than being
skipped, so the document can be neither wrong nor unreadable to this test.
"""

import re
from enum import StrEnum
from pathlib import Path

import pytest

from graduated.access import permissions
from graduated.access.permissions import OrganisationPermission, PupilPermission
from graduated.organisations.models import Role

DOC = Path(__file__).resolve().parents[3] / "docs" / "permissions.md"

TABLES: dict[str, tuple[dict[str, frozenset], type[StrEnum]]] = {
    "PUPIL_PERMISSIONS": (permissions.PUPIL_PERMISSIONS, PupilPermission),
    "SETTING_PERMISSIONS": (permissions.SETTING_PERMISSIONS, OrganisationPermission),
    "LA_PERMISSIONS": (permissions.LA_PERMISSIONS, OrganisationPermission),
    "LA_ROLES_OVER_SETTINGS": (permissions.LA_ROLES_OVER_SETTINGS, OrganisationPermission),
}
ROLE_BY_LABEL = {str(label): str(value) for value, label in Role.choices}
OTHER_COLUMNS = ("permission", "what it guards")


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def _table_lines(text: str, name: str) -> list[str]:
    """The lines of the first table after the heading that names ``name`` (and before the next heading)."""
    lines = text.splitlines()
    headings = [n for n, line in enumerate(lines) if re.match(rf"#+ `{name}`", line)]
    assert len(headings) == 1, f"docs/permissions.md needs one heading starting `{name}`, found {len(headings)}"
    table: list[str] = []
    for line in lines[headings[0] + 1 :]:
        if line.startswith("#"):
            break
        if line.startswith("|"):
            table.append(line)
        elif table:
            break
    assert len(table) >= 3, f"no table under the heading `{name}` in docs/permissions.md"
    return table


def documented(name: str, enum: type[StrEnum]) -> tuple[dict[str, frozenset[str]], list[str]]:
    """The table as a role -> permissions mapping, and its rows' permission names in order."""
    header, separator, *rows = _table_lines(DOC.read_text(encoding="utf-8"), name)
    columns = _cells(header)
    assert set(_cells(separator)) <= {"---", ":---", "---:", ":---:"}, f"{name}: the second line must be |---|"
    assert tuple(columns[: len(OTHER_COLUMNS)]) == OTHER_COLUMNS, f"{name}: the first columns must be {OTHER_COLUMNS}"
    labels = columns[len(OTHER_COLUMNS) :]
    unknown = [label for label in labels if label not in ROLE_BY_LABEL]
    assert not unknown, f"{name}: columns {unknown} are not role labels ({sorted(ROLE_BY_LABEL)})"
    granted: dict[str, set[str]] = {ROLE_BY_LABEL[label]: set() for label in labels}
    names: list[str] = []
    for row in rows:
        cells = _cells(row)
        assert len(cells) == len(columns), f"{name}: row {row!r} has {len(cells)} cells, not {len(columns)}"
        match = re.fullmatch(r"`([A-Z_]+)`", cells[0])
        assert match and match.group(1) in enum.__members__, f"{name}: {cells[0]!r} is not a {enum.__name__}"
        names.append(match.group(1))
        for label, cell in zip(labels, cells[len(OTHER_COLUMNS) :], strict=True):
            assert cell in ("yes", "no"), f"{name}, {match.group(1)}, {label}: {cell!r} is neither yes nor no"
            if cell == "yes":
                granted[ROLE_BY_LABEL[label]].add(enum[match.group(1)].value)
    assert len(names) == len(set(names)), f"{name}: a permission has two rows"
    return {role: frozenset(perms) for role, perms in granted.items()}, names


def in_code(name: str) -> dict[str, frozenset[str]]:
    table, _ = TABLES[name]
    return {str(role): frozenset(str(p) for p in perms) for role, perms in table.items()}


@pytest.mark.parametrize("name", list(TABLES))
def test_the_document_shows_each_role_table_as_the_code_has_it(name: str) -> None:
    _, enum = TABLES[name]
    doc, rows = documented(name, enum)
    code = in_code(name)
    assert set(doc) == set(code), f"{name}: roles in the document {sorted(doc)}, in the code {sorted(code)}"
    for role in code:
        assert doc[role] == code[role], (
            f"{name}, {role}: only in the document {sorted(doc[role] - code[role])}, "
            f"only in the code {sorted(code[role] - doc[role])}"
        )
    # A row is a permission the table grants to someone: none missing, none granted to nobody.
    granted_somewhere = {enum(p).name for perms in code.values() for p in perms}
    assert set(rows) == granted_somewhere, f"{name}: rows {sorted(rows)}, granted in code {sorted(granted_somewhere)}"


@pytest.mark.parametrize("enum", [PupilPermission, OrganisationPermission])
def test_every_permission_is_in_a_table(enum: type[StrEnum]) -> None:
    """A new permission shows up in the document, and is granted by some table in the code."""
    rows = {row for name, (_, kind) in TABLES.items() if kind is enum for row in documented(name, kind)[1]}
    assert rows == set(enum.__members__), f"not in any table of docs/permissions.md: {set(enum.__members__) - rows}"


def test_the_parser_reads_the_cells() -> None:
    """Not vacuous: one row and one column read as the document shows them."""
    doc, rows = documented("PUPIL_PERMISSIONS", PupilPermission)
    assert rows[0] == "VIEW_SUMMARY" and len(rows) == len(PupilPermission)
    assert doc[Role.TEACHING_ASSISTANT] == {"view_summary", "log_delivery", "edit_profile"}
