"""Seed the demo portfolio: ``python -m neobank_dashboard.seed --clients N``.

Development mode only. ``--if-empty`` (used by ``make run``) does nothing when
clients already exist, so a second start reuses the data.
"""

from __future__ import annotations

import argparse
import sys

from neobank_dashboard.db import migrate, session_scope
from neobank_dashboard.services.demo import DemoDisabledError, portfolio_size, seed_portfolio
from neobank_dashboard.services.retention_policies import ensure_default_policies


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m neobank_dashboard.seed", description=__doc__)
    parser.add_argument("--clients", type=int, default=10_000, help="number of clients (10000)")
    parser.add_argument("--seed", type=int, default=2026, help="random seed")
    parser.add_argument("--if-empty", action="store_true", help="skip when clients exist")
    args = parser.parse_args(argv)
    if args.clients < 0:
        parser.error("--clients must be zero or more")
    migrate()
    with session_scope() as session:
        ensure_default_policies(session)
        existing = portfolio_size(session)
        if args.if_empty and existing:
            print(f"Demo portfolio already present ({existing} clients): nothing to do.")
            return 0
        try:
            created = seed_portfolio(session, args.clients, seed=args.seed)
        except DemoDisabledError as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
    print(f"Seeded {created} pseudonymous demo clients and the demo accounts.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
