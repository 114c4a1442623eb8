"""Check the audit log's hash chain: ``python -m neobank_dashboard.audit verify``.

Exits 0 when the chain is intact, 1 with the id of the first edited, inserted
or deleted row and the reason otherwise.
"""

from __future__ import annotations

import argparse
import sys

from sqlmodel import func, select

from neobank_dashboard.db import session_scope
from neobank_dashboard.db.models import AuditEvent
from neobank_dashboard.services.audit import chain_anchors, chains, verify_chain


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m neobank_dashboard.audit",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("verify", help="check every event of the hash chain")
    parser.parse_args(argv)
    with session_scope() as session:
        broken = verify_chain(session)
        events = session.exec(select(func.count()).select_from(AuditEvent)).one()
        chain_count = len(chains(session))
        anchored = bool(chain_anchors(session))
    if broken:
        event_id, reason = broken
        print(f"audit chain BROKEN at event {event_id}: {reason}", file=sys.stderr)
        return 1
    start = "the anchors left by the last retention purge" if anchored else "genesis"
    print(
        f"audit chain intact: {events} events in {chain_count} "
        f"chain{'s' if chain_count != 1 else ''}, from {start}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
