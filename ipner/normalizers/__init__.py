"""Normalisers: figures and dates as written → values as SCHEMA.md defines them."""
from ipner.normalizers.quantity import ParsedQuantity, parse_quantity
from ipner.normalizers.date import ParsedDate, parse_date, parse_reference_date

__all__ = ["ParsedQuantity", "parse_quantity", "ParsedDate", "parse_date", "parse_reference_date"]
