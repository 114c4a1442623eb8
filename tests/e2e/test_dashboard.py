"""The advisor's journey in a real browser, the language switch, scoping, accessibility."""

from __future__ import annotations

import json
import re
import urllib.request

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import DEMO_PASSWORD, login

pytestmark = pytest.mark.e2e


def api_probability(app_url: str, client_id: str) -> float:
    """The probability the REST API gives for the client, with the advisor's token."""
    form = f"grant_type=password&username=advisor@example.com&password={DEMO_PASSWORD}"
    request = urllib.request.Request(
        f"{app_url}/api/v1/auth/token",
        data=form.encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    with urllib.request.urlopen(request) as response:
        token = json.load(response)["access_token"]
    request = urllib.request.Request(
        f"{app_url}/api/v1/clients/{client_id}/score", headers={"Authorization": f"Bearer {token}"}
    )
    with urllib.request.urlopen(request) as response:
        return json.load(response)["probability"]


def open_first_client(page, query: str = "") -> str:
    page.goto("/clients" + query)
    first = page.locator("#clients-table tbody tr a").first
    first.click()
    page.wait_for_url(re.compile(r".*/clients/[0-9a-f-]{36}$"))
    expect(page.locator("#pd-gauge")).to_be_visible()
    return page.url.rsplit("/", 1)[-1]


def test_filters_live_in_the_url_and_narrow_the_table(page):
    login(page)
    total = int(page.locator("#clients-total").inner_text().split()[0])
    page.click("#advanced-filters summary")
    page.fill("#filter-age_min", "30")
    page.fill("#filter-age_max", "45")
    page.click("#filters-apply")
    page.wait_for_url(re.compile(r".*age_min=30.*age_max=45.*"))
    expect(page.locator("#clients-total")).not_to_have_text(re.compile(rf"^{total}\b"))
    assert 0 < int(page.locator("#clients-total").inner_text().split()[0]) < total
    ages = page.locator("#clients-table tbody tr td:nth-child(5)").all_inner_texts()
    assert ages and all(30 <= int(age) <= 45 for age in ages)
    page.fill("#filter-age_max", "20")
    page.click("#filters-apply")
    expect(page.locator("#error-age_max")).to_be_visible()


def test_journey_gauge_matches_api_whatif_override_and_audit(page, app_url):
    login(page)
    client_id = open_first_client(page, "?recommendation=not_eligible")
    # The gauge is at the top, visible without scrolling on a 1366x768 screen.
    box = page.locator("#pd-gauge").bounding_box()
    assert box and box["y"] + box["height"] <= 768
    shown = float(page.get_attribute("#pd-gauge", "aria-valuenow"))
    assert shown == pytest.approx(100 * api_probability(app_url, client_id), abs=0.051)
    expect(page.locator("#reasons li").first).to_be_visible()
    assert page.locator("#reasons li").count() >= 3

    # What-if: fewer incidents and a better credit score lower the simulated probability.
    before = page.get_attribute("#whatif-gauge", "aria-valuenow")
    page.locator("#whatif-credit_score").fill("800")
    expect(page.locator("#whatif-gauge")).not_to_have_attribute("aria-valuenow", before)
    assert float(page.get_attribute("#whatif-gauge", "aria-valuenow")) < float(before)
    assert float(page.get_attribute("#pd-gauge", "aria-valuenow")) == shown  # nothing recorded

    # Approving a not-eligible client goes against the model: refused without a justification.
    page.click("#outcome-approved")
    page.click("#decision-submit")
    expect(page.locator("#decision-error")).to_be_visible()
    page.fill("#justification", "Revenus confirmés par trois bulletins de salaire récents.")
    page.click("#decision-submit")
    expect(page.locator("#decision-notice")).to_be_visible()
    expect(page.locator("#history")).to_contain_text("contraire à la recommandation")

    # The admin sees the decision in the audit log.
    page.click("#logout")
    login(page, "admin@example.com")
    page.goto("/admin")
    page.click("#tab-audit")
    expect(page.locator("#audit-table")).to_contain_text("Décision de crédit")
    expect(page.locator("#audit-table")).to_contain_text(client_id)


def test_stale_client_shows_freshness_alerts(page):
    login(page)
    open_first_client(page, "?stale=1")
    expect(page.locator("#features-table .stale-badge").first).to_be_visible()


def test_language_switch_changes_every_visible_label(page):
    login(page)
    french = page.locator("#main").inner_text()
    expect(page).to_have_title("Clients | Éligibilité crédit")
    page.click("#language-switch")
    expect(page.locator("h1")).to_have_text("Client portfolio")
    expect(page).to_have_title("Clients | Credit eligibility")  # titles follow the language too
    english = page.locator("#main").inner_text()
    for label in (
        "Filtres",
        "Recommandation",
        "Probabilité de défaut",
        "Données anciennes",
        "Appliquer",
        "Suivant",
    ):
        assert label not in english, label
    assert french != english
    page.click("#language-switch")
    expect(page.locator("h1")).to_have_text("Portefeuille clients")


def test_another_advisors_client_is_not_found(page):
    login(page, "advisor2@example.com")
    other_id = open_first_client(page)
    page.click("#logout")
    login(page)
    page.goto(f"/clients/{other_id}")
    expect(page.locator("#client-not-found")).to_be_visible()
    expect(page.locator("#pd-gauge")).to_have_count(0)


def test_rgpd_page_lists_the_retention_periods(page):
    login(page)
    page.goto("/rgpd")
    table = page.locator("#retention-table")
    expect(table).to_contain_text("5 ans")
    expect(table).to_contain_text("1 an")
    expect(page.locator("#requests")).to_have_count(0)  # actions are for supervisors


PAGES = ["/login", "/clients", "/reviews", "/model", "/rgpd", "/admin", "client"]


@pytest.mark.parametrize("path", PAGES)
def test_no_serious_accessibility_violation(page, path):
    from axe_playwright_python.sync_playwright import Axe

    if path != "/login":
        login(page, "admin@example.com")
    if path == "client":
        open_first_client(page)
    else:
        page.goto(path)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(800)
    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert not serious, results.generate_report()
