"""French and English formats for numbers, money, percentages and dates."""

from __future__ import annotations

from datetime import date


def format_number(value: float, lang: str, decimals: int = 0) -> str:
    """1 234,56 in French (narrow no-break space for thousands), 1,234.56 in English."""
    text = f"{value:,.{decimals}f}"
    if lang == "fr":
        text = text.replace(",", "\u202f").replace(".", ",")
    return text


def format_money(value: float, lang: str, decimals: int = 0) -> str:
    number = format_number(value, lang, decimals)
    return f"{number}\u00a0€" if lang == "fr" else f"€{number}"


def format_percent(fraction: float, lang: str, decimals: int = 1) -> str:
    number = format_number(fraction * 100, lang, decimals)
    return f"{number}\u00a0%" if lang == "fr" else f"{number}%"


def format_date(value: date, lang: str) -> str:
    return value.strftime("%d/%m/%Y") if lang == "fr" else value.isoformat()[:10]
