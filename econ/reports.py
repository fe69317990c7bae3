"""Run the project's notebooks through papermill and publish them as offline HTML.

This is the minimal publishing path that ``make report`` uses: each notebook in
``notebooks/`` is executed with the project's ``econ`` kernel into ``reports/`` and exported
to HTML without code cells. Files are written to a temporary name and renamed, so a report
is either complete or absent.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import nbformat
import papermill
from nbconvert import HTMLExporter

KERNEL_NAME = "econ"
TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
NOTEBOOK_DIR = Path(__file__).resolve().parent.parent / "notebooks"


def _atomic_write(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder, then rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def run_notebook(notebook: Path, out_dir: Path, parameters: Mapping[str, Any] | None = None) -> Path:
    """Execute one notebook with papermill and export it to self-contained HTML.

    Parameters
    ----------
    notebook : Path
        Source notebook (committed without outputs, with a cell tagged ``parameters``).
    out_dir : Path
        Folder for the executed notebook and its HTML page.
    parameters : mapping, optional
        Values injected after the ``parameters`` cell.

    Returns
    -------
    Path
        The HTML page written.

    Raises
    ------
    papermill.PapermillExecutionError
        If a cell raises; the executed notebook with the traceback is still saved.

    References
    ----------
    .. [1] papermill documentation, "Parameterize" and "Execute" (``execute_notebook`` with
       an explicit ``kernel_name``); nbconvert ``HTMLExporter(exclude_input=True)``.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    executed = out_dir / notebook.name
    with tempfile.TemporaryDirectory(dir=out_dir) as scratch:
        scratch_nb = Path(scratch) / notebook.name
        try:
            papermill.execute_notebook(
                str(notebook),
                str(scratch_nb),
                parameters=dict(parameters or {}),
                kernel_name=KERNEL_NAME,
                progress_bar=False,
                cwd=str(notebook.parent),
            )
        finally:
            if scratch_nb.exists():
                os.replace(scratch_nb, executed)
    exporter = HTMLExporter(
        template_name="offline",
        extra_template_basedirs=[str(TEMPLATE_DIR)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    body, _ = exporter.from_notebook_node(nbformat.read(executed, as_version=4))
    html = out_dir / notebook.with_suffix(".html").name
    _atomic_write(html, body)
    return html


def main(argv: list[str] | None = None) -> int:
    """Run every notebook in ``notebooks/`` into the folder given (default ``reports``)."""
    args = sys.argv[1:] if argv is None else argv
    out_dir = Path(args[0] if args else "reports")
    failures = []
    for notebook in sorted(NOTEBOOK_DIR.glob("*.ipynb")):
        try:
            html = run_notebook(notebook, out_dir)
            print(f"ok      {notebook.name} -> {html}")
        except papermill.PapermillExecutionError as err:
            failures.append(notebook.name)
            print(f"FAILED  {notebook.name}: {err.ename}: {err.evalue}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
