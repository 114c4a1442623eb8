"""The worklist in a real browser: an override reaches a supervisor's queue, the client
contests with a corrected income, another person resolves it, the list shows the outcome."""

from __future__ import annotations

import json
import re
import urllib.request
from datetime import date

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS, DEMO_PASSWORD, login

pytestmark = pytest.mark.e2e


def api_get(app_url: str, email: str, path: str) -> urllib.request.addinfourl:
    form = f"grant_type=password&username={email}&password={DEMO_PASSWORD}"
    request = urllib.request.Request(
        f"{app_url}/api/v1/auth/token",
        data=form.encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    with urllib.request.urlopen(request) as response:
        token = json.load(response)["access_token"]
    return urllib.request.urlopen(
        urllib.request.Request(f"{app_url}/api/v1{path}", headers={"Authorization": f"Bearer {token}"})
    )


def queue_row(page, kind: str, client_id: str):
    page.goto(f"/reviews?kind={kind}")
    row = page.locator(f'#review-queue tbody tr:has(a[href="/clients/{client_id}"])')
    expect(row).to_have_count(1)
    return row


def client_row_status(page, client_id: str):
    page.goto(f"/clients?id_prefix={client_id[-12:]}")
    return page.locator("#clients-table tbody tr").filter(has_text=client_id).locator(".decision-status")


def test_override_contest_and_resolution(browser, app_url):
    advisor = browser.new_context(viewport={"width": 1366, "height": 768}, base_url=app_url, locale="fr-FR")
    supervisor = browser.new_context(
        viewport={"width": 1366, "height": 768}, base_url=app_url, locale="fr-FR"
    )
    for context in (advisor, supervisor):
        context.set_default_timeout(20_000)
    a, s = advisor.new_page(), supervisor.new_page()
    try:
        # The advisor approves a client the model finds not eligible: an override.
        login(a)
        a.goto("/clients?recommendation=not_eligible&quick=to_do")
        expect(a.locator("#quick-to_do")).to_have_attribute("aria-current", "true")
        a.locator("#clients-table tbody tr a").first.click()
        a.wait_for_url(re.compile(r".*/clients/[0-9a-f-]{36}$"))
        client_id = a.url.rsplit("/", 1)[-1]
        expect(a.locator("#contest")).to_contain_text("Aucune décision à contester")
        a.click("#outcome-approved")
        a.fill("#justification", "Revenus confirmés par trois bulletins de salaire récents.")
        a.click("#decision-submit")
        expect(a.locator("#decision-notice")).to_be_visible()
        expect(client_row_status(a, client_id)).to_contain_text("Accordé")

        # It is in a supervisor's queue, as an override, and can be claimed.
        login(s, "supervisor@example.com")
        row = queue_row(s, "override", client_id)
        expect(row).to_contain_text("Camille Durand")
        row.get_by_role("button", name="Prendre en charge").click()
        expect(row).to_contain_text("Sophie Lambert")

        # The client contests through the advisor; the statement is required.
        a.goto(f"/clients/{client_id}")
        before = a.get_attribute("#pd-gauge", "aria-valuenow")
        expect(a.locator("#contest-submit")).to_be_visible()
        a.click("#contest-submit")
        expect(a.locator("#contest-error-statement")).to_be_visible()
        a.fill("#contest-statement", "Mon revenu a augmenté depuis mon changement de poste.")
        a.click("#contest-corrections summary")
        a.fill("#correction-income", "95000")
        a.fill("#correction-income-as_of", date.today().isoformat())
        a.click("#contest-submit")
        expect(a.locator("#contest-notice")).to_be_visible()
        expect(a.locator("#contest-pending")).to_be_visible()
        expect(a.locator("#pd-gauge")).not_to_have_attribute("aria-valuenow", before)
        expect(client_row_status(a, client_id)).to_contain_text("Contesté")

        # The supervisor resolves it: a justification is required, then the decision changes.
        row = queue_row(s, "contest", client_id)
        row.get_by_role("button", name="Résoudre").click()
        s.click("#resolution-changed")
        s.select_option("#new-outcome", "referred")
        s.click("#resolution-submit")
        expect(s.locator("#error-justification")).to_be_visible()
        expect(s.locator("#resolution")).to_contain_text("Mon revenu a augmenté")  # the statement beside it
        ARTIFACTS.mkdir(exist_ok=True)
        s.screenshot(path=str(ARTIFACTS / "reviews-1366x768.png"), full_page=True)
        s.fill("#resolution-justification", "Revenu corrigé vérifié : le dossier part en comité de crédit.")
        s.click("#resolution-submit")
        expect(s.locator("#review-notice")).to_be_visible()
        expect(s.locator(f'#review-queue a[href="/clients/{client_id}"]')).to_have_count(0)

        # The client's row shows the new decision; its letter can be issued again.
        expect(client_row_status(a, client_id)).to_contain_text("Transmis")
        with api_get(app_url, "supervisor@example.com", "/reviews?kind=contest&status=resolved") as response:
            resolved = [r for r in json.load(response)["data"] if r["client_id"] == client_id]
        letter_path = f"/decisions/{resolved[0]['resolution_decision_id']}/letter"
        with api_get(app_url, "advisor@example.com", letter_path) as letter:
            assert letter.status == 200 and letter.headers["Content-Type"].startswith("application/pdf")

        # The first screen at 1366x768 shows at least 15 rows.
        s.goto("/clients")
        s.locator("#clients-table tbody tr").first.wait_for()
        s.wait_for_timeout(500)
        assert s.locator("#clients-table tbody tr").count() >= 15
        fifteenth = s.locator("#clients-table tbody tr").nth(14).bounding_box()
        assert fifteenth["y"] + fifteenth["height"] <= 768, "15 rows on the first screen"
        s.screenshot(path=str(ARTIFACTS / "clients-1366x768.png"))
    finally:
        advisor.close()
        supervisor.close()
