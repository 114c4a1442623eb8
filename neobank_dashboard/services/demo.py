"""The demo portfolio and demo accounts (development mode only)."""

from __future__ import annotations

import functools
import math
import uuid
from collections.abc import Callable, Iterator
from datetime import date

import numpy as np
import sqlalchemy as sa
from sqlmodel import Session, func, select

from modeling.features import FEATURE_NAMES
from modeling.synthetic import generate_portfolio
from neobank_dashboard.db.bulk import bulk_insert, compute_ahead
from neobank_dashboard.db.models import Advisor, Client, ClientStatus, Role, id_of, table_of
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
SEED_BATCH = 10_000


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
            advisor = create_advisor(
                session, email=email, full_name=name, password=settings.demo_password, role=role
            )
        advisors.append(advisor)
    return advisors


def client_batch(
    index: int, n_clients: int, advisor_ids: list[int], seed: int, today: date, batch_size: int = SEED_BATCH
) -> list[dict]:
    """Batch ``index`` of a synthetic portfolio of ``n_clients``, as table rows,
    assigned round-robin to the given advisors.

    Generated from ``(seed, index)`` alone, so memory stays flat and the same
    arguments always give the same clients (ids and features; the as-of dates
    follow ``today``).
    """
    start = index * batch_size
    size = min(batch_size, n_clients - start)
    batch_seed = int(np.random.SeedSequence([seed, index]).generate_state(1)[0])
    portfolio = generate_portfolio(size, seed=batch_seed, as_of=today)
    as_of_columns = [f"{name}_as_of" for name in FEATURE_NAMES]
    columns = {name: portfolio[name].tolist() for name in (*FEATURE_NAMES, *as_of_columns)}
    columns["id"] = [uuid.UUID(text) for text in portfolio["client_id"].tolist()]
    columns["oldest_as_of"] = list(map(min, *(columns[c] for c in as_of_columns)))
    columns["advisor_id"] = [advisor_ids[(start + i) % len(advisor_ids)] for i in range(size)]
    names = list(columns)
    return [dict(zip(names, values)) for values in zip(*columns.values())]


def client_batches(
    n_clients: int, advisor_ids: list[int], seed: int, today: date, batch_size: int = SEED_BATCH
) -> Iterator[list[dict]]:
    """Every :func:`client_batch` of the portfolio, in order."""
    for index in range(math.ceil(n_clients / batch_size)):
        yield client_batch(index, n_clients, advisor_ids, seed, today, batch_size)


def client_rows(n_clients: int, advisor_ids: list[int], seed: int, today: date) -> Iterator[dict]:
    """The rows of :func:`client_batches`, one at a time."""
    for batch in client_batches(n_clients, advisor_ids, seed, today):
        yield from batch


def seed_portfolio(
    session: Session,
    n_clients: int,
    *,
    seed: int = 2026,
    today: date | None = None,
    batch_size: int = SEED_BATCH,
    on_progress: Callable[[int], None] | None = None,
) -> int:
    """Create the demo accounts, the demo partner application and ``n_clients``
    pseudonymous clients spread over the advisors.

    One transaction per batch of ``batch_size`` clients, written in bulk (no
    ORM objects) while the next batch is generated. Clients already present
    are skipped: a run interrupted half-way is completed by the same command,
    and a repeated one adds nothing. ``on_progress`` gets the number of
    clients done (added or present) after each batch. Returns the number of
    clients added.
    """
    advisors = ensure_demo_accounts(session)
    ensure_demo_partner(session)
    advisor_ids = [id_of(a) for a in advisors if a.role == Role.advisor]
    session.commit()
    table = table_of(Client)
    # Only a database that already has clients can hold some of these batches.
    resuming = session.execute(sa.select(table.c.id).limit(1)).first() is not None
    added = done = 0
    try:
        batch_of = functools.partial(
            client_batch,
            n_clients=n_clients,
            advisor_ids=advisor_ids,
            seed=seed,
            today=today or date.today(),
            batch_size=batch_size,
        )
        for batch in compute_ahead(batch_of, range(math.ceil(n_clients / batch_size))):
            present = set()
            if resuming:
                present = set(
                    session.execute(
                        sa.select(table.c.id).where(table.c.id.in_([row["id"] for row in batch]))
                    ).scalars()
                )
            now = utcnow()
            rows = [
                row
                | {
                    "status": ClientStatus.active.value,
                    "objection": False,
                    "created_at": now,
                    "updated_at": now,
                }
                for row in batch
                if row["id"] not in present
            ]
            bulk_insert(session, table, rows)
            session.commit()
            added, done = added + len(rows), done + len(batch)
            if on_progress:
                on_progress(done)
    except BaseException:
        session.rollback()  # the batch in progress only: the others are committed
        raise
    if added:  # fresh planner statistics after a bulk load, before the portfolio is queried
        session.execute(sa.text(f"ANALYZE {table.name}"))
        session.commit()
    return added


def portfolio_size(session: Session) -> int:
    return session.exec(select(func.count()).select_from(Client)).one()
