"""The dashboard's spreadsheet: the sheets of tables.py as an XLSX, as provision/map_exports.py
writes its maps (values, never formulas; the header row bold and frozen; money as pounds), but in
openpyxl's write-only mode, which streams rows instead of keeping every cell as an object: an LA's
sheets hold a row for each of hundreds of settings."""

import io
from decimal import Decimal
from typing import Any

from graduated.provision.map_exports import Cell, Pounds, Sheet, cell_text


def _widths(sheet: Sheet) -> list[int]:
    widths = []
    for index, header in enumerate(sheet.headers):
        longest = max([len(header), *(len(cell_text(row[index])) for row in sheet.rows if index < len(row))])
        widths.append(min(max(longest + 2, 8), 60))
    return widths


def _value(worksheet: Any, value: Cell) -> Any:
    """What to append for one cell: the plain value where openpyxl stores it as it is (numbers, and
    text that cannot be read as a formula), else a styled cell."""
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, Pounds):
        cell = WriteOnlyCell(worksheet, Decimal(value))
        cell.number_format = '"£"#,##0.00'
        return cell
    if value is None or isinstance(value, int | Decimal):
        return value
    text = cell_text(value)
    if not text.startswith("="):
        return text
    cell = WriteOnlyCell(worksheet, text)
    cell.data_type = "s"  # text that starts with "=" stays text: these files hold values only
    return cell


def _header(worksheet: Any, text: str, bold: Any) -> Any:
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(worksheet, text)
    cell.data_type = "s"
    cell.font = bold
    return cell


def render(sheets: list[Sheet], title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    workbook.properties.title = title
    bold = Font(bold=True)
    for sheet in sheets:
        worksheet = workbook.create_sheet(sheet.name[:31])
        worksheet.freeze_panes = "A2"  # the header row stays in view
        for index, width in enumerate(_widths(sheet), start=1):
            worksheet.column_dimensions[get_column_letter(index)].width = width
        worksheet.append([_header(worksheet, header, bold) for header in sheet.headers])
        for row in sheet.rows:
            worksheet.append([_value(worksheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
