"""Partner applications of the scoring API, from the command line.

``neobank api-clients create --name "Broker X" --scopes score:write,clients:read``
prints the new client id and its secret, once: only a hash is stored. ``list`` shows the applications;
``deactivate --client-id ID`` revokes one (its tokens stop working within
seconds).
"""

from __future__ import annotations

import argparse

from neobank_dashboard.cli.options import actions, command, fail
from neobank_dashboard.db import migrate, session_scope
from neobank_dashboard.services.api_clients import (
    ApiClientError,
    create_api_client,
    deactivate_api_client,
    list_api_clients,
)


def register(commands: argparse._SubParsersAction) -> None:
    parser = command(commands, "api-clients", "partner applications of the scoring API", doc=__doc__, run=run)
    verbs = actions(parser)
    create = command(verbs, "create", "register a partner application")
    create.add_argument("--name", required=True)
    create.add_argument("--scopes", required=True, help="commas or spaces: score:write,clients:read")
    create.add_argument("--client-id", help="explicit id (default: derived from the name)")
    command(verbs, "list", "list the partner applications")
    deactivate = command(verbs, "deactivate", "revoke a partner application")
    deactivate.add_argument("--client-id", required=True)


def run(args: argparse.Namespace) -> int:
    migrate()
    with session_scope() as session:
        if args.action == "create":
            try:
                app, secret = create_api_client(
                    session, name=args.name, scopes=args.scopes, client_id=args.client_id, actor="cli"
                )
            except ApiClientError as error:
                return fail(str(error))
            print(f"client_id:     {app.client_id}")
            print(f"client_secret: {secret}")
            print(f"scopes:        {app.scopes}")
            print("The secret is shown once and stored only as a hash: keep it safe now.")
        elif args.action == "list":
            for app in list_api_clients(session):
                state = "active" if app.active else "inactive"
                print(f"{app.client_id}\t{state}\t{app.scopes}\t{app.name}")
        elif not deactivate_api_client(session, args.client_id, actor="cli"):
            return fail(f"no partner application {args.client_id!r}")
        else:
            print(f"{args.client_id} deactivated.")
    return 0
