"""Errors a user causes with a file or an argument; messages are one line.

Kept free of heavy imports so the command line can report them quickly.
"""


class DataError(ValueError):
    """A data file or frame that cannot be used."""


class CandidateError(ValueError):
    """A list of candidate models that cannot be used."""
