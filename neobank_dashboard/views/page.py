"""The page decorator: route, translated title, on_load and the layout, in one place.

As Reflex's own templates do (reflex-dev/templates, dashboard ``templates/template.py``):
``rx.page`` registers the page, and ``rx.App`` adds every registered page when it compiles.
"""

from __future__ import annotations

from collections.abc import Callable

import reflex as rx

from neobank_dashboard.state.session import SessionState
from neobank_dashboard.views.layout import app_shell, document

T = SessionState.t


def page(route: str, title_key: str, on_load=None, *, shell: bool = True) -> Callable:
    """Register ``content`` at ``route``; ``shell=False`` for pages outside the signed-in
    layout (login). The title follows the advisor's language: "Clients | Éligibilité crédit"."""

    def decorator(content: Callable[[], rx.Component]) -> Callable[[], rx.Component]:
        def render() -> rx.Component:
            return document(app_shell(content()) if shell else content())

        title = T["app.name"] if title_key == "app.name" else T[title_key] + " | " + T["app.name"]
        rx.page(route=route, title=title, on_load=on_load)(render)
        return content

    return decorator
