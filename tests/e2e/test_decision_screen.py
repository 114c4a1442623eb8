"""The client page as a decision screen, at 1366x768: what the first screen holds, a
simulation that loses no key press, the decision letter, the age rule, accessibility."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS, DEMO_PASSWORD, login

pytestmark = pytest.mark.e2e

VIEWPORT_HEIGHT = 768
WHY = "Revenus et historique vérifiés avec le client sur pièces."


class Api:
    """The REST API with the advisor's token: the tests pick their clients through it."""

    def __init__(self, base: str, email: str = "advisor@example.com"):
        self.base = base
        form = f"grant_type=password&username={email}&password={DEMO_PASSWORD}"
        request = urllib.request.Request(
            f"{base}/api/v1/auth/token",
            data=form.encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        with urllib.request.urlopen(request) as response:
            self.token = json.load(response)["access_token"]

    def get(self, path: str, **query) -> dict:
        url = f"{self.base}/api/v1{path}" + ("?" + urllib.parse.urlencode(query) if query else "")
        request = urllib.request.Request(url, headers={"Authorization": f"Bearer {self.token}"})
        with urllib.request.urlopen(request) as response:
            return json.load(response)

    def clients(self, **query) -> list[dict]:
        return self.get("/clients", page_size=200, **query)["data"]

    def first(self, recommendation: str, **query) -> dict:
        found = self.clients(recommendation=recommendation, **query)
        assert found, f"the demo portfolio has no {recommendation} client"
        return found[0]


@pytest.fixture
def api(app_url):
    return Api(app_url)


def open_client(page, client_id: str) -> None:
    page.goto(f"/clients/{client_id}")
    expect(page.locator("#decision-screen")).to_be_visible()
    page.wait_for_load_state("networkidle")


def bottom(page, selector: str) -> float:
    box = page.locator(selector).bounding_box()
    assert box, selector
    return box["y"] + box["height"]


def test_the_first_screen_holds_the_decision(page, api):
    login(page)
    open_client(page, api.first("not_eligible")["id"])
    expect(page.locator("#reasons li")).to_have_count(3)
    expect(page.locator("#eligible-if")).to_contain_text("Éligible si")
    for selector in (
        "#pd-gauge",
        "#recommendation",
        "#reasons li >> nth=2",
        "#eligible-if",
        "#freshness",
        "#outcome-approved",
        "#outcome-refused",
        "#outcome-referred",
        "#justification",
        "#justification-rule",
        "#justification-counter",
        "#decision-submit",
    ):
        assert bottom(page, selector) <= VIEWPORT_HEIGHT, selector
    # The simulation is out of the way, below the decision screen.
    assert page.locator("#whatif").bounding_box()["y"] > bottom(page, "#decision-screen")
    # The rule shown is this case's: a refusal's, once a refusal is chosen.
    page.click("#outcome-refused")
    expect(page.locator("#justification-rule")).to_contain_text("pour un refus")
    page.fill("#justification", "abcdefghijk")
    expect(page.locator("#justification-counter")).to_contain_text("11 /")


def _example(api: Api, recommendation: str) -> dict:
    """A client of this recommendation; for review, one in the grey zone (not stale data)."""
    for client in api.clients(recommendation=recommendation):
        notes = {note["code"] for note in api.get(f"/clients/{client['id']}/score")["notes"]}
        if recommendation != "review" or notes == {"grey_zone"}:
            return client
    pytest.fail(f"the demo portfolio has no example of {recommendation}")


@pytest.mark.parametrize(
    "recommendation,name,lang",
    [
        ("not_eligible", "high-risk", "fr"),
        ("review", "grey-zone", "fr"),
        ("eligible", "low-risk", "fr"),
        ("review", "grey-zone", "en"),
    ],
)
def test_screenshots_of_the_first_screen(page, api, recommendation, name, lang):
    login(page)
    if lang == "en":
        page.click("#language-switch")
        expect(page.locator("h1")).to_have_text("Client portfolio")
    open_client(page, _example(api, recommendation)["id"])
    if recommendation == "eligible":
        expect(page.locator("#eligible-if")).to_have_count(0)  # nothing to change
    else:
        expect(page.locator("#eligible-if")).to_contain_text("Eligible if" if lang == "en" else "Éligible si")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"decision-screen-{name}-{lang}.png"))


