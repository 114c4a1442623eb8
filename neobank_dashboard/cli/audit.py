"""Check the audit log's hash chains: ``neobank audit verify``.

Exits 0 when the chain is intact, 1 with the id of the first edited, inserted
or deleted row and the reason otherwise.
"""

from __future__ import annotations

import argparse
import sys

from sqlmodel import func, select

from neobank_dashboard.cli.options import actions, command
from neobank_dashboard.db import migrate, session_scope
from neobank_dashboard.db.models import AuditEvent
from neobank_dashboard.services.audit import chain_anchors, chains, verify_chain


def register(commands: argparse._SubParsersAction) -> None:
    parser = command(commands, "audit", "the audit log", doc=__doc__, run=run)
    command(actions(parser), "verify", "check every event of the hash chains")


def run(_args: argparse.Namespace) -> int:
    migrate()  # like every command: a fresh database has an empty, intact log
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
