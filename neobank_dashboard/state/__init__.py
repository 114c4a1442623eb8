"""Reflex states: thin, page-sized, authorisation checked in every handler."""
