"""The ``econ`` command: ``econ report`` publishes reports, ``econ scenarios`` shows the inputs, ``econ export`` writes files.

``econ report`` checks everything before it runs anything (notebook and scenario names,
every ``-p`` key and value), then runs each (scenario, notebook) pair through papermill in
parallel (worker processes, or tasks on a Dask cluster with ``--dask`` or ``--scheduler``),
prints one line per finished run, rebuilds ``<out>/index.html`` and ends with status 0 if every
run succeeded, 1 if any failed (with a summary of what and why), 2 for a usage error, 3 if the
Dask scheduler does not answer and 130 if interrupted.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path
from types import FrameType
from typing import Any

import econ

EPILOG_REPORT = """\
-p values are parsed as YAML: 36, 0.25, 5e10, true, text, "quoted text", [1, 2], {a: 1}.
A key that is a parameter of a selected notebook is passed to the notebooks that define
it, converted to the type of its default; any other key must be a scenario key (see
`econ scenarios base`) and goes to every run in the notebook's `overrides` parameter.
`scenario`, `overrides` and `output_dir` are set by the runner and cannot be given.

Outputs, per run, in OUT/FOLDER/: <notebook>.html (the report), <notebook>.ipynb
(executed), <notebook>.results.json (headline numbers, provenance, run status) and
logs/<notebook>.log; OUT/index.html links them all, with a matrix of the verdicts on the
claims when a notebook wrote them. FOLDER is the scenario's name; with -p values it is
<scenario>--<hash>, the hash (8 hex digits) of the -p values, so that runs with other
values do not replace each other and a rerun with the same values replaces its own;
--out-name NAME chooses FOLDER (one scenario only).

examples:
  econ report                                   base scenario, every notebook
  econ report --scenario base --scenario build --jobs 2
  econ report --notebook 01 -p seed=7 -p cloud.commit_discount_level=0.3
  econ report -n 01 -p cloud.commit_discount_level=0.5 --out-name base-deep-discount
