"""/monitoring in a browser: a supervisor sees the four sections; an advisor is sent away."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e

SECTIONS = ("#monitoring-stability", "#monitoring-backtest", "#monitoring-fairness", "#monitoring-challenger")
SCREENS = Path(__file__).resolve().parents[2].parent / "_notes" / "screens"
SHOTS = SCREENS.parent / "shots"


def test_a_supervisor_sees_the_report_and_an_advisor_cannot(page, browser, app_url):
    login(page, "supervisor@example.com")
    page.get_by_role("link", name="Surveillance", exact=True).click()
    page.wait_for_url("**/monitoring")
    for section in SECTIONS:
        expect(page.locator(section)).to_be_visible()
    # The demo seed has scores and outcomes in the last 30 days: the tables have rows.
    expect(page.locator("#monitoring-stability tbody tr").first).to_be_visible()
    expect(page.locator("#monitoring-fairness tbody tr").first).to_be_visible()
    expect(page.locator("#monitoring-backtest tbody tr").first).to_be_visible()
    # The age bound at work: a share of the refusals, or "no data" when the champion has none.
    expect(page.locator("#fairness-age-alone")).to_have_text(
        re.compile(r"^Refus que l'âge seul décide .* : (\d+,\d\u00a0% \(|Pas de données)")
    )
    # The seed's demo months: three charts with a line per series and months on the x axis.
    for chart, lines in (("history-stability", 6), ("history-default-rate", 2), ("history-approval", 5)):
        expect(page.locator(f"#{chart} .recharts-line")).to_have_count(lines)
    ticks = page.locator("#history-stability .recharts-cartesian-axis-tick-value").all_text_contents()
    assert len([t for t in ticks if re.fullmatch(r"\d{2}/\d{4}", t)]) >= 2, ticks
    # The alert line is drawn even when every index is far below it; legends keep their order.
    expect(page.locator("#history-stability .recharts-reference-line")).to_have_count(2)
    legend = (
        page.locator("#history-stability")
        .locator("xpath=..")
        .locator(".recharts-legend-item-text")
        .all_text_contents()
    )
    assert legend[0] == "Score (PSI)", legend
    expect(page.locator("#monitoring-history")).to_contain_text("0,25 alerte")
    expect(page.locator("#history-default-rate").locator("xpath=..")).to_contain_text("Observé")
    if SHOTS.is_dir():
        page.wait_for_timeout(500)
        page.locator("#monitoring-history").screenshot(path=str(SHOTS / "monitoring-history.png"))
    # It opens on the report the seed stored, and says so; "Show" computes a window now.
    expect(page.locator("#monitoring-computed")).to_have_text(
        re.compile(r"^Rapport enregistré le \d{2}/\d{2}/\d{4} à \d{2}:\d{2} UTC\.")
    )
    page.click("#monitoring-apply")
    expect(page.locator("#monitoring-computed")).to_have_text(re.compile(r"^Rapport calculé le "))
    expect(page.locator("#monitoring-stability tbody tr").first).to_be_visible()
    page.fill("#monitoring-since", "2026-12-31")
    page.fill("#monitoring-until", "2026-01-01")
    page.click("#monitoring-apply")
    expect(page.locator("#window-error")).to_be_visible()
    page.reload()
    page.locator("#monitoring-stability tbody tr").first.wait_for()
    if SCREENS.is_dir():
        page.screenshot(path=str(SCREENS / "monitoring.png"), full_page=True)

    advisor = browser.new_context(viewport={"width": 1366, "height": 768}, base_url=app_url, locale="fr-FR")
    try:
        other = advisor.new_page()
        login(other)
        expect(other.get_by_role("link", name="Surveillance", exact=True)).to_have_count(0)
        other.goto("/monitoring")
        other.wait_for_url("**/clients?refused=monitoring")
        expect(other.locator("#monitoring-refused")).to_be_visible()
        expect(other.locator("#monitoring-stability")).to_have_count(0)
    finally:
        advisor.close()
