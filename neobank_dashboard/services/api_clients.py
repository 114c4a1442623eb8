"""Partner applications: client-credential accounts of the scoring API.

The secret is shown once at creation and stored only as an argon2id hash. A
partner application sees only the clients it submitted itself
(``Client.submitted_by`` holds its ``client_id``).
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from sqlmodel import Session, select

from neobank_dashboard.db.models import ApiClient
from neobank_dashboard.services import audit, tokens
from neobank_dashboard.services.passwords import hash_password, verify_password
from neobank_dashboard.services.tokens import PARTNER_SCOPES
from neobank_dashboard.settings import get_settings

DEMO_PARTNER_ID = "demo-partner"
DEMO_PARTNER_NAME = "Demo partner application"
CLIENT_ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{2,63}$")


class ApiClientError(ValueError):
    """A partner application cannot be created as asked (``field`` says which input)."""

    def __init__(self, field: str, reason: str):
        super().__init__(f"{field}: {reason}")
        self.field, self.reason = field, reason


@dataclass(frozen=True)
class PartnerViewer:
    """A partner application as a viewer of the portfolio (see ``clients.visible_to``)."""

    partner_id: str
    id: None = None
    sees_all_clients: bool = False

    @property
    def actor(self) -> str:
        return f"partner:{self.partner_id}"


def parse_scopes(scopes: str | Iterable[str]) -> frozenset[str]:
    """A partner's scopes, separated by commas or spaces; unknown scopes are refused."""
    try:
        wanted = tokens.parse_scopes(scopes, PARTNER_SCOPES)
    except tokens.ScopeError as error:
        raise ApiClientError("scopes", str(error)) from None
    if not wanted:
        raise ApiClientError("scopes", "at least one scope is required")
    return wanted


def _new_client_id(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:40] or "app"
    return f"{slug}-{secrets.token_hex(4)}"


def create_api_client(
    session: Session,
    *,
    name: str,
    scopes: str | Iterable[str],
    actor: str = "system",
    client_id: str | None = None,
    secret: str | None = None,
) -> tuple[ApiClient, str]:
    """Register a partner application; return it and its secret (shown once, never stored)."""
    name = name.strip()
    if not name or len(name) > 120:
        raise ApiClientError("name", "must be 1 to 120 characters")
    granted = parse_scopes(scopes)
    client_id = client_id or _new_client_id(name)
    if not CLIENT_ID_PATTERN.match(client_id):
        raise ApiClientError("client_id", "must be 3-64 lowercase letters, digits or dashes")
    if session.exec(select(ApiClient).where(ApiClient.client_id == client_id)).first():
        raise ApiClientError("client_id", "already exists")
    secret = secret or secrets.token_urlsafe(32)
    app = ApiClient(
        client_id=client_id, name=name, secret_hash=hash_password(secret), scopes=" ".join(sorted(granted))
    )
    session.add(app)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="api_client_created",
        object_type="api_client",
        object_id=client_id,
        details={"scopes": sorted(granted)},
    )
    return app, secret


def authenticate_client(
    session: Session, client_id: str, secret: str, *, request_id: str | None = None
) -> ApiClient | None:
    """The active application with these credentials, or None. Every failure is audited;
    an unknown id costs the same time as a wrong secret."""
    app = session.exec(select(ApiClient).where(ApiClient.client_id == client_id)).first()
    if app is None or not app.active:
        verify_password(secret, None)
        reason = "unknown_or_inactive"
    elif not verify_password(secret, app.secret_hash):
        reason = "wrong_secret"
    else:
        return app
    audit.record(
        session,
        actor="anonymous",
        action="token",
        object_type="api_client",
        object_id=client_id[:64] if app else None,
        outcome="failure",
        request_id=request_id,
        details={"reason": reason, "grant": "client_credentials"},
    )
    return None


def granted_scopes(app: ApiClient) -> frozenset[str]:
    return frozenset(app.scopes.split()) & PARTNER_SCOPES


def active_partner(session: Session, client_id: str) -> ApiClient | None:
    return session.exec(select(ApiClient).where(ApiClient.client_id == client_id, ApiClient.active)).first()


def deactivate_api_client(session: Session, client_id: str, *, actor: str = "system") -> bool:
    app = session.exec(select(ApiClient).where(ApiClient.client_id == client_id)).first()
    if app is None:
        return False
    app.active = False
    session.add(app)
    audit.record(
        session, actor=actor, action="api_client_deactivated", object_type="api_client", object_id=client_id
    )
    return True


def list_api_clients(session: Session) -> list[ApiClient]:
    return list(session.exec(select(ApiClient).order_by(ApiClient.client_id)).all())


def ensure_demo_partner(session: Session) -> ApiClient:
    """The development partner application (``demo-partner``, secret from settings)."""
    existing = session.exec(select(ApiClient).where(ApiClient.client_id == DEMO_PARTNER_ID)).first()
    if existing is not None:
        return existing
    app, _ = create_api_client(
        session,
        name=DEMO_PARTNER_NAME,
        scopes=PARTNER_SCOPES,
        client_id=DEMO_PARTNER_ID,
        secret=get_settings().demo_partner_secret,
    )
    return app