"""
#: A folder name for --out-name: letters, digits, '.', '_' and '-', starting with a letter or digit.
OUT_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        msg = f"must be a whole number of processes >= 1, got {text!r}"
        raise argparse.ArgumentTypeError(msg)
    return value


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``econ`` and its subcommands."""
    parser = argparse.ArgumentParser(
        prog="econ",
        description="Build-versus-rent economics for AI compute: publish reports and inspect scenarios.",
        epilog="Run `econ COMMAND --help` for the options of each command.",
    )
    parser.add_argument("--version", action="version", version=f"econ {econ.__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    report = sub.add_parser(
        "report",
        help="run the notebooks through papermill into offline HTML reports",
        description="Run each (scenario, notebook) pair through papermill with the project's kernel and publish "
        "self-contained offline HTML reports with provenance, in parallel.",
        epilog=EPILOG_REPORT,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    report.add_argument(
        "--scenario",
        "-s",
        action="append",
        metavar="NAME",
        help="scenario name (see `econ scenarios`) or YAML file; repeat for several; `all` for every shipped scenario (default: base)",
    )
    report.add_argument(
        "--notebook",
        "-n",
        action="append",
        metavar="NAME",
        help="notebook to run, by file name, stem or unique prefix (e.g. 01); repeat for several (default: every notebook)",
    )
    report.add_argument(
        "-p",
        "--param",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="notebook parameter or scenario override, checked before anything runs; repeatable (see below)",
    )
    report.add_argument(
        "--jobs",
        "-j",
        type=_positive_int,
        default=os.cpu_count() or 1,
        metavar="N",
        help="runs in parallel, one kernel each (default: the number of cores, %(default)s)",
    )
    where = report.add_mutually_exclusive_group()
    where.add_argument(
        "--dask", action="store_true", help="run each notebook as a task on a local Dask cluster of --jobs workers (docs/scale.md)"
    )
    where.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        default=None,
        help="run each notebook as a task on the Dask scheduler at ADDRESS, e.g. tcp://10.0.0.5:8786 (docs/scale.md)",
    )
    report.add_argument("--out", "-o", type=Path, default=Path("reports"), metavar="DIR", help="output folder (default: %(default)s)")
    report.add_argument(
        "--out-name",
        metavar="NAME",
        default=None,
        help="name of the run's folder in DIR, for one scenario (default: the scenario's name, plus a hash of the -p values if any)",
    )
    report.add_argument(
        "--notebook-dir",
        type=Path,
        default=None,
        metavar="DIR",
        help="folder of source notebooks (default: the project's notebooks/)",
    )

    scenarios = sub.add_parser(
        "scenarios",
        help="list the scenarios, or show one resolved with units and sources",
        description="Without NAME: list the shipped scenarios. With NAME: print its resolved inputs (value, unit, source) "
        "and hash, after any -p overrides.",
    )
    scenarios.add_argument("name", nargs="?", metavar="NAME", help="scenario name or YAML file to show")
    scenarios.add_argument("-p", "--param", action="append", default=[], metavar="KEY=VALUE", help="override a scenario key (YAML value)")
    scenarios.add_argument("--keys", metavar="PREFIX", help="only keys starting with PREFIX (e.g. cloud.)")

    export = sub.add_parser(
        "export",
        help="write a scenario to a workbook with live formulas, or its tables to Parquet or CSV",
        description="xlsx: one workbook per scenario, the cash flows as values and the financial layer (discounting, tax, "
        "NPV, IRR, payback, unit cost) as formulas over them and the Inputs sheet (docs/export.md). parquet, csv: the "
        "monthly cash flows or the Monte Carlo draws as a tidy table with units in column names.",
        epilog="examples:\n  econ export xlsx -s base -o base.xlsx\n  econ export parquet -s base --table draws --draws 2000 --seed 1 "
        "-o draws.parquet\n  econ export csv -s build -p finance.discount_rate_annual=0.08 -o flows.csv --force",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    export.add_argument("format", choices=("xlsx", "parquet", "csv"), help="file format")
    export.add_argument("--scenario", "-s", default="base", metavar="NAME", help="scenario name or YAML file (default: %(default)s)")
    export.add_argument("-p", "--param", action="append", default=[], metavar="KEY=VALUE", help="override a scenario key (YAML value)")
    export.add_argument("--out", "-o", type=Path, required=True, metavar="FILE", help="file to write (its folder must exist)")
    export.add_argument("--force", action="store_true", help="replace FILE if it exists")
    export.add_argument(
        "--table",
        choices=("cashflows", "draws"),
        default="cashflows",
        help="parquet and csv: monthly cash flows of every strategy or Monte Carlo draws (default: %(default)s)",
    )
    export.add_argument(
        "--draws", type=_positive_int, default=1000, metavar="N", help="Monte Carlo draws for --table draws (default: %(default)s)"
    )
    export.add_argument("--seed", type=int, default=0, help="random seed for --table draws (default: %(default)s)")
    return parser


class UsageError(Exception):
    """A problem with the command line, found before anything runs."""


def _select_notebooks(available: Sequence[Path], wanted: Sequence[str] | None) -> list[Path]:
    from econ.assumptions.errors import suggest

    if not available:
        msg = "no notebooks found"
        raise UsageError(msg)
    if not wanted:
        return list(available)
    chosen: list[Path] = []
    for name in wanted:
        exact = [p for p in available if name in (p.name, p.stem)]
        matches = exact or [p for p in available if p.stem.startswith(name)]
        if len(matches) != 1:
            names = [p.stem for p in available]
            hint = f"; it matches {', '.join(p.stem for p in matches)}" if matches else suggest(name, names)
            msg = f"--notebook {name!r}: no single notebook of that name{hint} (notebooks: {', '.join(names)})"
            raise UsageError(msg)
        if matches[0] not in chosen:
            chosen.append(matches[0])
    return chosen


def _select_scenarios(wanted: Sequence[str] | None) -> list[tuple[str, str]]:
    """(reference, name) of each scenario, loaded once to check it."""
    from econ.assumptions import ScenarioError, list_scenarios, load_scenario

    refs = list(wanted or ["base"])
    if "all" in refs:
        refs = [r for r in refs if r != "all"] + [str(n) for n in list_scenarios().index]
    chosen: dict[str, str] = {}
    for ref in refs:
        try:
            name = load_scenario(ref).name
        except (ScenarioError, FileNotFoundError, KeyError) as err:
            msg = f"--scenario {ref!r}: {err}"
            raise UsageError(msg) from None
        if ref not in chosen and name in chosen.values():
            msg = f"--scenario {ref!r}: another scenario is also named {name!r}; outputs would collide in one folder"
            raise UsageError(msg)
        chosen[ref] = name
    return list(chosen.items())


def _check_out_name(name: str, scenarios: Sequence[tuple[str, str]]) -> str:
    """``name`` if it is a safe folder name and one scenario runs, else :class:`UsageError`."""
    from econ.reports.index import INDEX_NAME

    if not OUT_NAME.fullmatch(name) or name == INDEX_NAME:
        msg = (
            f"--out-name {name!r}: not a folder name; use 1 to 64 letters, digits, '.', '_' or '-', "
            f"starting with a letter or digit (and not {INDEX_NAME!r})"
        )
        raise UsageError(msg)
    if len(scenarios) != 1:
        msg = f"--out-name {name!r}: names the folder of one scenario, got {len(scenarios)} ({', '.join(n for _, n in scenarios)})"
        raise UsageError(msg)
    return name


def _folder(run: dict[str, Any]) -> str:
    """The output folder of a run record (records written before folders had names: the scenario's)."""
    return str(run.get("folder") or run["scenario"])


def _progress(done: int, total: int, record: dict[str, Any]) -> None:
    run = record["run"]
    line = f"[{done}/{total}] {_folder(run)}/{Path(run['notebook']).stem} {run['status']} {run['seconds']:.1f} s"
    if run["status"] != "ok":
        line += f"  {run['error']}"
    print(line, flush=True)


def cmd_report(args: argparse.Namespace) -> int:
    """``econ report``: check, run, index, summarize."""
    from econ.reports.index import write_index
    from econ.reports.params import notebook_parameters, resolve_parameters
    from econ.reports.runner import NOTEBOOK_DIR, RunSpec, discover_notebooks, output_folder_name, run_batch, run_batch_on

    notebook_dir = args.notebook_dir or NOTEBOOK_DIR
    notebooks = _select_notebooks(discover_notebooks(notebook_dir), args.notebook)
    scenarios = _select_scenarios(args.scenario)
    out_name = _check_out_name(args.out_name, scenarios) if args.out_name is not None else None
    declared = {p.stem: notebook_parameters(p) for p in notebooks}
    missing = [name for name, params in declared.items() if not params]
    if missing:
        msg = f"notebook(s) {', '.join(missing)} have no cell tagged 'parameters'"
        raise UsageError(msg)
    parameters, overrides = resolve_parameters(args.param, declared, [ref for ref, _ in scenarios])
    given = {k: v for stem in sorted(parameters) for k, v in parameters[stem].items()}
    folders = {name: out_name or output_folder_name(name, given, overrides) for _, name in scenarios}
    out = args.out.resolve()
    specs = [
        RunSpec(
            str(nb.resolve()),
            ref if not Path(ref).suffix else str(Path(ref).resolve()),
            name,
            str(out),
            parameters[nb.stem],
            overrides,
            folder_name=folders[name],
        )
        for ref, name in scenarios
        for nb in notebooks
    ]
    jobs = min(args.jobs, len(specs))
    scheduler = args.scheduler or ("dask" if args.dask else None)
    where = f"{jobs} process(es)" if scheduler is None else ("a local Dask cluster" if args.dask else f"Dask scheduler {scheduler}")
    print(
        f"econ report: {len(specs)} run(s) ({len(scenarios)} scenario(s) x {len(notebooks)} notebook(s)) on {where} "
        f"into {out} ({', '.join(sorted(set(folders.values())))})"
    )
    try:
        records = run_batch(specs, jobs, on_done=_progress) if scheduler is None else run_batch_on(scheduler, specs, jobs, _progress)
    except KeyboardInterrupt:
        write_index(out)
        print("econ report: interrupted; pending runs cancelled, running ones stopped, earlier outputs kept", file=sys.stderr)
        return 130
    index = write_index(out)
    failed = [r["run"] for r in records if r["run"]["status"] != "ok"]
    print(f"econ report: {len(records) - len(failed)} ok, {len(failed)} failed; index: {index}")
    if failed:
        print(f"econ report: {len(failed)} of {len(records)} run(s) failed:", file=sys.stderr)
        for run in failed:
            where = out / _folder(run)
            print(f"  {_folder(run)}/{Path(run['notebook']).stem}: {run['error']}", file=sys.stderr)
            print(f"    notebook: {where / (run['executed'] or '-')}  log: {where / run['log']}", file=sys.stderr)
        return 1
    return 0


def cmd_scenarios(args: argparse.Namespace) -> int:
    """``econ scenarios [NAME]``: list scenarios or show one resolved."""
    import pandas as pd

    from econ.assumptions import ScenarioError, list_scenarios, load_scenario
    from econ.reports.display import assumptions_table
    from econ.reports.params import ParameterError, parse_assignment

    if args.name is None:
        if args.param or args.keys:
            msg = "-p and --keys need a scenario NAME"
            raise UsageError(msg)
        table = list_scenarios()
        for name, row in table.iterrows():
            parent = f" (extends {row['extends']})" if isinstance(row["extends"], str) and row["extends"] else ""
            print(f"{name}{parent}")
            print(textwrap.indent(textwrap.fill(" ".join(str(row["description"]).split()), 96), "    "))
        return 0
    try:
        overrides = dict(parse_assignment(a) for a in args.param)
        scenario = load_scenario(args.name, overrides)
    except (ScenarioError, ParameterError, FileNotFoundError, KeyError) as err:
        raise UsageError(str(err)) from None
    table = assumptions_table(scenario, [args.keys] if args.keys else None)
    if args.keys and not args.keys.endswith("."):
        table = assumptions_table(scenario, None)
        table = table[[str(k).startswith(args.keys) for k in table.index]]
    print(f"scenario {scenario.name} · hash {scenario.hash} · files {', '.join(scenario.files)}")
    if scenario.overrides:
        print("overrides: " + ", ".join(f"{k} = {v!r}" for k, v in scenario.overrides.items()))
    with pd.option_context("display.max_rows", None, "display.max_colwidth", 70, "display.width", 250):
        print(table[["value", "unit", "source"]].to_string())
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """``econ export FORMAT``: write the workbook or a tidy table, atomically."""
    from econ.assumptions import ScenarioError, load_scenario
    from econ.export import cashflow_table, draws_table, to_csv, to_excel, to_parquet
    from econ.reports.params import ParameterError, parse_assignment

    if args.format == "xlsx" and args.table != "cashflows":
        msg = f"--table {args.table!r}: only parquet and csv export tables; xlsx writes the whole scenario"
        raise UsageError(msg)
    expected = {"xlsx": (".xlsx",), "parquet": (".parquet", ".pq"), "csv": (".csv",)}[args.format]
    if args.out.suffix.lower() not in expected:
        msg = f"--out {str(args.out)!r}: a {args.format} file must end in {' or '.join(expected)}"
        raise UsageError(msg)
    if args.out.exists() and not args.force:
        msg = f"--out {str(args.out)!r} exists; pass --force to replace it"
        raise UsageError(msg)
    if not args.out.parent.is_dir():
        msg = f"--out {str(args.out)!r}: the folder {str(args.out.parent)!r} does not exist"
        raise UsageError(msg)
    try:
        overrides = dict(parse_assignment(a) for a in args.param)
        scenario = load_scenario(args.scenario, overrides)
    except (ScenarioError, ParameterError, FileNotFoundError, KeyError) as err:
        raise UsageError(str(err)) from None
    try:
        if args.format == "xlsx":
            path = to_excel(scenario, args.out, overwrite=args.force)
        else:
            if args.table == "draws":
                table = draws_table(econ.simulate(scenario, args.draws, seed=args.seed))
            else:
                table = cashflow_table(econ.evaluate(scenario))
            writer = to_parquet if args.format == "parquet" else to_csv
            path = writer(table, args.out, overwrite=args.force)
    except OSError as err:
        raise UsageError(str(err)) from None
    print(f"econ export: wrote {path} (scenario {scenario.name}, hash {scenario.hash})")
    return 0


def _raise_interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``econ`` command; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    from econ.reports.params import ParameterError

    previous = signal.signal(signal.SIGTERM, _raise_interrupt)  # stop like Ctrl-C: clean up, then exit
    try:
        if args.command == "report":
            return cmd_report(args)
        if args.command == "export":
            return cmd_export(args)
        return cmd_scenarios(args)
    except (UsageError, ParameterError) as err:
        print(f"econ {args.command}: error: {err}", file=sys.stderr)
        return 2
    except ConnectionError as err:  # a Dask scheduler that does not answer
        print(f"econ {args.command}: error: {err}", file=sys.stderr)
        return 3
    except KeyboardInterrupt:
        print(f"econ {args.command}: interrupted", file=sys.stderr)
        return 130
    finally:
        signal.signal(signal.SIGTERM, previous)
