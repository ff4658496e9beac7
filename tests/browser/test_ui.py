"""Real-browser tests of `mediawatch serve` on the bundled corpus's index.

Run by tests/browser/run_ui.sh (which .ci/run calls): Playwright drives Debian's chromium
through executable_path (no browser download). Environment: MEDIAWATCH_BIN (the release
binary), MEDIAWATCH_INDEX (an index of the bundled corpus), MEDIAWATCH_OUT (where screenshots
and downloads go, under target/), CHROMIUM (the browser executable).
"""

import csv
import os
import re
import subprocess
import urllib.parse

import pytest
from playwright.sync_api import expect, sync_playwright

BIN = os.environ["MEDIAWATCH_BIN"]
INDEX = os.environ["MEDIAWATCH_INDEX"]
OUT = os.environ["MEDIAWATCH_OUT"]
CHROMIUM = os.environ["CHROMIUM"]
WORD = "интернет"  # used by both state and independent outlets of the bundled corpus


@pytest.fixture(scope="session")
def server():
    proc = subprocess.Popen(
        [BIN, "serve", "--index", INDEX, "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = proc.stdout.readline()
        match = re.fullmatch(r"listening on (http://127\.0\.0\.1:\d+/)\n", line)
        assert match, f"first line was {line!r}; stderr: {proc.stderr.read() if proc.poll() is not None else ''}"
        yield match.group(1).rstrip("/")
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    errors = []
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: errors.append(str(e)))
    yield pg
    context.close()
    assert errors == [], f"console errors (CSP violations included): {errors}"


def total(pg):
    return int(pg.locator("#total").inner_text())


def test_search_form_hits_facets_and_screenshot(server, page):
    page.goto(server + "/")
    page.fill("input[name=q]", WORD)
    page.click("button[type=submit]")
    expect(page).to_have_url(re.compile(r"/search\?q="))
    n = total(page)
    assert n > 0
    expect(page.locator(".hit mark").first).to_be_visible()
    expect(page.locator("figure.histogram svg")).to_be_visible()
    assert page.locator("ul.facet-category li").count() == 2, "state and independent"
    # One click on a facet's "−" leaves that value out: the total drops by its count.
    first = page.locator("ul.facet-category li").first
    count = int(first.locator(".count").inner_text())
    first.locator("a.exclude").click()
    expect(page).to_have_url(re.compile(r"exclude-category="))
    assert total(page) == n - count
    page.go_back()
    page.screenshot(path=os.path.join(OUT, "ui-search.png"), full_page=False)


def test_kwic_sort_by_left_word(server, page):
    page.goto(server + "/kwic?q=" + urllib.parse.quote(WORD))
    assert total(page) > 0
    page.select_option("select[name=sort]", "left")
    page.click("button[type=submit]")
    expect(page).to_have_url(re.compile(r"sort=left"))
    assert page.locator("div.col").count() == 2, "groups side by side"
    for col in page.locator("div.col").all():
        lefts = [t.strip() for t in col.locator("td.left").all_inner_texts()]
        last_words = [(t.split()[-1].lower() if t.split() else "") for t in lefts]
        assert last_words == sorted(last_words), last_words
    assert page.locator("table.forms tbody tr").count() >= 1


def test_open_a_document_from_search(server, page):
    page.goto(server + "/search?q=" + urllib.parse.quote(WORD))
    link = page.locator("a.doc-link").first
    title = link.inner_text()
    link.click()
    expect(page).to_have_url(re.compile(r"/doc\?"))
    expect(page.locator("h1")).to_have_text(title)
    assert len(page.locator("#text").inner_text()) > 100


def test_compare_chart_and_term_to_kwic(server, page):
    page.goto(server + "/compare?target=state&reference=independent")
    expect(page.locator("svg#chart-keyness")).to_be_visible()
    term = page.locator("a.term").first
    term.click()
    expect(page).to_have_url(re.compile(r"/kwic\?q="))
    assert total(page) > 0


def test_csv_download_matches_the_page(server, page):
    page.goto(server + "/search?q=" + urllib.parse.quote(WORD))
    n = total(page)
    with page.expect_download() as info:
        page.click("a.export-csv")
    download = info.value
    assert download.suggested_filename == f"search-all-{n}.csv"
    path = os.path.join(OUT, "ui-download.csv")
    download.save_as(path)
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == n
    assert all(r["id"] for r in rows)
