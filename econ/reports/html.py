"""Export an executed notebook to one self-contained, offline HTML report.

The page is nbconvert's JupyterLab page through the ``offline`` template (no scripts, no
widgets, charts inlined as SVG) without code cells or prompts, plus three things from the
run's ``results.json``: the title (notebook title and scenario), a banner after the title
cell with the summary and headline numbers, and a provenance footer.

References
----------
.. [1] nbconvert documentation, "Customizing exporters" (``HTMLExporter``,
   ``exclude_input``, ``extra_template_basedirs``) and "Creating custom templates"
   (template inheritance, ``resources`` in templates).
"""

from __future__ import annotations

import copy
import html
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import nbformat
from nbconvert import HTMLExporter

from econ.reports.display import format_value

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates"
CSS = (TEMPLATE_DIR / "report.css").read_text(encoding="utf-8")


def notebook_title(nb: Any, default: str) -> str:
    """The text of the first Markdown ``# `` heading of ``nb``, else ``default``."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in str(cell.source).splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return default


def headline_table(headline: Mapping[str, Any]) -> str:
    """Headline numbers as a two-column HTML table, each formatted by the unit in its name."""
    rows = "".join(
        f'<tr><td>{html.escape(_label(k))}</td><td class="v">{html.escape(format_value(k, v))}</td></tr>' for k, v in headline.items()
    )
    return f'<table class="econ-headline">{rows}</table>' if rows else ""


def _label(key: str) -> str:
    """``npv_usd`` -> ``npv usd``; keys stay recognisable in the index and the banner."""
    return key.replace("_", " ")


def banner(results: Mapping[str, Any], scenario: str) -> str:
    """The block shown under the title: scenario, time, summary sentence and headline numbers."""
    prov = results.get("provenance", {})
    sc = prov.get("scenario", {})
    overrides = sc.get("overrides") or {}
    meta = f"Scenario <b>{html.escape(scenario)}</b> (hash <code>{html.escape(str(sc.get('hash', '?')))}</code>)"
    if overrides:
        meta += " with overrides " + ", ".join(f"<code>{html.escape(k)} = {html.escape(repr(v))}</code>" for k, v in overrides.items())
    meta += f" · run {html.escape(str(prov.get('time_utc', '?')))}"
    summary = results.get("summary")
    parts = [f'<div class="econ-meta">{meta}</div>']
    if summary:
        parts.append(f'<div class="econ-summary">{html.escape(str(summary))}</div>')
    parts.append(headline_table(results.get("headline", {})))
    return f'<div class="econ-banner">{"".join(parts)}</div>'


def footer(results: Mapping[str, Any]) -> str:
    """The provenance footer: scenario hash and overrides, data file hashes, code, seed, time."""
    prov = results.get("provenance", {})
    sc = prov.get("scenario", {})
    esc = html.escape
    overrides = sc.get("overrides") or {}
    over = ", ".join(f"{esc(k)} = {esc(repr(v))}" for k, v in overrides.items()) or "none"
    dirty = prov.get("dirty")
    revision = esc(str(prov.get("revision", "?"))) + (" (with uncommitted changes)" if dirty else "")
    rows = [
        ("scenario", f"{esc(str(sc.get('name', '?')))} · hash {esc(str(sc.get('hash', '?')))}"),
        ("overrides", over),
        ("scenario files", esc(", ".join(sc.get("files", [])))),
        ("econ", f"{esc(str(prov.get('econ_version', '?')))} · revision {revision} · Python {esc(str(prov.get('python', '?')))}"),
        ("seed", esc(str(prov.get("seed")))),
        ("ran at", esc(str(prov.get("time_utc", "?")))),
    ]
    table = "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in rows)
    files = "".join(f"<tr><td>{esc(name)}</td><td>{esc(digest)}</td></tr>" for name, digest in prov.get("data_files", {}).items())
    return (
        '<footer class="econ-footer"><b>Provenance</b> (the same inputs give the same numbers)'
        f"<table>{table}</table>"
        f"<details><summary>SHA-256 of the {len(prov.get('data_files', {}))} data files</summary><table>{files}</table></details>"
        "</footer>"
    )


def export_html(executed: Path, scenario: str, results: Mapping[str, Any] | None) -> str:
    """The offline HTML page of an executed notebook.

    Parameters
    ----------
    executed : Path
        The executed notebook (papermill output).
    scenario : str
        Scenario name, shown in the title and the banner.
    results : mapping, optional
        The run's ``results.json`` (headline numbers and provenance); without it the page
        has no banner and no footer.

    Returns
    -------
    str
        The page: no code cells, no prompts, no ``<script src>``, charts as inline SVG.
    """
    nb = nbformat.read(executed, as_version=4)
    nb = copy.deepcopy(nb)
    title = notebook_title(nb, executed.stem)
    nb.metadata["title"] = f"{title} — {scenario}"
    resources: dict[str, Any] = {"econ": {"css": CSS, "footer": footer(results) if results else ""}}
    if results:
        cell = nbformat.v4.new_code_cell(
            source="",
            outputs=[nbformat.v4.new_output("display_data", data={"text/html": banner(results, scenario)})],
        )
        first = next((i for i, c in enumerate(nb.cells) if c.cell_type == "markdown"), -1)
        nb.cells.insert(first + 1, cell)
    exporter = HTMLExporter(
        template_name="offline",
        extra_template_basedirs=[str(TEMPLATE_DIR)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    return str(body)
