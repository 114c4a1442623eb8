"""Partner applications of the scoring API, from the command line.

``python -m neobank_dashboard.api_clients create --name "Broker X"
--scopes score:write,clients:read`` prints the new client id and its secret,
once: only a hash is stored. ``list`` shows the applications;
``deactivate --client-id ID`` revokes one (its tokens stop working within
seconds).
"""

from __future__ import annotations

import argparse
import sys

from neobank_dashboard.db import migrate, session_scope
from neobank_dashboard.services.api_clients import (
    ApiClientError,
    create_api_client,
    deactivate_api_client,
    list_api_clients,
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m neobank_dashboard.api_clients",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True)
    create = commands.add_parser("create", help="register a partner application")
    create.add_argument("--name", required=True)
    create.add_argument("--scopes", required=True, help="comma-separated: score:write,clients:read")
    create.add_argument("--client-id", help="explicit id (default: derived from the name)")
    commands.add_parser("list", help="list the partner applications")
    deactivate = commands.add_parser("deactivate", help="revoke a partner application")
    deactivate.add_argument("--client-id", required=True)
    args = parser.parse_args(argv)
    migrate()
    with session_scope() as session:
        if args.command == "create":
            try:
                app, secret = create_api_client(
                    session, name=args.name, scopes=args.scopes, client_id=args.client_id, actor="cli"
                )
            except ApiClientError as error:
                print(f"error: {error}", file=sys.stderr)
                return 2
            print(f"client_id:     {app.client_id}")
            print(f"client_secret: {secret}")
            print(f"scopes:        {app.scopes}")
            print("The secret is shown once and stored only as a hash: keep it safe now.")
        elif args.command == "list":
            for app in list_api_clients(session):
                state = "active" if app.active else "inactive"
                print(f"{app.client_id}\t{state}\t{app.scopes}\t{app.name}")
        elif not deactivate_api_client(session, args.client_id, actor="cli"):
            print(f"error: no partner application {args.client_id!r}", file=sys.stderr)
            return 2
        else:
            print(f"{args.client_id} deactivated.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
