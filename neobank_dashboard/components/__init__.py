"""Presentational pieces: layout, gauge, contribution bars, filters, tables."""
