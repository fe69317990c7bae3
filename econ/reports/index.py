"""``reports/index.html``: every report on disk, its status and headline numbers, offline.

The index is rebuilt from the ``<scenario>/<notebook>.results.json`` files after each batch,
so it lists reports of earlier batches too (a scenario run last week stays listed until
its folder is removed). One table per scenario; a failed run shows its error and links
its executed notebook and log.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

from econ.reports.display import format_value
from econ.reports.files import atomic_write_text
from econ.reports.html import CSS
from econ.reports.provenance import RESULTS_NAME

INDEX_NAME = "index.html"


def collect(out: Path) -> dict[str, list[dict[str, Any]]]:
    """The run records under ``out``, by scenario folder, in notebook order."""
    found: dict[str, list[dict[str, Any]]] = {}
    for path in sorted(out.glob(f"*/*.{RESULTS_NAME}")):
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(record, dict) and isinstance(record.get("run"), dict):
            found.setdefault(path.parent.name, []).append(record)
    return found


def _link(folder: str, name: str | None, label: str) -> str:
    if not name:
        return ""
    return f'<a href="{html.escape(folder)}/{html.escape(name)}">{label}</a>'


def _row(folder: str, record: dict[str, Any]) -> str:
    run = record["run"]
    ok = run.get("status") == "ok"
    esc = html.escape
    status = '<span class="status-ok">ok</span>' if ok else f'<span class="status-failed">failed</span><br>{esc(str(run.get("error")))}'
    headline = "<br>".join(
        f"{esc(k.replace('_', ' '))}: <b>{esc(format_value(k, v))}</b>" for k, v in (record.get("headline") or {}).items()
    )
    title = esc(str(run.get("title") or run.get("notebook")))
    name = _link(folder, run.get("html"), title) if ok else title
    links = " · ".join(
        x
        for x in (
            _link(folder, run.get("html"), "report"),
            _link(folder, run.get("executed"), "notebook"),
            _link(folder, run.get("log"), "log"),
        )
        if x
    )
    sc = (record.get("provenance") or {}).get("scenario", {})
    overrides = ", ".join(f"{esc(k)} = {esc(repr(v))}" for k, v in (sc.get("overrides") or {}).items())
    when = esc(str((record.get("provenance") or {}).get("time_utc") or run.get("started_utc") or ""))
    return (
        f"<tr><td>{name}<br><small>{esc(str(run.get('notebook')))}</small></td><td>{status}</td>"
        f"<td>{headline}</td><td>{overrides or '–'}</td><td class='num'>{esc(str(run.get('seconds', '')))} s<br><small>{when}</small></td>"
        f"<td>{links}</td></tr>"
    )


def render_index(runs: dict[str, list[dict[str, Any]]]) -> str:
    """The index page for the records of :func:`collect`."""
    sections = []
    for folder, records in sorted(runs.items()):
        failed = sum(r["run"].get("status") != "ok" for r in records)
        hashes = {str((r.get("provenance") or {}).get("scenario", {}).get("hash", "")) for r in records} - {""}
        rows = "".join(_row(folder, r) for r in records)
        note = f" · {failed} failed" if failed else ""
        sections.append(
            f"<h2>Scenario {html.escape(folder)}</h2>"
            f"<p><small>{len(records)} report(s){note} · scenario hash {html.escape(', '.join(sorted(hashes)) or '–')}</small></p>"
            '<table class="econ-index"><thead><tr><th>report</th><th>status</th><th>headline</th><th>overrides</th>'
            f"<th>run time</th><th>files</th></tr></thead><tbody>{rows}</tbody></table>"
        )
    body = "".join(sections) or "<p>No reports yet: run <code>econ report</code>.</p>"
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1.0">'
        f"<title>econ reports</title><style>{CSS}</style></head>"
        f"<body><main><h1>econ reports</h1>{body}</main></body></html>\n"
    )


def write_index(out: Path) -> Path:
    """Rebuild ``<out>/index.html`` atomically from the records on disk.

    Parameters
    ----------
    out : Path
        The reports folder (``econ report --out``); run records are ``<out>/<scenario>/*results.json``.

    Returns
    -------
    Path
        The index written.

    Examples
    --------
    >>> import tempfile
    >>> from econ.reports import write_results
    >>> out = Path(tempfile.mkdtemp())
    >>> _ = write_results(out / "base", "base", {"npv_cost_usd": 1.97e11}, seed=1)
    >>> write_index(out).name
    'index.html'
    """
    return atomic_write_text(out / INDEX_NAME, render_index(collect(out)))
