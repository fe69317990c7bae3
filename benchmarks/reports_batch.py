"""Wall time of ``econ report`` against papermill's own CLI run once per notebook in sequence.

Run from the project root: ``.venv/bin/python benchmarks/reports_batch.py`` (part of
``make bench``; about 5 minutes on 2 cores). Cases:

1. the full base-scenario report run (``make report``: every notebook, default ``--jobs``);
2. a 6-scenario batch with ``--jobs 2``: the four shipped scenarios plus two variants of
   base written to a temporary folder (a deeper commitment discount, a higher discount rate).

The baseline runs ``papermill NOTEBOOK OUT -k econ -p scenario S -p output_dir D`` for each
(scenario, notebook) pair one after another: execution only, no HTML, no index, no checks,
which is what an analyst scripting papermill would do. ``econ report`` does more per run
(parameter checks, HTML export with inline SVG, results.json, index) and runs in parallel.
Prints a Markdown table; ratio = econ report time / papermill CLI time (below 1: faster).
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from econ.assumptions import SCENARIO_DIR
from econ.reports import discover_notebooks

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SHIPPED = ["base", "rent-only", "build", "sovereign"]
VARIANTS = {
    "base-deep-discount": "cloud:\n  commit_discount: 0.45\n",
    "base-high-rate": "finance:\n  discount_rate_annual: 0.14\n",
}


def timed(args: list[str]) -> float:
    """Wall time [s] of one command; raises if it fails."""
    t0 = time.perf_counter()
    subprocess.run(args, check=True, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t0


def econ_report(scenarios: list[str], out: Path, jobs: int | None) -> float:
    args = [sys.executable, "-m", "econ", "report", "--out", str(out)]
    for scenario in scenarios:
        args += ["--scenario", scenario]
    if jobs is not None:
        args += ["--jobs", str(jobs)]
    return timed(args)


def papermill_sequential(scenarios: list[str], out: Path) -> float:
    total = 0.0
    for scenario in scenarios:
        for notebook in discover_notebooks():
            folder = out / Path(scenario).stem / notebook.stem
            folder.mkdir(parents=True, exist_ok=True)
            total += timed(
                [
                    str(BIN / "papermill"),
                    str(notebook),
                    str(folder / notebook.name),
                    "-k",
                    "econ",
                    "--cwd",
                    str(folder),
                    "-p",
                    "scenario",
                    scenario,
                    "-p",
                    "output_dir",
                    str(folder),
                ]
            )
    return total


def main() -> None:
    notebooks = discover_notebooks()
    with tempfile.TemporaryDirectory(prefix="econ-bench-") as tmp:
        work = Path(tmp)
        variants = []
        for name, body in VARIANTS.items():
            path = work / f"{name}.yaml"
            path.write_text(f"name: {name}\nextends: {SCENARIO_DIR / 'base.yaml'}\ndescription: benchmark variant\n{body}")
            variants.append(str(path))
        six = SHIPPED + variants
        rows = []
        ours = econ_report(["base"], work / "econ-base", None)
        theirs = papermill_sequential(["base"], work / "pm-base")
        rows.append((f"base scenario, {len(notebooks)} notebooks, --jobs {os.cpu_count()} (make report)", ours, theirs))
        ours = econ_report(six, work / "econ-six", 2)
        theirs = papermill_sequential(six, work / "pm-six")
        rows.append((f"6 scenarios x {len(notebooks)} notebooks = {6 * len(notebooks)} runs, --jobs 2", ours, theirs))
    names = ", ".join(n.stem for n in notebooks)
    print(f"Python {platform.python_version()}, {os.cpu_count()} cores, {platform.machine()}; notebooks: {names}")
    print()
    print("| case | econ report [s] | papermill CLI in sequence [s] | ratio |")
    print("|---|---:|---:|---:|")
    for label, ours, theirs in rows:
        print(f"| {label} | {ours:.1f} | {theirs:.1f} | {ours / theirs:.2f} |")


if __name__ == "__main__":
    main()
