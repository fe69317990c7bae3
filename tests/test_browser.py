"""A real headless browser opens the published index and reports from disk, with networking off.

Chromium (Debian package ``chromium``; ``.ci/run`` installs it) loads each page from a
``file://`` URL behind a dead proxy, dumps the DOM after load, logs the console to stderr and
records every network request in a net log. The test checks that the charts were drawn
(Vega marks with path data in the live DOM), that the console is clean and that the page
requested nothing from the network (Chromium's own background services excluded).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from econ import cli

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


def open_in_browser(page: Path, profile: Path) -> tuple[str, str, list[str]]:
    """DOM after load, browser stderr, and every URL requested while loading ``page``."""
    netlog = profile.with_suffix(".netlog.json")
    args = [
        str(CHROMIUM),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
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


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("browser") / "reports"
    assert cli.main(["report", "--scenario", "base", "--out", str(out)]) == 0
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
