"""``{% sheet_table sheet %}``: one of tables.py's sheets as a GOV.UK table, the same rows the
spreadsheet holds. Written out here rather than by a template loop: the LA's table has a row for
each of up to hundreds of settings, and a template spends far longer on each cell."""

from decimal import Decimal

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from graduated.provision.map_exports import Link, Sheet, cell_text

register = template.Library()


def _link(link: Link) -> str:
    return format_html('<a class="govuk-link" href="{}">{}</a>', link.url, link.text)


def _content(value: object, text: str) -> str:
    return _link(value) if isinstance(value, Link) else escape(text)


@register.simple_tag
def sheet_table(sheet: Sheet, caption_size: str = "s") -> SafeString:
    header_cells = "".join(
        f'<th scope="col" class="govuk-table__header{" govuk-table__header--numeric" if number else ""}">'
        f"{escape(header)}</th>"
        for header, number in sheet.page_headers()
    )
    rows = []
    for row in sheet.rows:
        cells = []
        for index, value in enumerate(row):
            text = cell_text(value)
            content = (
                format_html('<a class="govuk-link" href="{}">{}</a>', value.url, text)
                if isinstance(value, Link)
                else escape(text)
            )
            if index == 0:
                cells.append(f'<th scope="row" class="govuk-table__header">{content}</th>')
            elif value is None:  # nothing to divide by, or not known: said, not left blank
                cells.append('<td class="govuk-table__cell"><span class="govuk-visually-hidden">No figure</span></td>')
            else:
                numeric = " govuk-table__cell--numeric" if isinstance(value, int | Decimal) else ""
                cells.append(f'<td class="govuk-table__cell{numeric}">{content}</td>')
        rows.append(f'<tr class="govuk-table__row">{"".join(cells)}</tr>')
    if not rows:
        rows.append(
            f'<tr class="govuk-table__row"><td class="govuk-table__cell" colspan="{len(sheet.headers)}">'
            "Nothing to show.</td></tr>"
        )
    caption = escape(sheet.caption)
    size = escape(caption_size)
    return mark_safe(  # every text above is escaped
        f'<div class="app-table-scroll" tabindex="0" role="region" aria-label="{caption} (scrolls sideways)">'
        f'<table class="govuk-table"><caption class="govuk-table__caption govuk-table__caption--{size}">'
        f'{caption}</caption><thead class="govuk-table__head"><tr class="govuk-table__row">{header_cells}</tr></thead>'
        f'<tbody class="govuk-table__body">{"".join(rows)}</tbody></table></div>'
    )
