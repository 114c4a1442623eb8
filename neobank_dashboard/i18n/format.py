"""French and English formats for numbers, money, percentages, counts and dates.

Our own few lines rather than Babel: two languages, and each rule below is one line
of CLDR's (French groups thousands with a narrow no-break space and treats 0 and 1 as
singular; English groups with commas and only 1 is singular).
"""

from __future__ import annotations

from datetime import date

P_VALUE_FLOOR = 0.001  # below it a p-value reads "< 0,001": more digits say nothing


def format_number(value: float, lang: str, decimals: int = 0) -> str:
    """1 234,56 in French (narrow no-break space for thousands), 1,234.56 in English."""
    text = f"{value:,.{decimals}f}"
    if lang == "fr":
        text = text.replace(",", "\u202f").replace(".", ",")
    return text


def format_money(value: float, lang: str, decimals: int = 0) -> str:
    number = format_number(value, lang, decimals)
    return f"{number}\u00a0€" if lang == "fr" else f"€{number}"


def format_quantity(value: float, unit: str, lang: str, decimals: int = 0) -> str:
    """A number with its unit; a unit in euros ("€ / year") takes the money format:
    "31 100 € / an" in French, "€31,100 / year" in English (never "31,100 € / year")."""
    if unit.startswith("€"):
        return format_money(value, lang, decimals) + unit.removeprefix("€")
    if is_singular(value, lang):
        unit = unit.removesuffix("s")  # "1 incident", "0,5 an"; the units are regular plurals
    return f"{format_number(value, lang, decimals)} {unit}"


def format_percent(fraction: float, lang: str, decimals: int = 1) -> str:
    number = format_number(fraction * 100, lang, decimals)
    return f"{number}\u00a0%" if lang == "fr" else f"{number}%"


def format_date(value: date, lang: str) -> str:
    return value.strftime("%d/%m/%Y") if lang == "fr" else value.isoformat()[:10]


def is_singular(count: float, lang: str) -> bool:
    """CLDR's cardinal rule: French '0 client', '1 client', '1,5 an' (below 2);
    English '1 client', '0 clients', '1.5 years' (exactly 1)."""
    return abs(count) < 2 if lang == "fr" else count == 1


def format_count(count: int, lang: str, forms: str) -> str:
    """'5 148 clients', '1 client': ``forms`` is the catalogue's "singular|plural"."""
    singular, _, plural = forms.partition("|")
    return f"{format_number(count, lang)}\u00a0{singular if is_singular(count, lang) else plural or singular}"


def format_ordinal(rank: int, lang: str) -> str:
    """'1er', '2e' in French; '1st', '2nd', '3rd', '11th' in English."""
    if lang == "fr":
        return f"{rank}er" if rank == 1 else f"{rank}e"
    suffix = "th" if rank % 100 in (11, 12, 13) else {1: "st", 2: "nd", 3: "rd"}.get(rank % 10, "th")
    return f"{rank}{suffix}"


def format_p_value(p: float, lang: str) -> str:
    """'< 0,001' for a tiny p-value (never '4.8e-255'), else three decimals."""
    if p < P_VALUE_FLOOR:
        return f"<\u00a0{format_number(P_VALUE_FLOOR, lang, 3)}"
    return format_number(p, lang, 3)
