"""The committed compliance documents are exactly what the generator produces now."""

from __future__ import annotations

import pytest
from sqlmodel import select

from modeling import load_champion
from neobank_dashboard.cli import main
from neobank_dashboard.db.models import RetentionPolicy
from neobank_dashboard.documents import DOCUMENTS, NOTICE, render_all
from neobank_dashboard.services.retention import RULES, ensure_default_policies
from neobank_dashboard.settings import PROJECT_ROOT

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
REGENERATE = "run `.venv/bin/neobank docs generate` and commit docs/"


@pytest.fixture
def policies(db) -> list[RetentionPolicy]:
    ensure_default_policies(db)
    db.flush()
    rows = list(db.exec(select(RetentionPolicy).order_by(RetentionPolicy.id)))
    db.commit()  # SQLite: end the transaction, which holds the write lock (BEGIN IMMEDIATE)
    return rows


def test_committed_docs_match_the_generator(policies):
    for name, text in render_all(policies).items():
        committed = PROJECT_ROOT / "docs" / name
        assert committed.exists(), f"docs/{name} is missing: {REGENERATE}"
        assert committed.read_text(encoding="utf-8") == text, f"docs/{name} drifted: {REGENERATE}"


def test_records_follow_the_policy_table_and_the_purge_rules(db, policies):
    policies[0].duration_days = 400
    records = render_all(policies)["records-of-processing.md"]
    assert "| `security_logs` | Security and access logs | 400 days (400 days) |" in records
    assert all(rule in records for rule in RULES.values())


def test_model_card_comes_from_the_registry(policies, scoring_model_dir, tmp_path):
    card = render_all(policies, scoring_model_dir)["model-card.md"]
    assert card == f"{NOTICE}\n\n{load_champion(scoring_model_dir).model_card.strip()}\n"
    assert "python -m modeling train" in render_all(policies, tmp_path)["model-card.md"]


def test_generate_command_writes_every_document(cli_database, policies, tmp_path):
    assert main(["docs", "generate", "--out", str(tmp_path)]) == 0
    expected = render_all(policies)
    assert set(expected) == set(DOCUMENTS)
    assert {p.name: p.read_text(encoding="utf-8") for p in tmp_path.iterdir()} == expected
