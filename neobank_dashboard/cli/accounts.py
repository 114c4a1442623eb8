"""Staff accounts from the command line, for the first admin of a production database.

``neobank accounts create --email admin@bank.example --name "Jeanne Admin"
--role admin`` asks for the password twice (or reads it
from ``NEOBANK_NEW_PASSWORD`` for automation); only its argon2 hash is stored.
``list`` shows the accounts. Later accounts are managed on the /admin page.
Every change is audited with the actor ``cli``.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from dataclasses import dataclass

from neobank_dashboard.cli.options import actions, command, fail
from neobank_dashboard.db import migrate, session_scope
from neobank_dashboard.db.models import Role
from neobank_dashboard.services.advisors import AccountError, add_advisor, list_advisors
from neobank_dashboard.services.auth import CurrentAdvisor

PASSWORD_ENV = "NEOBANK_NEW_PASSWORD"


@dataclass(frozen=True)
class _Operator(CurrentAdvisor):
    """Whoever runs this command on the server: as trusted as an admin, audited as ``cli``."""

    @property
    def actor(self) -> str:
        return "cli"


OPERATOR = _Operator(0, "cli", "command line", Role.admin)


def _password() -> str:
    if password := os.environ.get(PASSWORD_ENV):
        return password
    if not sys.stdin.isatty():
        raise AccountError("password", f"no terminal to ask it: set {PASSWORD_ENV}")
    first = getpass.getpass("Password: ")
    if first != getpass.getpass("Password again: "):
        raise AccountError("password", "the two entries differ")
    return first


def register(commands: argparse._SubParsersAction) -> None:
    parser = command(commands, "accounts", "staff accounts", doc=__doc__, run=run)
    verbs = actions(parser)
    create = command(verbs, "create", "create a staff account")
    create.add_argument("--email", required=True)
    create.add_argument("--name", required=True, help="full name")
    create.add_argument("--role", required=True, choices=[r.value for r in Role])
    command(verbs, "list", "list the staff accounts")


def run(args: argparse.Namespace) -> int:
    migrate()
    try:
        with session_scope() as session:
            if args.action == "create":
                advisor = add_advisor(
                    session,
                    OPERATOR,
                    email=args.email,
                    full_name=args.name,
                    password=_password(),
                    role=args.role,
                )
                print(f"Created {advisor.role} account {advisor.email} (id {advisor.id}).")
            else:
                for advisor in list_advisors(session, OPERATOR):
                    state = "active" if advisor.active else "inactive"
                    print(f"{advisor.id}\t{advisor.role}\t{state}\t{advisor.email}")
    except AccountError as error:
        reason = error.reason if " " in error.reason else error.reason.replace("_", " ")
        return fail(f"{error.field}: {reason}")
    return 0
