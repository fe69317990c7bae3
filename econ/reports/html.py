"""Export an executed notebook to one self-contained, offline HTML report.

The page is nbconvert's JupyterLab page through the ``offline`` template (no scripts, no
widgets, charts inlined as SVG) without code cells or prompts, plus four things from the
run's ``results.json`` and the page itself: the title (notebook title and scenario), a banner
after the title cell with the summary and headline numbers, a table of contents after the
banner that links the page's section headings, and a provenance footer.

References
----------
.. [1] nbconvert documentation, "Customizing exporters" (``HTMLExporter``,
   ``exclude_input``, ``extra_template_basedirs``) and "Creating custom templates"
   (template inheritance, ``resources`` in templates).
.. [2] nbconvert source, ``nbconvert.filters.strings.add_anchor``: the ``id`` of a Markdown
   heading, which the table of contents links.
"""

from __future__ import annotations

import copy
import html
from collections.abc import Mapping
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import nbformat
from nbconvert import HTMLExporter

from econ.reports.display import format_value, headline_label

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates"
CSS = (TEMPLATE_DIR / "report.css").read_text(encoding="utf-8")
#: Marks in the banner where :func:`export_html` puts the table of contents, once the page's headings are known.
TOC_MARK = "<!-- econ-toc -->"


def notebook_title(nb: Any, default: str) -> str:
    """The text of the first Markdown ``# `` heading of ``nb``, else ``default``."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in str(cell.source).splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return default


def headline_table(headline: Mapping[str, Any]) -> str:
    """Headline numbers as a two-column HTML table: label in words, number formatted by the unit in its key.

    The key itself is the row's tooltip, so a reader can find the number in ``results.json``.

    Examples
    --------
    >>> headline_table({"p_build_cheaper": 0.731})
    '<table class="econ-headline"><tr title="p_build_cheaper"><td>Probability build is cheaper</td><td class="v">73.1 %</td></tr></table>'
    """
    rows = "".join(
        f'<tr title="{html.escape(k)}"><td>{html.escape(headline_label(k))}</td><td class="v">{html.escape(format_value(k, v))}</td></tr>'
        for k, v in headline.items()
    )
    return f'<table class="econ-headline">{rows}</table>' if rows else ""


class _Headings(HTMLParser):
    """Collects ``(level, id, text)`` of the ``<h2>`` and ``<h3>`` elements that have an id, without their ``¶`` links."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str, str]] = []
        self._open: tuple[int, str, list[str]] | None = None
        self._in_anchor = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag in ("h2", "h3") and attributes.get("id"):
            self._open = (int(tag[1]), str(attributes["id"]), [])
        elif tag == "a" and self._open is not None and "anchor-link" in (attributes.get("class") or "").split():
            self._in_anchor += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._in_anchor:
            self._in_anchor -= 1
        elif tag in ("h2", "h3") and self._open is not None:
            level, ident, text = self._open
            self.found.append((level, ident, " ".join("".join(text).split())))
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._open is not None and not self._in_anchor:
            self._open[2].append(data)


def headings(page: str) -> list[tuple[int, str, str]]:
    """The ``<h2>`` and ``<h3>`` headings of ``page`` that have an id: ``(level, id, text)`` in page order.

    nbconvert gives every Markdown heading, of a Markdown cell or of a Markdown output, the
    id of ``nbconvert.filters.strings.add_anchor`` [2]_ and a ``¶`` link to it; the text
    leaves that link out.

    Examples
    --------
    >>> headings('<h2 id="The-answer">The <em>answer</em><a class="anchor-link" href="#The-answer">¶</a></h2><h3>no id</h3>')
    [(2, 'The-answer', 'The answer')]
    """
    parser = _Headings()
    parser.feed(page)
    parser.close()
    return parser.found


def table_of_contents(found: list[tuple[int, str, str]]) -> str:
    r"""A ``<nav class="econ-toc">`` linking each heading of :func:`headings`; ``<h3>`` nested under the ``<h2>`` before it.

    Examples
    --------
    >>> print(table_of_contents([(2, "A", "First"), (3, "A.1", "Detail"), (2, "B", "Second")]).replace("<li>", "\n<li>"))
    <nav class="econ-toc" aria-label="Contents"><b>Contents</b><ol>
    <li><a href="#A">First</a><ol>
    <li><a href="#A.1">Detail</a></li></ol></li>
    <li><a href="#B">Second</a></li></ol></nav>
    >>> table_of_contents([])
    ''
    """
    if not found:
        return ""
    parts: list[str] = []
    nested = False
    for level, ident, text in found:
        link = f'<li><a href="#{html.escape(ident)}">{html.escape(text)}</a>'
        if level == 3 and parts and not nested:
            parts[-1] = parts[-1].removesuffix("</li>") + "<ol>"
            nested = True
        elif level == 2 and nested:
            parts.append("</ol></li>")
            nested = False
        parts.append(link + "</li>")
    if nested:
        parts.append("</ol></li>")
    return f'<nav class="econ-toc" aria-label="Contents"><b>Contents</b><ol>{"".join(parts)}</ol></nav>'


def banner(results: Mapping[str, Any], scenario: str) -> str:
    """The block shown under the title: scenario, time, summary sentence and headline numbers.

    It ends with :data:`TOC_MARK`, which :func:`export_html` replaces by the table of contents.
    """
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
    return f'<div class="econ-banner">{"".join(parts)}</div>{TOC_MARK}'


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
        The page: no code cells, no prompts, no ``<script src>``, charts as inline SVG, and
        after the banner a table of contents of the ``<h2>`` and ``<h3>`` headings.
    """
    nb = nbformat.read(executed, as_version=4)
    nb = copy.deepcopy(nb)
    nb.metadata.pop("widgets", None)  # widget state is for a widget manager; offline, a widget shows its text/html
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
    page = str(body)
    return page.replace(TOC_MARK, table_of_contents(headings(page)), 1)
