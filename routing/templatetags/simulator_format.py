"""Number formatting for the simulator and the routing plan."""

from decimal import Decimal, InvalidOperation

from django import template

register = template.Library()


def _decimal(value) -> Decimal | None:
    try:
        return Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        return None


@register.filter
def percent(value) -> str:
    """0.834 -> '83%'."""
    number = _decimal(value)
    return "" if number is None else f"{number * 100:.0f}%"


@register.filter
def money(value) -> str:
    """Whole units from 100 up (12,345), cents below (12.34)."""
    number = _decimal(value)
    if number is None:
        return ""
    return f"{number:,.0f}" if abs(number) >= 100 else f"{number:,.2f}"


@register.filter
def money4(value) -> str:
    """A per-request price: 0.0020."""
    number = _decimal(value)
    return "" if number is None else f"{number:,.4f}"


@register.filter
def money_count(value) -> str:
    """1000000 -> '1,000,000'."""
    number = _decimal(value)
    return "" if number is None else f"{number:,.0f}"


@register.filter
def money_range(value) -> str:
    """A CostRange: '200–400', or one figure when both ends agree."""
    low, high = money(getattr(value, "low", None)), money(getattr(value, "high", None))
    return low if low == high else f"{low}–{high}"
