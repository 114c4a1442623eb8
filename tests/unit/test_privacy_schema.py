"""Privacy by design: no direct identifiers in the schema, no secrets or features in logs."""

from __future__ import annotations

import hashlib
import logging
import re

import pytest
from sqlmodel import SQLModel

from modeling.features import FEATURE_NAMES
from neobank_dashboard.db.models import Role
from neobank_dashboard.services import auth, retention, rgpd, scoring
from neobank_dashboard.services.audit import verify_chain
from neobank_dashboard.services.retention import DEFAULT_POLICIES, ensure_default_policies
from tests.support.factories import TODAY, make_client

IDENTIFIER_WORDS = {
    "name",
    "firstname",
    "lastname",
    "surname",
    "email",
    "mail",
    "phone",
    "telephone",
    "mobile",
    "address",
    "street",
    "city",
    "postcode",
    "zip",
    "iban",
    "bic",
    "account",
    "national",
    "nir",
    "ssn",
    "passport",
    "birth",
    "birthdate",
}
STAFF_AND_PARTNERS = {
    ("advisor", "email"): "staff login: advisors are staff, not the data subjects scored",
    ("advisor", "full_name"): "staff name shown on the decisions they sign",
    ("apiclient", "name"): "name of a partner application, not of a person",
}


def _words(column_name: str) -> set[str]:
    return set(re.split(r"[_\W]+", column_name.lower()))


def test_no_table_has_a_column_for_a_clients_direct_identifiers():
    offending = [
        f"{table.name}.{column.name}"
        for table in SQLModel.metadata.sorted_tables
        for column in table.columns
        if _words(column.name) & IDENTIFIER_WORDS and (table.name, column.name) not in STAFF_AND_PARTNERS
    ]
    assert offending == [], "direct identifiers have no place here (pseudonymisation by design)"
    assert not any(_words(name) & IDENTIFIER_WORDS for name in FEATURE_NAMES)


def test_every_table_says_what_it_holds_and_how_long():
    categories = {policy["category"] for policy in DEFAULT_POLICIES}
    for table in SQLModel.metadata.sorted_tables:
        info = table.info
        assert info.get("holds"), f"{table.name}: add processing_record(...) to its __table_args__"
        assert set(info["retention"]) <= categories, table.name
        assert bool(info["retention"]) != bool(info["kept"]), table.name


def test_logs_hold_no_password_token_or_feature_value(db, serving, caplog, capfd):
    caplog.set_level(logging.DEBUG)
    password, wrong = "Correct-horse-battery-9", "Wrong-password-guess-7"
    ensure_default_policies(db)
    auth.create_advisor(
        db, email="boss@bank.example", full_name="Boss", password=password, role=Role.supervisor
    )
    auth.authenticate(db, "boss@bank.example", wrong)
    boss = auth.authenticate(db, "boss@bank.example", password).advisor
    token = auth.open_session(db, boss)
    client = make_client(db, income=987_654.0, credit_score=733, days_ago=400)
    scoring.score_client(db, client, actor=boss.actor, channel="ui")
    rgpd.rectify(db, boss, client.id, "income", 876_543.0, TODAY)
    rgpd.export_client(db, boss, client.id)
    with pytest.raises(rgpd.RectificationError):
        rgpd.rectify(db, boss, client.id, "income", -765_432.0, TODAY)
    rgpd.erase(db, boss, client.id)
    db.commit()
    retention.run_purge(db, TODAY)
    assert verify_chain(db) is None
    captured = caplog.text + "".join(capfd.readouterr())
    assert "retention purge" in captured  # logging was captured
    for secret in (
        password,
        wrong,
        token,
        hashlib.sha256(token.encode()).hexdigest(),
        "987654",
        "987 654",
        "876543",
        "765432",
    ):
        assert secret not in captured
