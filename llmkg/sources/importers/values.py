"""Catalogue cells → RDF values, each refusing what could be read two ways.

Each parser raises ValueError with the reason a value is left out; the
importers report it with the value's line and field.
"""
from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from rdflib import XSD, Literal

# ASCII digits only: int() reads fullwidth digits (２０２４), and "２０２４-０１" is no xsd:gYearMonth
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$",
                   re.ASCII)
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE]\+?\d+)?$", re.ASCII)
#: no model has 10^16 parameters; a larger count is a mistake, and 1e999999999 would take hours to write out
MAX_COUNT_DIGITS = 16
_NOT_A_DATE = "not a date as YYYY, YYYY-MM or YYYY-MM-DD"


def parse_date(text: str) -> Literal:
    """'2023', '2023-03', '2023-03-14' (a time after the day is ignored) → literal at that precision."""
    m = _DATE.match(text.strip())
    year, month, day = m.groups() if m else (None, None, None)
    if not m or (day is None and re.search(r"[T ]", text.strip())):  # a time needs a day before it
        raise ValueError(_NOT_A_DATE)
    try:
        if day:
            return Literal(date(int(year), int(month), int(day)).isoformat(), datatype=XSD.date)
        if month:
            date(int(year), int(month), 1)
            return Literal(f"{year}-{month}", datatype=XSD.gYearMonth)
    except ValueError:
        raise ValueError("no such day or month") from None
    return Literal(year, datatype=XSD.gYear)


def parse_count(text: str) -> int:
    """An unambiguous positive whole number: '175000000000', '1.75e11', '175000000000.0'.

    Suffixes ('175B'), thousands separators and decimal commas are refused: each
    is read differently by different people.
    """
    t = text.strip()
    if not _NUMBER.match(t):
        raise ValueError("not a plain number (write 175000000000 or 1.75e11; suffixes such as B or M are not read)")
    try:
        value = Decimal(t)
    except InvalidOperation:
        raise ValueError("not a number") from None
    if value.adjusted() >= MAX_COUNT_DIGITS:
        raise ValueError(f"{MAX_COUNT_DIGITS} digits or more: far more than any model has; check the value")
    if value != value.to_integral_value():
        raise ValueError("not a whole number")
    if value <= 0:
        raise ValueError("not a positive number")
    return int(value)


def split_cell(cell: str) -> list[str]:
    """A comma-separated cell → its non-empty parts."""
    return [p.strip() for p in cell.split(",") if p.strip()]


def strings(value, name: str) -> list[str]:
    """A field that may be one string or a list of strings → its non-blank strings."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value.strip() else []
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return [v for v in value if v.strip()]
    raise ValueError(f"{name} is not a string or a list of strings")
