"""A real headless browser opens the published index and reports from disk, with networking off.

Chromium (Debian package ``chromium``; ``.ci/run`` installs it) loads each page from a
``file://`` URL behind a dead proxy, dumps the DOM after load, logs the console to stderr and
records every network request in a net log. The test checks that the charts were drawn
(Vega marks with path data in the live DOM), that the console is clean and that the page
requested nothing from the network (Chromium's own background services excluded).

It also checks that every page fits a 1280 px wide window: the page is loaded, unchanged,
into a 1280 px wide ``<iframe srcdoc>`` of a wrapper page (a ``srcdoc`` frame has its
parent's origin, so the wrapper's script may measure it; the pages are self-contained), and
the script writes into the wrapper's DOM the page's scroll width against its viewport and
every element that reaches past the viewport's right edge (outside a ``.econ-scroll`` box,
which scrolls on its own). A page with a 3000 px wide table shows the check can fail.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from econ.reports import format_table
from econ.reports.html import CSS, export_html

CHROMIUM = next((p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None)
pytestmark = [
    pytest.mark.notebook,
    pytest.mark.skipif(CHROMIUM is None, reason="no chromium binary on PATH (apt-get install chromium; .ci/run does)"),
]
# Requests Chromium makes for itself (updates, time sync, accounts), not for the page.
BROWSER_SERVICES = re.compile(r"https?://([a-z0-9-]+\.)*(google\.com|googleapis\.com|gvt1\.com|gstatic\.com)[/:]")
MARK_WITH_DATA = re.compile(
    r'<g [^>]*class="mark-(?:line|rect|area|symbol|rule|arc)[^"]*role-mark[^"]*"[^>]*>\s*<path[^>]*\sd="M', re.IGNORECASE
)


WINDOW = (1280, 900)
HEADLESS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]


def open_in_browser(page: Path, profile: Path) -> tuple[str, str, list[str]]:
    """DOM after load, browser stderr, and every URL requested while loading ``page``."""
    netlog = profile.with_suffix(".netlog.json")
    args = [
        str(CHROMIUM),
        *HEADLESS,
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={profile}",
        "--proxy-server=127.0.0.1:9",
        "--enable-logging=stderr",
        "--v=0",
        f"--log-net-log={netlog}",
        "--dump-dom",
        page.as_uri(),
    ]
    done = subprocess.run(args, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    urls = re.findall(r'"url":"([^"]+)"', netlog.read_text(errors="replace")) if netlog.exists() else []
    return done.stdout, done.stderr, urls


# Runs in the wrapper once the framed page has loaded; writes its findings into <pre id="fit">: the
# elements past the right edge of the viewport, in a box that scrolls or clips them ("boxed") or not
# ("beyond"); those in an .econ-scroll box, which is meant to scroll, are left out.
MEASURE = """
function clipper(el, win) {
  for (var box = el.parentElement; box && box !== el.ownerDocument.body; box = box.parentElement) {
    if (['auto', 'scroll', 'hidden', 'clip'].indexOf(win.getComputedStyle(box).overflowX) >= 0) { return box; }
  }
  return null;
}
function measure() {
  var frame = document.getElementById('page');
  var doc = frame.contentDocument, win = frame.contentWindow;
  var limit = doc.documentElement.clientWidth;
  var found = {beyond: [], boxed: []};
  doc.querySelectorAll('body *').forEach(function (el) {
    var right = el.getBoundingClientRect().right;
    if (right <= limit + 0.5 || el.closest('.econ-scroll')) { return; }
    var list = clipper(el, win) ? found.boxed : found.beyond;
    var name = el.tagName.toLowerCase() + '.' + (el.getAttribute('class') || '');
    if (list.length < 20) { list.push(name + ' reaches ' + Math.round(right) + ' px'); }
  });
  found.scrollWidth = doc.documentElement.scrollWidth;
  found.clientWidth = limit;
  document.getElementById('fit').textContent = JSON.stringify(found);
}
"""


def fit(page: Path, tmp_path: Path) -> dict:
    """How ``page`` fits a 1280 px window: scroll and viewport widths, elements past the viewport (``beyond``, ``boxed``)."""
    width, height = WINDOW
    wrapper = tmp_path / f"fit-{page.parent.name}-{page.stem}.html"
    wrapper.write_text(
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><script>{MEASURE}</script></head><body style="margin:0">'
        f'<pre id="fit">not measured</pre><iframe id="page" width="{width}" height="{height}" style="border:0;display:block" '
        f'onload="measure()" srcdoc="{html.escape(page.read_text(encoding="utf-8"), quote=True)}"></iframe></body></html>',
        encoding="utf-8",
    )
    args = [
        str(CHROMIUM),
        *HEADLESS,
        f"--user-data-dir={tmp_path / 'profile-fit'}",
        "--proxy-server=127.0.0.1:9",
        f"--window-size={width},{height}",
        "--run-all-compositor-stages-before-draw",
        "--virtual-time-budget=5000",
        "--dump-dom",
        wrapper.as_uri(),
    ]
    done = subprocess.run(args, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    found = re.search(r'<pre id="fit">(.*?)</pre>', done.stdout, re.DOTALL)
    assert found is not None and found.group(1) != "not measured", f"the page was not measured: {done.stdout[:500]}"
    return json.loads(html.unescape(found.group(1)))


def assert_fits(page: Path, tmp_path: Path) -> None:
    """The page does not scroll sideways at 1280 px and all its content is within the window (wrapped, not boxed)."""
    measured = fit(page, tmp_path)
    assert measured["scrollWidth"] <= measured["clientWidth"], f"{page.name} scrolls sideways at 1280 px: {measured}"
    assert measured["beyond"] == [], f"{page.name}: content past the right edge at 1280 px: {measured}"
    assert measured["boxed"] == [], f"{page.name}: content scrolled or clipped in its box at 1280 px, not wrapped: {measured}"


def report_page(tmp_path: Path, table: pd.DataFrame, money: list[str]) -> Path:
    """A report page with ``table`` through format_table, exported as econ report does."""
    output = nbformat.v4.new_output("display_data", data={"text/html": format_table(table, money=money).to_html()})
    cells = [nbformat.v4.new_markdown_cell("# Wide\n## A wide table"), nbformat.v4.new_code_cell(outputs=[output])]
    executed = tmp_path / f"table-{len(table.columns)}.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=cells), executed)
    page = executed.with_suffix(".html")
    page.write_text(export_html(executed, "base", {"headline": {"npv_usd": 1e9}}), encoding="utf-8")
    return page


@pytest.fixture(scope="module")
def published(published_reports: tuple[Path, int]) -> Path:
    """The reports of base and rent-only, published once for the session (tests/conftest.py); these tests open base's."""
    out, status = published_reports
    assert status == 0, "see the logs in " + str(out)
    return out


