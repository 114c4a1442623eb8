"""Seed the demo portfolio: ``python -m neobank_dashboard.seed --clients N``.

Development mode only. ``--if-empty`` (used by ``make run``) does nothing when
clients already exist, so a second start reuses the data. When a champion
model is registered, the new clients are scored at once (vectorised batches);
otherwise the app scores them at start-up. ``--rescore`` seeds nothing and
rescores the whole portfolio with the current champion.
"""

from __future__ import annotations

import argparse
import sys

from neobank_dashboard.db import migrate, session_scope
from neobank_dashboard.services.demo import (
    DemoDisabledError,
    ensure_demo_accounts,
    ensure_demo_partner,
    portfolio_size,
    seed_portfolio,
)
from neobank_dashboard.services.retention_policies import ensure_default_policies
from neobank_dashboard.settings import get_settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m neobank_dashboard.seed", description=__doc__)
    parser.add_argument("--clients", type=int, default=10_000, help="number of clients (10000)")
    parser.add_argument("--seed", type=int, default=2026, help="random seed")
    parser.add_argument("--if-empty", action="store_true", help="skip when clients exist")
    parser.add_argument("--rescore", action="store_true",
                        help="seed nothing; rescore every client with the champion model")
    args = parser.parse_args(argv)
    if args.clients < 0:
        parser.error("--clients must be zero or more")
    migrate()
    if args.rescore:
        return _score(only_unscored=False)
    with session_scope() as session:
        ensure_default_policies(session)
        existing = portfolio_size(session)
        if args.if_empty and existing:
            if get_settings().demo_accounts:  # accounts added since the first seed
                ensure_demo_accounts(session)
                ensure_demo_partner(session)
            print(f"Demo portfolio already present ({existing} clients): nothing to seed.")
            return 0
        try:
            created = seed_portfolio(session, args.clients, seed=args.seed)
        except DemoDisabledError as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
    print(f"Seeded {created} pseudonymous demo clients and the demo accounts.")
    return _score(only_unscored=True)


def _score(*, only_unscored: bool) -> int:
    """Score the portfolio with the registered champion, if there is one."""
    from neobank_dashboard.services.scoring import get_service, rescore_all

    model = get_service().load()
    if model is None:
        print("No valid champion model registered yet: the app scores the clients at start-up.")
        return 0 if only_unscored else 1
    with session_scope() as session:
        scored = rescore_all(session, model, only_unscored=only_unscored)
    print(f"Scored {scored} clients with model {model.version[:12]} ({model.name}).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