def test_twenty_quick_arrow_presses_move_the_slider_twenty_steps(page, api):
    login(page)
    client = next(c for c in api.clients(recommendation="not_eligible") if c["credit_score"] <= 700)
    open_client(page, client["id"])
    slider = page.locator("#whatif-credit_score")
    assert float(slider.input_value()) == client["credit_score"]
    step = float(slider.get_attribute("step"))
    before = page.get_attribute("#whatif-gauge", "aria-valuenow")
    slider.focus()
    for _ in range(20):
        page.keyboard.press("ArrowRight")
    expect(page.locator("#whatif-gauge")).not_to_have_attribute("aria-valuenow", before)
    page.wait_for_load_state("networkidle")
    assert float(slider.input_value()) == client["credit_score"] + 20 * step
    expect(page.locator("#whatif-credit_score-text")).to_contain_text(
        f"{client['credit_score'] + 20 * int(step)}"
    )
    # The real score stays, as the simulation's ghost needle and on the first gauge.
    expect(page.locator("#whatif-gauge .ghost-needle")).to_have_count(1)


def test_sliders_start_at_the_clients_exact_values(page, api):
    login(page)
    client = next(c for c in api.clients() if c["income"] % 1000)  # off the slider's 1 000 € step
    open_client(page, client["id"])
    assert float(page.locator("#whatif-income").input_value()) == client["income"]
    assert float(page.locator("#whatif-seniority").input_value()) == client["seniority"]


def test_the_decision_letter_downloads_as_a_pdf(page, api):
    login(page)
    open_client(page, api.first("eligible")["id"])
    expect(page.locator("#latest-decision")).to_have_count(0)
    page.click("#outcome-approved")
    page.fill("#justification", WHY)
    page.click("#decision-submit")
    expect(page.locator("#decision-notice")).to_be_visible()
    expect(page.locator("#latest-decision")).to_contain_text("Accorder")
    for lang in ("fr", "en"):
        with page.expect_download() as caught:
            page.click(f"#letter-{lang}")
        download = caught.value
        assert download.suggested_filename.endswith(f"-{lang}.pdf")
        with open(download.path(), "rb") as pdf:
            assert pdf.read(5) == b"%PDF-"
    expect(page.locator("#letter-error")).to_have_count(0)


def _age_first_client(api: Api) -> dict:
    for recommendation in ("not_eligible", "review"):
        for client in api.clients(recommendation=recommendation):
            reasons = api.get(f"/clients/{client['id']}/score")["reasons"]
            if reasons and reasons[0]["feature"] == "age":
                return client
    pytest.fail("the demo portfolio has no refused or reviewed client whose first reason is age")


def test_an_age_first_refusal_requires_a_justification(page, app_url):
    from axe_playwright_python.sync_playwright import Axe

    # A supervisor sees every portfolio: the demo's few age-first clients may be anyone's.
    supervisor = "supervisor@example.com"
    client = _age_first_client(Api(app_url, supervisor))
    login(page, supervisor)
    open_client(page, client["id"])
    expect(page.locator("#age-first")).to_be_visible()
    expect(page.locator("#justification-rule")).to_contain_text("l'âge est le premier facteur")
    page.click("#outcome-referred")  # even a referral: age must not carry the decision
    page.click("#decision-submit")
    expect(page.locator("#decision-error")).to_be_visible()
    page.click("#outcome-refused")
    page.fill("#justification", WHY)
    page.click("#decision-submit")
    expect(page.locator("#decision-notice")).to_be_visible()
    expect(page.locator("#letter-fr")).to_be_visible()
    page.wait_for_timeout(500)
    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert not serious, results.generate_report()
