"""The ``econ`` command: help, checks before running, failures, interruption."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import psutil
import pytest

from econ import cli

SETUP = "import econ.charts\nfrom econ.reports import write_results\n\necon.charts.setup()"
PARAMS = 'scenario = "base"\noverrides = {}\nseed = 0\noutput_dir = "."\nmonths = 12'
FINISH = "write_results(output_dir, load_scenario(scenario, overrides), {'months': months}, seed=seed, summary='done')"


def make_notebook(folder: Path, name: str, body: str) -> Path:
    cells = [
        nbformat.v4.new_markdown_cell(f"# Test notebook {name}"),
        nbformat.v4.new_code_cell(SETUP, metadata={"tags": ["setup"]}),
        nbformat.v4.new_code_cell(PARAMS, metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell("from econ.assumptions import load_scenario\n" + body),
        nbformat.v4.new_code_cell(FINISH),
    ]
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "econ", "language": "python", "display_name": "Python (econ)"}
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.ipynb"
    nbformat.write(nb, path)
    return path


def run(*args: str) -> int:
    return cli.main(list(args))


# help ----------------------------------------------------------------------------------------


def test_help_explains_every_command_and_option(capsys):
    with pytest.raises(SystemExit):
        run("--help")
    top = capsys.readouterr().out
    assert "report" in top and "scenarios" in top
    with pytest.raises(SystemExit):
        run("report", "--help")
    text = capsys.readouterr().out
    for option in ("--scenario", "--notebook", "-p KEY=VALUE", "--jobs", "--out", "--notebook-dir", "YAML", "overrides"):
        assert option in text
    with pytest.raises(SystemExit):
        run("scenarios", "--help")
    assert "--keys" in capsys.readouterr().out


def test_the_console_script_and_module_entry_points_work():
    done = subprocess.run([sys.executable, "-m", "econ", "--version"], capture_output=True, text=True, check=True)
    assert done.stdout.startswith("econ ")
    done = subprocess.run([sys.executable, "-m", "econ.reports", "--help"], capture_output=True, text=True, check=True)
    assert "--scenario" in done.stdout


# econ scenarios ------------------------------------------------------------------------------


def test_scenarios_lists_and_shows_resolved_values(capsys):
    assert run("scenarios") == 0
    listing = capsys.readouterr().out
    assert all(name in listing for name in ("base", "rent-only", "build", "sovereign"))
    assert run("scenarios", "build", "--keys", "cloud.", "-p", "cloud.commit_discount=0.3") == 0
    shown = capsys.readouterr().out
    assert "cloud.commit_discount" in shown and "30.0 %" in shown and "override (this run)" in shown
    assert "horizon.years" not in shown


def test_scenarios_rejects_an_unknown_key(capsys):
    assert run("scenarios", "base", "-p", "cloud.comit_discount=0.3") == 2
    assert "did you mean 'cloud.commit_discount'" in capsys.readouterr().err


# checks before anything runs -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-p", "monhts=3"], "did you mean 'months'?"),
        (["-p", "cloud.commit_discont=0.3"], "did you mean 'cloud.commit_discount'?"),
        (["-p", "months=twelve"], "expects int"),
        (["-p", "months=2024-01-01"], "date values are not allowed"),
        (["-p", "output_dir=/tmp"], "set by the runner"),
        (["--scenario", "bsae"], "--scenario 'bsae'"),
        (["--notebook", "nope"], "--notebook 'nope'"),
    ],
)
def test_bad_arguments_stop_before_anything_runs(tmp_path: Path, capsys, args, message):
    notebooks = tmp_path / "nb"
    make_notebook(notebooks, "ok", "pass")
    out = tmp_path / "out"
    assert run("report", "--notebook-dir", str(notebooks), "--out", str(out), *args) == 2
    assert message in capsys.readouterr().err
    assert not out.exists()


# failures and interruption (real kernels) ----------------------------------------------------


@pytest.mark.notebook
def test_a_failing_run_does_not_stop_the_others(tmp_path: Path, capsys):
    notebooks = tmp_path / "nb"
    make_notebook(notebooks, "a_ok", "pass")
    make_notebook(notebooks, "b_boom", 'if scenario == "rent-only":\n    raise ValueError("boom for " + scenario)')
    out = tmp_path / "out"
    status = run(
        "report", "--notebook-dir", str(notebooks), "--out", str(out), "-s", "base", "-s", "rent-only", "-j", "2", "-p", "months=7"
    )
    captured = capsys.readouterr()
    assert status == 1
    assert "rent-only/b_boom: ValueError: boom for rent-only" in captured.err
    assert captured.out.count(" ok ") == 3
    failed = json.loads((out / "rent-only" / "b_boom.results.json").read_text())
    assert failed["run"]["status"] == "failed" and "boom for rent-only" in failed["run"]["error"]
    executed = (out / "rent-only" / "b_boom.ipynb").read_text()
    assert "Traceback" in executed or "ValueError" in executed
    assert not (out / "rent-only" / "b_boom.html").exists()
    for scenario, name in [("base", "a_ok"), ("base", "b_boom"), ("rent-only", "a_ok")]:
        record = json.loads((out / scenario / f"{name}.results.json").read_text())
        assert record["run"]["status"] == "ok"
        assert record["headline"] == {"months": 7}
        assert (out / scenario / f"{name}.html").exists()
    index = (out / "index.html").read_text()
    assert index.count('class="status-ok"') == 3 and index.count('class="status-failed"') == 1
    assert 'href="rent-only/b_boom.ipynb"' in index


@pytest.mark.notebook
def test_ctrl_c_stops_the_batch_and_leaves_no_partial_files(tmp_path: Path):
    notebooks = tmp_path / "nb"
    make_notebook(notebooks, "sleepy", 'print("sleeping", flush=True)\nimport time\ntime.sleep(120)')
    out = tmp_path / "out"
    old = out / "base"
    old.mkdir(parents=True)
    previous = {"sleepy.html": "OLD PAGE", "sleepy.ipynb": "{}", "sleepy.results.json": '{"run": {"status": "ok"}}'}
    for name, text in previous.items():
        (old / name).write_text(text)
    proc = subprocess.Popen(
        [sys.executable, "-m", "econ", "report", "--notebook-dir", str(notebooks), "--out", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 90
        while not any("sleeping" in p.read_text(errors="replace") for p in (old / "logs").glob(".*.tmp")):
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the notebook never started"
            time.sleep(0.2)
        children = psutil.Process(proc.pid).children(recursive=True)
        assert len(children) >= 2  # the worker and its kernel
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, err
    assert "interrupted" in err
    _, alive = psutil.wait_procs(children, timeout=15)
    assert not alive, f"left running: {alive}"
    for name, text in previous.items():
        assert (old / name).read_text() == text
    leftovers = [p for p in out.rglob("*") if p.name.startswith(".")]
    assert not leftovers, leftovers
