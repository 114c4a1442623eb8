"""/model with a tree champion: the shap summary and dependence plots, in French and English.

The package's app trains every candidate and its champion is linear on the small e2e
portfolio; this module starts its own app whose only candidate is XGBoost.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login
from tests.support.live_app import live_app

pytestmark = pytest.mark.e2e

SHOTS = Path(__file__).resolve().parents[2].parent / "_notes" / "shots"
CLIENTS = 100


@pytest.fixture(scope="module")
def tree_app_url():
    with live_app(CLIENTS, candidates="xgboost", own_frontend=True) as base:
        yield base


@pytest.fixture
def tree_page(browser, tree_app_url):
    context = browser.new_context(
        viewport={"width": 1366, "height": 900}, base_url=tree_app_url, locale="fr-FR"
    )
    context.set_default_timeout(30_000)
    page = context.new_page()
    yield page
    context.close()


def _ticks(page, chart: str) -> list[str]:
    """Tick texts, a label that wraps over several lines read without its spaces."""
    texts = page.locator(f"#{chart} .recharts-cartesian-axis-tick-value").all_text_contents()
    return [re.sub(r"\s", "", text) for text in texts]


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("#shap-section").screenshot(path=str(SHOTS / f"shapmodel-{name}.png"))


def test_the_shap_charts_show_in_french_then_english(tree_page):
    page = tree_page
    login(page)
    page.goto("/model")
    section = page.locator("#shap-section")
    expect(section.get_by_role("heading", name="Explication globale (SHAP)")).to_be_visible()
    expect(page.locator("#shap-linear")).to_have_count(0)
    expect(section).to_contain_text("log-odds bruts")
    page.wait_for_timeout(1_600)  # the scatter's entry animation
    _shot(page, "fr-summary")
    # The beeswarm: a dot per sampled client and feature, rows named in French, ticks "0,5".
    dots = page.locator("#shap-beeswarm .recharts-scatter-symbol")
    expect(dots).not_to_have_count(0)
    assert dots.count() % 5 == 0 and dots.count() >= 5 * 100
    rows = _ticks(page, "shap-beeswarm")
    assert {"Revenuannuelnet", "Âge", "Incidentsdepaiement"} <= set(rows), rows
    legend = page.locator("#shap-beeswarm").locator("xpath=..")  # the legend sits beside the svg
    expect(legend).to_contain_text("faible")
    expect(legend).to_contain_text("élevée")
    # Low to high, as the colours run, not sorted by their labels.
    items = legend.locator(".recharts-legend-item-text").all_text_contents()
    assert items == ["faible", "plutôt faible", "moyenne", "plutôt élevée", "élevée"], items
    bars = page.locator("#shap-importance .recharts-bar-rectangle")
    expect(bars).to_have_count(5)
    # The dependence plot follows the selected feature, coloured by its strongest interaction.
    page.select_option("#shap-feature", "income")
    expect(page.locator("#shap-interacts-with")).not_to_have_text("")
    expect(page.locator("#shap-dependence .recharts-scatter-symbol")).not_to_have_count(0)
    page.wait_for_timeout(1_600)  # the scatter's entry animation
    income_ticks = _ticks(page, "shap-dependence")
    assert any(re.fullmatch(r"\d{1,3}000", tick) for tick in income_ticks), income_ticks  # "40 000"
    assert any(re.fullmatch(r"-?\d+,\d+", tick) for tick in income_ticks), income_ticks  # "-0,8"
    _shot(page, "fr")
    page.select_option("#shap-feature", "payment_incidents")
    expect(page.locator("#shap-interacts-with")).not_to_have_text("")
    page.wait_for_timeout(500)
    assert _ticks(page, "shap-dependence") != income_ticks

    page.click("#language-switch")
    expect(section.get_by_role("heading", name="Global explanation (SHAP)")).to_be_visible()
    expect(section).to_contain_text("raw log-odds")
    rows = _ticks(page, "shap-beeswarm")
    assert {"Annualnetincome", "Age", "Paymentincidents"} <= set(rows), rows
    expect(legend).to_contain_text("low")
    expect(legend).to_contain_text("high")
    items = legend.locator(".recharts-legend-item-text").all_text_contents()
    assert items == ["low", "fairly low", "medium", "fairly high", "high"], items
    page.select_option("#shap-feature", "income")
    expect(page.locator("#shap-interacts-with")).not_to_have_text("")
    page.wait_for_timeout(500)
    assert any(re.fullmatch(r"\d{1,3}(,\d{3})+", tick) for tick in _ticks(page, "shap-dependence"))
    _shot(page, "en")
