"""Reflex configuration. Values come from neobank_dashboard.settings (one source)."""

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
