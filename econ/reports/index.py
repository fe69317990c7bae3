"""``reports/index.html``: every report on disk, its status and headline numbers, offline.

The index is rebuilt from the ``<folder>/<notebook>.results.json`` files after each batch,
so it lists reports of earlier batches too (a scenario run last week stays listed until
its folder is removed). One section per output folder (a scenario, or a scenario run with
``-p`` values or ``--out-name``), headed by the scenario, its overrides and the notebook
parameters; a failed run shows its error and links its executed notebook and log.

When any record carries the verdicts on the claims of the discussion (``claims`` in
``results.json``, see :func:`econ.reports.write_results`), the page opens with a verdict
matrix: one row per claim, one column per folder with such a record, one cell per (claim,
folder) linking the claim's section in that folder's report.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

from econ.reports.display import format_value, headline_label
from econ.reports.files import atomic_write_text
from econ.reports.html import CSS
from econ.reports.provenance import RESULTS_NAME, VERDICTS

INDEX_NAME = "index.html"
#: Text of a matrix cell whose folder's record has no verdict for that claim.
MISSING = "missing"
#: Run parameters shown apart (the scenario and its overrides) or never (the output folder).
RUNNER_PARAMETERS = ("scenario", "overrides", "output_dir")
#: Characters of a claim's text shown in its matrix row (all of it is the row's tooltip).
CLAIM_SHOWN = 70


def collect(out: Path) -> dict[str, list[dict[str, Any]]]:
    """The run records under ``out``, by output folder, in notebook order."""
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


def _assignments(values: Mapping[str, Any]) -> str:
    return ", ".join(f"{html.escape(str(k))} = {html.escape(repr(v))}" for k, v in values.items())


def overrides_of(record: Mapping[str, Any], given: bool = False) -> dict[str, Any]:
    """The scenario overrides of a run: those the report used, or those given with ``-p``.

    Parameters
    ----------
    record : mapping
        A run record (``results.json``).
    given : bool
        False: the overrides of the scenario the report used (its provenance), which include
        any a notebook sets itself. True: those the runner passed from ``-p`` (its
        parameters). Each falls back on the other when absent.

    Returns
    -------
    dict
        Overrides by dotted key; empty if there are none.

    Examples
    --------
    >>> record = {"run": {"parameters": {"overrides": {}}}, "provenance": {"scenario": {"overrides": {"demand.load_seed": 7}}}}
    >>> overrides_of(record), overrides_of(record, given=True)
    ({'demand.load_seed': 7}, {})
    """
    used = ((record.get("provenance") or {}).get("scenario") or {}).get("overrides")
    passed = ((record.get("run") or {}).get("parameters") or {}).get("overrides")
    first, second = (passed, used) if given else (used, passed)
    found = first if first is not None else second
    return dict(found) if isinstance(found, Mapping) else {}


def parameters_of(record: Mapping[str, Any]) -> dict[str, Any]:
    """The notebook parameters of a run, without those the runner sets (scenario, overrides, output folder).

    Examples
    --------
    >>> parameters_of({"run": {"parameters": {"scenario": "base", "overrides": {}, "seed": 7}}})
    {'seed': 7}
    """
    found = (record.get("run") or {}).get("parameters") or {}
    return {k: v for k, v in found.items() if k not in RUNNER_PARAMETERS} if isinstance(found, Mapping) else {}


def _settings(record: Mapping[str, Any]) -> str:
    """``overrides … · parameters …`` given to a run with ``-p``, or ``""`` for a run without ``-p`` values."""
    parts = []
    if overrides := overrides_of(record, given=True):
        parts.append(f"overrides {_assignments(overrides)}")
    if parameters := parameters_of(record):
        parts.append(f"parameters {_assignments(parameters)}")
    return " · ".join(parts)


def _row(folder: str, record: dict[str, Any]) -> str:
    run = record["run"]
    ok = run.get("status") == "ok"
    esc = html.escape
    status = '<span class="status-ok">ok</span>' if ok else f'<span class="status-failed">failed</span><br>{esc(str(run.get("error")))}'
    headline = "<br>".join(
        f'<span title="{esc(k)}">{esc(headline_label(k))}</span>: <b>{esc(format_value(k, v))}</b>'
        for k, v in (record.get("headline") or {}).items()
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
    overrides = _assignments(overrides_of(record))
    when = esc(str((record.get("provenance") or {}).get("time_utc") or run.get("started_utc") or ""))
    return (
        f"<tr><td>{name}<br><small>{esc(str(run.get('notebook')))}</small></td><td>{status}</td>"
        f"<td>{headline}</td><td>{overrides or '–'}</td><td class='num'>{esc(str(run.get('seconds', '')))} s<br><small>{when}</small></td>"
        f"<td>{links}</td></tr>"
    )


def _scenario_of(folder: str, records: list[dict[str, Any]]) -> str:
    names = {str(r["run"].get("scenario") or (r.get("provenance") or {}).get("scenario", {}).get("name") or "") for r in records} - {""}
    return ", ".join(sorted(names)) or folder


def _section(folder: str, records: list[dict[str, Any]]) -> str:
    esc = html.escape
    failed = sum(r["run"].get("status") != "ok" for r in records)
    hashes = {str((r.get("provenance") or {}).get("scenario", {}).get("hash", "")) for r in records} - {""}
    scenario = _scenario_of(folder, records)
    settings = sorted({_settings(r) for r in records})
    if settings == [""]:
        shown = "no overrides or parameters"
    elif len(settings) == 1:
        shown = settings[0]
    else:
        shown = "overrides and parameters differ by report (see each row)"
    where = "" if folder == scenario else f" <small>in {esc(folder)}/</small>"
    note = f" · {failed} failed" if failed else ""
    rows = "".join(_row(folder, r) for r in records)
    return (
        f'<h2 id="folder-{esc(folder)}">Scenario {esc(scenario)}{where}</h2>'
        f'<p class="econ-folder-meta">{shown}<br>'
        f"<small>{len(records)} report(s){note} · scenario hash {esc(', '.join(sorted(hashes)) or '–')}</small></p>"
        '<table class="econ-index"><thead><tr><th>report</th><th>status</th><th>headline</th><th>overrides</th>'
        f"<th>run time</th><th>files</th></tr></thead><tbody>{rows}</tbody></table>"
    )


def claims_by_folder(runs: Mapping[str, list[dict[str, Any]]]) -> dict[str, dict[str, tuple[dict[str, Any], dict[str, Any]]]]:
    """For each folder with a record that carries ``claims``: claim id to (claim, record), first record first.

    Claims that are not mappings with a text ``id`` are left out, so that a damaged record
    cannot break the index.

    Examples
    --------
    >>> record = {"run": {"html": "07.html"}, "claims": [{"id": "C05", "verdict": "depends"}, "garbage"]}
    >>> found = claims_by_folder({"base": [record], "build": [{"run": {}}]})
    >>> list(found), list(found["base"])
    (['base'], ['C05'])
    """
    found: dict[str, dict[str, tuple[dict[str, Any], dict[str, Any]]]] = {}
    for folder, records in sorted(runs.items()):
        for record in records:
            claims = record.get("claims")
            if not isinstance(claims, list):
                continue
            column = found.setdefault(folder, {})
            for claim in claims:
                if isinstance(claim, dict) and isinstance(claim.get("id"), str):
                    column.setdefault(claim["id"], (claim, record))
    return found


def _claim_order(claim_id: str) -> tuple[str, int, str]:
    """C2 before C10: letters, then the number, then the id."""
    match = re.fullmatch(r"([A-Za-z]*)(\d+)(.*)", claim_id)
    return (match.group(1), int(match.group(2)), claim_id) if match else (claim_id, -1, claim_id)


def _verdict_class(verdict: str) -> str:
    return "verdict-" + verdict.replace(" ", "-") if verdict in VERDICTS else "verdict-missing"


def _cell(folder: str, entry: tuple[dict[str, Any], dict[str, Any]] | None) -> str:
    esc = html.escape
    if entry is None:
        return f'<td class="verdict {_verdict_class(MISSING)}" title="no verdict for this claim in {esc(folder)}/">{MISSING}</td>'
    claim, record = entry
    verdict = str(claim.get("verdict", ""))
    shown = esc(verdict) if verdict in VERDICTS else f"{esc(verdict) or MISSING} (not a verdict)"
    value = str(claim.get("value") or "")
    text = shown + (f"<br><small>{esc(value)}</small>" if value else "")
    page = (record.get("run") or {}).get("html")
    if page:
        anchor = str(claim.get("anchor") or "")
        href = f"{quote(folder)}/{quote(str(page))}" + (f"#{quote(anchor, safe='')}" if anchor else "")
        text = f'<a href="{esc(href)}">{text}</a>'
    flip = str(claim.get("flip") or "")
    tip = f' title="flips: {esc(flip)}"' if flip else ""
    return f'<td class="verdict {_verdict_class(verdict)}"{tip}>{text}</td>'


def _column_head(folder: str, records: list[dict[str, Any]]) -> str:
    """The folder, its overrides and parameters, and a warning if the run that judged the claims failed."""
    record = next(r for r in records if isinstance(r.get("claims"), list))
    failed = (record.get("run") or {}).get("status") != "ok"
    warning = '<br><small class="status-failed">run failed</small>' if failed else ""
    settings = _settings(record) or "no overrides"
    return f'<th class="folder" scope="col">{html.escape(folder)}<br><small>{settings}</small>{warning}</th>'


def _answered(column: Mapping[str, tuple[dict[str, Any], dict[str, Any]]]) -> int:
    """Claims of a column with a verdict other than "not evaluated"."""
    return sum(claim.get("verdict") in VERDICTS and claim.get("verdict") != "not evaluated" for claim, _ in column.values())


def _short(text: str) -> str:
    if len(text) <= CLAIM_SHOWN:
        return text
    return text[:CLAIM_SHOWN].rsplit(" ", 1)[0].rstrip(",.;:") + "…"


def verdict_matrix(runs: Mapping[str, list[dict[str, Any]]]) -> str:
    """The verdict matrix of the index, ``""`` when no record carries ``claims``.

    Parameters
    ----------
    runs : mapping of str to list of dict
        Run records by folder (:func:`collect`).

    Returns
    -------
    str
        A heading, a legend and a table: one row per claim id (in number order, the claim's
        text as the row's tooltip, its start shown), one column per folder whose records carry
        ``claims`` (headed by the folder, its overrides and parameters), exactly one cell per
        (claim, folder): the verdict, coloured by class ``verdict-<verdict>`` and linking
        ``<folder>/<report>#<anchor>``, or ``missing`` where that folder has no verdict for
        the claim; a last row counts the claims answered (a verdict other than "not
        evaluated") per folder.

    Examples
    --------
    >>> claim = {"id": "C01", "verdict": "supported", "value": "9 sites", "flip": "", "anchor": "C01", "claim": "Eight to ten sites."}
    >>> page = verdict_matrix({"base": [{"run": {"html": "07_claims.html"}, "claims": [claim]}]})
    >>> 'href="base/07_claims.html#C01"' in page, page.count('class="verdict verdict-supported"')
    (True, 1)
    """
    columns = claims_by_folder(runs)
    if not columns:
        return ""
    esc = html.escape
    ids = sorted({claim_id for column in columns.values() for claim_id in column}, key=_claim_order)
    heads = "".join(_column_head(folder, runs[folder]) for folder in columns)
    rows = []
    for claim_id in ids:
        text = next((str(c[claim_id][0].get("claim") or "") for c in columns.values() if claim_id in c), "")
        label = f'<th class="claim" scope="row" title="{esc(text)}"><b>{esc(claim_id)}</b> <small>{esc(_short(text))}</small></th>'
        rows.append(f"<tr>{label}{''.join(_cell(folder, column.get(claim_id)) for folder, column in columns.items())}</tr>")
    answered = "".join(f"<td>{_answered(column)} of {len(ids)}</td>" for column in columns.values())
    legend = "".join(f'<span class="{_verdict_class(v)}">{v}</span>' for v in (*VERDICTS, MISSING))
    return (
        '<h2 id="verdicts">Verdicts on the claims</h2>'
        f'<p class="econ-legend">{legend}</p>'
        '<div class="econ-scroll"><table class="econ-matrix">'
        f'<thead><tr><th scope="col">claim</th>{heads}</tr></thead><tbody>{"".join(rows)}</tbody>'
        f'<tfoot><tr><th scope="row">answered</th>{answered}</tr></tfoot></table></div>'
    )


def render_index(runs: dict[str, list[dict[str, Any]]]) -> str:
    """The index page for the records of :func:`collect`: the verdict matrix if any, then one section per folder."""
    sections = [_section(folder, records) for folder, records in sorted(runs.items())]
    body = verdict_matrix(runs) + ("".join(sections) or "<p>No reports yet: run <code>econ report</code>.</p>")
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
        The reports folder (``econ report --out``); run records are ``<out>/<folder>/*results.json``.

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
