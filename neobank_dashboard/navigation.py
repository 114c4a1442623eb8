"""The app's two anchor routes, and where the login sends an advisor back to: the page
they asked for, if it is ours.

Pure, below the states and the API, which both use it (the guard, the login page and
the login form's route). Only a same-origin relative
path is followed; anything else (``//evil.example``, ``http://…``, backslashes, which
browsers read as slashes, control characters) falls back to the home page: no open
redirect through ``/login?next=``.
"""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

LOGIN_ROUTE = "/login"
HOME_ROUTE = "/clients"
NEXT_PARAMETER = "next"


def safe_next(target: str | None, home: str, login: str) -> str:
    """``target`` if it is a path of this site other than the login page, else ``home``."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return home
    if "\\" in target or any(ord(char) < 0x20 or ord(char) == 0x7F for char in target):
        return home
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or parts.path in ("/", login):
        return home
    return target


def login_url(login: str, path: str, query: str = "") -> str:
    """The login page, remembering ``path?query`` as where to go once signed in."""
    target = f"{path}?{query}" if query else path
    if not path or path in ("/", login):
        return login
    return f"{login}?{urlencode({NEXT_PARAMETER: target})}"
