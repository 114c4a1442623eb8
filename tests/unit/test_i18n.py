"""One translation table: every label in both languages, rules quoted from their source."""

import re

from neobank_dashboard.display.texts import catalog
from neobank_dashboard.i18n import format_money, format_percent
from neobank_dashboard.services.decisions import MIN_JUSTIFICATION_LENGTH
from neobank_dashboard.services.freshness import STALE_MONTHS

DISPLAY_TIME_PLACEHOLDERS = {"base", "threshold", "rank", "n", "fn", "low", "high", "email", "role"} | {
    # The decision letter's and the counterfactuals' values, from the stored records.
    *("bank", "before", "changes", "client", "contact", "contest_days", "contest_until", "date"),
    *("decision", "label", "model", "page", "person", "probability", "recommendation", "to", "value"),
    # The client page's decision screen.
    *("features", "max", "target", "count", "outcome"),
    # The monitoring charts' level lines, formatted in the page's language.
    *("watch", "alert"),
    # When the monitoring report shown was computed.
    "time",
}


def test_both_languages_have_every_label_and_differ_where_they_should():
    french, english = catalog("fr"), catalog("en")
    assert french.keys() == english.keys()
    assert french["clients.title"] != english["clients.title"]
    assert catalog("de") == french  # unknown languages fall back to French


def test_quoted_rules_come_from_the_rules_themselves():
    for text in catalog("fr").values():
        leftovers = set(re.findall(r"{(\w+)}", text))
        assert leftovers <= DISPLAY_TIME_PLACEHOLDERS, text
    assert f"au moins {MIN_JUSTIFICATION_LENGTH} caractères" in catalog("fr")["decision.rule.refusal"]
    assert f"{STALE_MONTHS} mois" in catalog("fr")["client.stale_warning"]


def test_numbers_are_formatted_the_french_way_in_french():
    assert format_money(1234.56, "fr", 2) == "1\u202f234,56\u00a0€"
    assert format_percent(0.123, "fr") == "12,3\u00a0%"
    assert format_money(1234.56, "en", 2) == "€1,234.56"
    assert format_percent(0.123, "en") == "12.3%"


def test_every_worklist_and_review_value_has_a_label():
    from neobank_dashboard.db.models import ReviewKind, ReviewOutcome, ReviewStatus
    from neobank_dashboard.services.oversight import OversightFlag
    from neobank_dashboard.services.worklist import DecisionStatus, QuickFilter

    labelled = {
        "decision_status": DecisionStatus,
        "quick": QuickFilter,
        "review.kind": ReviewKind,
        "review.status": ReviewStatus,
        "review.outcome": ReviewOutcome,
        "oversight.flag": OversightFlag,
    }
    french = catalog("fr")
    keys = [f"{prefix}.{v.value}" for prefix, enum in labelled.items() for v in enum]
    assert [key for key in keys if key not in french] == []


def test_money_has_one_format_per_language_even_with_a_unit():
    from modeling.features import FEATURES
    from modeling.reasons import format_value
    from neobank_dashboard.i18n import format_quantity

    assert format_quantity(31100, "€ / an", "fr") == "31\u202f100\u00a0€ / an"
    assert format_quantity(31100, "€ / year", "en") == "€31,100 / year"  # as "€31,100" alone
    assert format_quantity(5148, "ans", "fr") == "5\u202f148 ans"
    # Units agree with their number: French singular below 2, English at exactly 1.
    assert format_quantity(1, "incidents", "fr") == "1 incident"
    assert format_quantity(0.7, "ans", "fr", 1) == "0,7 an"
    assert format_quantity(0, "incidents", "en") == "0 incidents"
    assert format_quantity(1, "years", "en") == "1 year"
    assert format_quantity(1.5, "years", "en", 1) == "1.5 years"
    # The reasons' texts (modeling imports nothing of the dashboard) follow the same rule.
    for feature in FEATURES:
        decimals = 0 if feature.kind is int or feature.step >= 1 else 1
        for value in (0, 1, 2.5, 31_100, 1_234_567):
            for lang, unit in (("fr", feature.unit_fr), ("en", feature.unit_en)):
                assert format_value(feature, value, lang) == format_quantity(value, unit, lang, decimals)


def test_every_audited_action_and_object_reads_as_words():
    """The audit log shows no raw code: each action and object type written has a label."""
    from pathlib import Path

    import neobank_dashboard

    package = Path(neobank_dashboard.__file__).parent
    written = re.compile(r'(action|object_type)="([a-z_]+)"|_ACTION = "([a-z_]+)"')
    codes = set()
    for source in package.rglob("*.py"):
        if source.parent.name == "cli":  # argparse's action="store_true"
            continue
        for match in written.finditer(source.read_text()):
            kind = "object" if match[1] == "object_type" else "action"
            codes.add(f"audit.{kind}.{match[2] or match[3]}")
    assert codes and sorted(codes - catalog("fr").keys()) == []
