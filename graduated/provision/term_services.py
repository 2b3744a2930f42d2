"""Recording an LA's school term dates, by which costs count teaching weeks (see terms.py)."""

from collections.abc import Mapping
from datetime import date

from django.db import IntegrityError, transaction

from graduated.audit.models import AuditAction
from graduated.audit.services import Actor, record
from graduated.lib.versioning import StaleEditError, check_version, save_versioned
from graduated.organisations.models import LocalAuthority
from graduated.provision import impact_summaries
from graduated.provision.models import HalfTerm, TermBlock, TermDates
from graduated.provision.terms import year_label


def stored_term_dates(local_authority: LocalAuthority, year_starting: int) -> tuple[TermDates | None, list[TermBlock]]:
    """The LA's term dates for the year and their half terms in order, or (None, []): 1 query, 2 if found."""
    term_dates = TermDates.objects.filter(local_authority=local_authority, year_starting=year_starting).first()
    if term_dates is None:
        return None, []
    return term_dates, list(term_dates.blocks.all())


def _described(blocks: Mapping[str, tuple[date, date]]) -> str:
    return "; ".join(
        f"{HalfTerm(code).label} {first:%-d %b %Y} to {last:%-d %b %Y}" for code, (first, last) in blocks.items()
    )


@transaction.atomic
def save_term_dates(
    *,
    actor: Actor,
    local_authority: LocalAuthority,
    year_starting: int,
    blocks: Mapping[str, tuple[date, date]],
    expected_version: int,
) -> bool:
    """Record, or change, the first and last day of each half term (HalfTerm value -> (first,
    last)) of the LA's year, refusing the whole save when the term dates changed since
    ``expected_version`` was read (0: none were recorded then). Returns whether anything changed.
    The form has checked the dates (in the year, in order, none overlapping)."""
    what = f"Term dates of {local_authority} for {year_label(year_starting)}"
    term_dates, stored = stored_term_dates(local_authority, year_starting)
    if term_dates is None:
        if expected_version:  # they were there when the page was read: someone has removed them since
            raise StaleEditError(TermDates.stale_message)
        try:
            with transaction.atomic():  # a savepoint: another admin may have recorded them a moment ago
                term_dates = TermDates.objects.create(local_authority=local_authority, year_starting=year_starting)
        except IntegrityError as error:
            raise StaleEditError(TermDates.stale_message) from error
        TermBlock.objects.bulk_create(
            TermBlock(term_dates=term_dates, half_term=code, starts_on=first, ends_on=last)
            for code, (first, last) in blocks.items()
        )
        impact_summaries.mark_las_stale([local_authority.pk])  # the weeks its groups are costed by
        record(actor, AuditAction.CREATE, obj=term_dates, description=f"{what} recorded: {_described(blocks)}")
        return True
    by_code = {block.half_term: block for block in stored}
    changed = {
        code: dates
        for code, dates in blocks.items()
        if code not in by_code or (by_code[code].starts_on, by_code[code].ends_on) != dates
    }
    check_version(term_dates, expected_version)
    if not changed:
        return False
    save_versioned(term_dates, expected_version=expected_version)  # refused if someone saved a moment ago
    impact_summaries.mark_las_stale([local_authority.pk])  # the weeks its groups are costed by
    for code, (first, last) in changed.items():
        TermBlock.objects.update_or_create(
            term_dates=term_dates, half_term=code, defaults={"starts_on": first, "ends_on": last}
        )
    record(
        actor, AuditAction.CHANGE, obj=term_dates, changed_fields=changed,
        description=f"{what} changed: {_described(changed)}",
    )  # fmt: skip
    return True