def check_page(page: Path, tmp_path: Path) -> str:
    dom, stderr, urls = open_in_browser(page, tmp_path / f"profile-{page.stem}")
    console = [line for line in stderr.splitlines() if ":CONSOLE" in line]
    assert not console, console
    fetched = [u for u in urls if u.startswith(("http:", "https:", "ws:", "wss:")) and not BROWSER_SERVICES.match(u)]
    assert not fetched, f"the page requested network resources: {fetched}"
    return dom


def test_index_opens_offline_and_links_every_report(published: Path, tmp_path: Path):
    dom = check_page(published / "index.html", tmp_path)
    reports = sorted((published / "base").glob("*.html"))
    assert reports
    for report in reports:
        assert f'href="base/{report.name}"' in dom
    assert 'class="status-failed"' not in dom


def test_the_claims_report_and_the_verdict_matrix_open_offline(published: Path, tmp_path: Path):
    ids = [f"C{i:02d}" for i in range(1, 24)]
    index = check_page(published / "index.html", tmp_path)
    matrix = re.search(r'<table class="econ-matrix">.*?</table>', index, re.DOTALL)
    assert matrix is not None, "no verdict matrix in the index"
    cells = re.findall(r'<a [^>]*href="base/07_claims\.html#(C\d\d)"', matrix.group(0))
    assert cells == ids  # one cell per (claim, scenario), each linking to its claim
    page = check_page(published / "base" / "07_claims.html", tmp_path)
    for claim_id in ids:
        assert page.count(f'id="{claim_id}"') == 1, claim_id  # every link of the matrix lands
    assert page.count('class="econ-verdict"') >= 2 * len(ids)  # a verdict in the summary and in each section


