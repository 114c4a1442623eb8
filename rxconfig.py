"""Reflex configuration. Values come from neobank_dashboard.settings (one source)."""

import logging

import reflex as rx
from reflex.plugins.sitemap import SitemapPlugin

from neobank_dashboard.components.style import THEME
from neobank_dashboard.dev_server import DevServerHost
from neobank_dashboard.settings import get_settings

settings = get_settings()

config = rx.Config(
    app_name="neobank_dashboard",
    db_url=settings.database_url,
    redis_url=settings.redis_url,
    cors_allowed_origins=settings.cors_origins,
    # Loopback unless NEOBANK_HOST says otherwise: the backend here, the Vite dev server
    # (pages in development) through the plugin.
    backend_host=settings.host,
    telemetry_enabled=False,
    show_built_with_reflex=False,
    disable_plugins=[SitemapPlugin],
    plugins=[rx.plugins.RadixThemesPlugin(theme=THEME), DevServerHost(settings.host)],
)


class WithoutNextStepHint(logging.Filter):
    """``reflex run`` initialises the web folder on a first start, then logs "Initialized
    neobank_dashboard. Run `uv run reflex run` to start the app." while it is starting it:
    the hint is dropped, the rest of the message kept. (Reflex has no setting for it.)"""

    HINT = " Run `uv run reflex run` to start the app."

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str) and self.HINT in record.msg:
            record.msg = record.msg.replace(self.HINT, "")
        return True


_reflex_cli = logging.getLogger("reflex.reflex")
if not any(isinstance(f, WithoutNextStepHint) for f in _reflex_cli.filters):
    _reflex_cli.addFilter(WithoutNextStepHint())
