"""The Reflex app: pages, the mounted API, start-up checks."""

from __future__ import annotations

import reflex as rx

from neobank_dashboard.api.lifespan import scoring_lifespan
from neobank_dashboard.api.main import app as api
from neobank_dashboard.pages.admin import admin_page
from neobank_dashboard.pages.client import client_page
from neobank_dashboard.pages.clients import clients_page
from neobank_dashboard.pages.login import login_page
from neobank_dashboard.pages.model import model_page
from neobank_dashboard.pages.rgpd import rgpd_page
from neobank_dashboard.services.retention import retention_daily_task
from neobank_dashboard.settings import get_settings
from neobank_dashboard.state.admin import AdminState
from neobank_dashboard.state.client import ClientState
from neobank_dashboard.state.clients import ClientsState
from neobank_dashboard.state.login import LoginState
from neobank_dashboard.state.model import ModelState
from neobank_dashboard.state.rgpd import RgpdState

get_settings().check_safe_for_environment()

app = rx.App(api_transformer=api)
# Load and verify the champion model once per process (in a thread), then score the
# clients that have no score yet in the background: the same start-up as the standalone API.
app.register_lifespan_task(scoring_lifespan)
# Apply the retention periods every night inside the running app.
app.register_lifespan_task(retention_daily_task)
app.add_page(login_page, route="/login", title="Connexion | Éligibilité crédit",
             on_load=LoginState.redirect_if_logged_in)
app.add_page(login_page, route="/", title="Éligibilité crédit",
             on_load=LoginState.redirect_if_logged_in)
app.add_page(clients_page, route="/clients", title="Clients | Éligibilité crédit",
             on_load=ClientsState.load)
app.add_page(client_page, route="/clients/[client_id]", title="Client | Éligibilité crédit",
             on_load=ClientState.load)
app.add_page(model_page, route="/model", title="Modèle | Éligibilité crédit",
             on_load=ModelState.load)
app.add_page(rgpd_page, route="/rgpd", title="RGPD | Éligibilité crédit", on_load=RgpdState.load)
app.add_page(admin_page, route="/admin", title="Administration | Éligibilité crédit",
             on_load=AdminState.load)
