"""``{{ amount|money }}``: £1,234.50, written as the costed provision map writes amounts."""

from decimal import Decimal

from django import template

from graduated.provision.costs import money as write_money

register = template.Library()


@register.filter
def money(amount: Decimal | str | None) -> str:
    return "" if amount is None or amount == "" else write_money(Decimal(amount))
