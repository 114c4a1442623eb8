"""Compliance documents: ``neobank docs generate [--out docs] [--model-dir DIR]``.

Reads the retention policies from the configured database (migrated, defaults
inserted where missing) and, with ``--model-dir``, the champion of that model
registry. Without it the model card says no model is registered: that is the
committed version, since no registry is committed with the source.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from sqlmodel import col, select

from neobank_dashboard.cli.options import actions, command
from neobank_dashboard.db import migrate, session_scope
from neobank_dashboard.db.models import RetentionPolicy
from neobank_dashboard.services.retention import ensure_default_policies
from neobank_dashboard.settings import PROJECT_ROOT


def register(commands: argparse._SubParsersAction) -> None:
    parser = command(commands, "docs", "the generated compliance documents", doc=__doc__, run=run)
    generate = command(actions(parser), "generate", "write the generated documents")
    generate.add_argument(
        "--out",
        type=Path,
        default=PROJECT_ROOT / "docs",
        help="folder to write to (default: the repository's docs/)",
    )
    generate.add_argument("--model-dir", type=Path, help="model registry of the model card")


def run(args: argparse.Namespace) -> int:
    # The generator imports the modelling stack: only this command pays for it.
    from neobank_dashboard.documents import render_all

    migrate()
    with session_scope() as session:
        ensure_default_policies(session)
        session.flush()
        policies = session.exec(select(RetentionPolicy).order_by(col(RetentionPolicy.id))).all()
        documents = render_all(policies, args.model_dir)
    args.out.mkdir(parents=True, exist_ok=True)
    for name, text in documents.items():
        (args.out / name).write_text(text, encoding="utf-8")
        print(f"wrote {args.out / name}")
    return 0
