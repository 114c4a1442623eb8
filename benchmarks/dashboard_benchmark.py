"""Dashboard speed in a real browser against `reflex run --env prod` (not a test).

    python benchmarks/dashboard_benchmark.py --clients 100000 --list-clients 1000000

Prints, measured in one run:
- client page: time from navigation to a visible gauge with its value, median and p95
  over several clients, and its ratio to the 1 s target (100,000 clients in the database);
- clients page: time from "Apply" to the updated table, median and p95 over several
  filters, and its ratio to the 500 ms target (1,000,000 clients in SQLite);
- monitoring page: time from navigation to the report's tables and its three monthly
  charts drawn, for a supervisor, and its ratio to the 1 s target (issue 17; the page
  reads the stored report, so it runs on the client page's 100,000 clients).
``--only client|list|monitoring`` measures one of them.
A ratio at or below 1.0 meets the target.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from neobank_dashboard.settings import DEV_DEMO_PASSWORD  # noqa: E402
from tests.support.live_app import prepare, serve  # noqa: E402

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
FILTERS = [
    ("age_min", "30"),
    ("income_max", "40000"),
    ("incidents_min", "1"),
    ("prob_min", "10"),
    ("age_max", "60"),
]


def _login(page, base: str, email: str) -> None:
    page.goto(base + "/login")
    page.fill("#email", email)
    page.fill("#password", DEV_DEMO_PASSWORD)
    page.click("#login-submit")
    page.wait_for_url("**/clients*")
    page.locator("#clients-table tbody tr").first.wait_for()


def measure_client_page(page, base: str, samples: int) -> list[float]:
    page.goto(base + "/clients")
    page.locator("#clients-table tbody tr").first.wait_for()
    ids = page.locator("#clients-table tbody tr a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )[:samples]
    timings = []
    for href in ids:
        page.goto(base + "/clients")
        page.locator("#clients-table tbody tr").first.wait_for()
        started = time.perf_counter()
        page.goto(base + href)
        page.locator("#pd-gauge-value").wait_for()
        page.wait_for_function("document.querySelector('#pd-gauge-value').textContent !== '—'")
        timings.append(time.perf_counter() - started)
    return timings


def measure_filters(page, base: str) -> list[float]:
    timings = []
    for name, value in FILTERS:
        page.goto(base + "/clients")
        page.locator("#clients-table tbody tr").first.wait_for()
        before = page.inner_text("#clients-total")
        page.fill(f"#filter-{name}", value)
        started = time.perf_counter()
        page.click("#filters-apply")
        page.wait_for_function(
            "before => document.querySelector('#clients-total').textContent !== before", arg=before
        )
        timings.append(time.perf_counter() - started)
    return timings


MONITORING_READY = (
    "#monitoring-stability tbody tr",
    "#monitoring-backtest tbody tr",
    "#monitoring-fairness tbody tr",
    "#history-stability .recharts-line",
    "#history-approval .recharts-line",
)


def measure_monitoring_page(page, base: str, samples: int, by_menu: bool) -> list[float]:
    """From the worklist to the report's tables and charts drawn: through the menu (how
    advisors go there) or by typing the address (the whole app loaded again)."""
    timings = []
    for _ in range(samples):
        page.goto(base + "/clients")
        page.locator("#clients-table tbody tr").first.wait_for()
        started = time.perf_counter()
        if by_menu:
            page.get_by_role("link", name="Surveillance", exact=True).click()
        else:
            page.goto(base + "/monitoring")
        for selector in MONITORING_READY:
            page.locator(selector).first.wait_for()
        timings.append(time.perf_counter() - started)
    return timings


def run(clients: int, email: str, measure) -> list[float]:
    data_dir = Path(tempfile.mkdtemp(prefix="neobank-bench-"))
    try:
        print(f"preparing {clients:,} clients (seed, train, score)...", flush=True)
        started = time.perf_counter()
        env = prepare(data_dir, clients, training_rows=20_000)
        print(f"  prepared in {time.perf_counter() - started:.0f} s", flush=True)
        with serve(env, data_dir / "app.log") as base, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1366, "height": 768})
            _login(page, base, email)
            measure(page, base)  # warm-up: first compile of each route in the browser
            timings = measure(page, base)
            browser.close()
        return timings
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def report(name: str, timings: list[float], target_s: float) -> None:
    median = statistics.median(timings)
    p95 = sorted(timings)[max(0, round(0.95 * len(timings)) - 1)]
    print(
        f"{name}: median {median * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms over {len(timings)}"
        f" samples; median / target = {median / target_s:.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=100_000, help="for the client page")
    parser.add_argument("--list-clients", type=int, default=1_000_000, help="for the list")
    parser.add_argument("--samples", type=int, default=10)
    parser.add_argument("--only", choices=("client", "list", "monitoring"))
    args = parser.parse_args()
    if shutil.which("chromium") is None:
        raise SystemExit("Debian's chromium is required (make test installs it)")
    if args.only in (None, "client"):
        gauge = run(
            args.clients,
            "advisor@example.com",
            lambda page, base: measure_client_page(page, base, args.samples),
        )
        report(f"client page, {args.clients:,} clients: gauge visible", gauge, 1.0)
    if args.only in (None, "monitoring"):
        shown: dict[str, list[float]] = {}

        def both_ways(page, base: str) -> list[float]:
            for by_menu, how in ((True, "from the menu"), (False, "by its address")):
                shown[how] = measure_monitoring_page(page, base, args.samples, by_menu)
            return []

        run(args.clients, "supervisor@example.com", both_ways)
        for how, timings in shown.items():
            report(f"monitoring page {how}, {args.clients:,} clients: report and charts drawn", timings, 1.0)
    if args.only in (None, "list"):
        filters = run(args.list_clients, "supervisor@example.com", measure_filters)
        report(f"clients page, {args.list_clients:,} clients: filter applied", filters, 0.5)


if __name__ == "__main__":
    from tests.support.scratch import interrupt_on_sigterm

    with interrupt_on_sigterm():  # SIGTERM runs the clean-up as Ctrl-C does
        main()