def test_reports_open_offline_with_their_charts_drawn(published: Path, tmp_path: Path):
    for report in sorted((published / "base").glob("*.html")):
        dom = check_page(report, tmp_path)
        assert "<svg" in dom and "viewBox" in dom  # parsed as SVG, not as unknown HTML elements
        marks = MARK_WITH_DATA.findall(dom)
        assert len(marks) >= 1, f"{report.name}: no chart marks with data in the rendered DOM"
        assert "NaN" not in " ".join(re.findall(r'aria-label="([^"]*axis[^"]*)"', dom)), f"{report.name}: an axis has no data"
        assert 'class="econ-footer"' in dom
        record = json.loads(report.with_name(report.stem + ".results.json").read_text())
        assert record["provenance"]["scenario"]["hash"] in dom
        toc = re.search(r'<nav class="econ-toc".*?</nav>', dom, re.DOTALL)
        assert toc is not None, f"{report.name}: no table of contents"
        ids = {html.unescape(i) for i in re.findall(r'\sid="([^"]*)"', dom)}
        links = [html.unescape(h) for h in re.findall(r'href="#([^"]*)"', toc.group(0))]
        assert links and not [h for h in links if h not in ids], f"{report.name}: contents links without a target"


def test_the_fit_check_fails_on_a_page_wider_than_the_window(tmp_path: Path):
    page = tmp_path / "wide.html"
    page.write_text('<!DOCTYPE html><html><body><table style="width:3000px"><tr><td>wide</td></tr></table></body></html>')
    measured = fit(page, tmp_path)
    assert measured["scrollWidth"] > 2900 > measured["clientWidth"]
    assert any(item.startswith("table.") for item in measured["beyond"])
    with pytest.raises(AssertionError, match="scrolls sideways"):
        assert_fits(page, tmp_path)


def test_a_wide_table_wraps_to_fit_a_report_page(tmp_path: Path):
    """Ten long-named money columns, a long identifier and a long path: the table wraps and fits."""
    wide = pd.DataFrame(
        {f"npv_cost_difference_of_strategy_{i}_against_rent_usd": [1.234e9 * (i + 1), -5.6e8] for i in range(10)},
        index=pd.Index(["sovereign_campus_expansion", "b"], name="site_identifier"),
    ).assign(source=["data/a_long_path/without/any/spaces/to/a/file_named_like_this.csv" * 2, "x"])
    page = report_page(tmp_path, wide, money=list(wide.columns[:10]))
    assert "econ-wide" in page.read_text() and "overflow-wrap: anywhere" in CSS
    assert_fits(page, tmp_path)


def test_a_table_wider_than_the_page_scrolls_in_its_own_box(tmp_path: Path):
    """40 numbers a row cannot wrap to 1280 px: the table scrolls inside its output box, the page does not."""
    page = report_page(tmp_path, pd.DataFrame({f"cost_{i}_usd": [1.234e9 * (i + 1)] for i in range(40)}), money=[])
    measured = fit(page, tmp_path)
    assert measured["scrollWidth"] <= measured["clientWidth"] and measured["beyond"] == [], measured
    assert any(item.startswith("table.econ-table") for item in measured["boxed"]), measured


def test_published_pages_fit_a_1280_px_window(published: Path, tmp_path: Path):
    pages = [published / "index.html", *sorted((published / "base").glob("*.html"))]
    assert len(pages) > 1
    for page in pages:
        assert_fits(page, tmp_path)
