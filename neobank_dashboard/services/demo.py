"""The demo portfolio and demo accounts (development mode only)."""

from __future__ import annotations

import itertools
import uuid
from datetime import date

import sqlalchemy as sa
from sqlmodel import Session, func, select

from modeling.features import FEATURE_NAMES
from modeling.synthetic import generate_portfolio
from neobank_dashboard.db.models import Advisor, Client, Role
from neobank_dashboard.db.types import utcnow
from neobank_dashboard.services.api_clients import ensure_demo_partner
from neobank_dashboard.services.auth import create_advisor
from neobank_dashboard.settings import get_settings

DEMO_ACCOUNTS: tuple[tuple[str, str, Role], ...] = (
    ("advisor@example.com", "Camille Durand", Role.advisor),
    ("advisor2@example.com", "Julien Moreau", Role.advisor),
    ("supervisor@example.com", "Sophie Lambert", Role.supervisor),
    ("admin@example.com", "Nadia Benali", Role.admin),
)
INSERT_BATCH = 10_000


class DemoDisabledError(RuntimeError):
    """Demo data was requested where it must not exist (production settings)."""


def ensure_demo_accounts(session: Session) -> list[Advisor]:
    settings = get_settings()
    if not settings.demo_accounts:
        raise DemoDisabledError("demo accounts exist in development mode only")
    advisors = []
    for email, name, role in DEMO_ACCOUNTS:
        advisor = session.exec(select(Advisor).where(Advisor.email == email)).first()
        if advisor is None:
            advisor = create_advisor(session, email=email, full_name=name,
                                     password=settings.demo_password, role=role)
        advisors.append(advisor)
    return advisors


def client_rows(n_clients: int, advisor_ids: list[int], seed: int, today: date):
    """Synthetic clients as table rows, assigned round-robin to the given advisors."""
    portfolio = generate_portfolio(n_clients, seed=seed, as_of=today)
    owners = itertools.cycle(advisor_ids)
    as_of_columns = [f"{name}_as_of" for name in FEATURE_NAMES]
    oldest = portfolio[as_of_columns].min(axis=1)
    for index, record in enumerate(portfolio.to_dict("records")):
        row = {name: record[name] for name in FEATURE_NAMES}
        row.update({column: record[column] for column in as_of_columns})
        row["id"] = record["client_id"]
        row["oldest_as_of"] = oldest.iloc[index]
        row["advisor_id"] = next(owners)
        yield row


def seed_portfolio(session: Session, n_clients: int, *, seed: int = 2026,
                   today: date | None = None) -> int:
    """Create demo accounts, the demo partner application and ``n_clients``
    pseudonymous clients spread over the advisors."""
    advisors = ensure_demo_accounts(session)
    ensure_demo_partner(session)
    advisor_ids = [a.id for a in advisors if a.role == Role.advisor]
    today = today or date.today()
    rows = client_rows(n_clients, advisor_ids, seed, today)
    table = Client.__table__
    while batch := list(itertools.islice(rows, INSERT_BATCH)):
        session.execute(sa.insert(table), [_defaults(row) for row in batch])
    return n_clients


def _defaults(row: dict) -> dict:
    now = utcnow()
    row["id"] = uuid.UUID(str(row["id"]))
    return row | {"status": "active", "objection": False, "created_at": now, "updated_at": now}


def portfolio_size(session: Session) -> int:
    return session.exec(select(func.count()).select_from(Client)).one()
