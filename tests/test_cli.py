"""The ``econ`` command: help, checks before running, failures, interruption."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import psutil
import pytest

from econ import cli
from econ.reports import runner

SETUP = "import econ.charts\nfrom econ.reports import write_results\n\necon.charts.setup()"
PARAMS = 'scenario = "base"\noverrides = {}\nseed = 0\noutput_dir = "."\nmonths = 12'
FINISH = "write_results(output_dir, load_scenario(scenario, overrides), {'months': months}, seed=seed, summary='done')"


def write_notebook(folder: Path, name: str, cells: list[nbformat.NotebookNode]) -> Path:
    """A titled notebook on the econ kernel, written to ``<folder>/<name>.ipynb``."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(f"# Test notebook {name}"), *cells])
    nb.metadata["kernelspec"] = {"name": "econ", "language": "python", "display_name": "Python (econ)"}
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.ipynb"
    nbformat.write(nb, path)
    return path


def make_notebook(folder: Path, name: str, body: str) -> Path:
    cells = [
        nbformat.v4.new_code_cell(SETUP, metadata={"tags": ["setup"]}),
        nbformat.v4.new_code_cell(PARAMS, metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell("from econ.assumptions import load_scenario\n" + body),
        nbformat.v4.new_code_cell(FINISH),
    ]
    return write_notebook(folder, name, cells)


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
    for option in ("--scenario", "--notebook", "-p KEY=VALUE", "--jobs", "--out", "--out-name", "--notebook-dir", "YAML", "overrides"):
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
    assert run("scenarios", "build", "--keys", "cloud.", "-p", "cloud.commit_discount_level=0.3") == 0
    shown = capsys.readouterr().out
    assert "cloud.commit_discount_level" in shown and "30.0 %" in shown and "override (this run)" in shown
    assert "horizon.years" not in shown


def test_scenarios_rejects_an_unknown_key(capsys):
    assert run("scenarios", "base", "-p", "cloud.comit_discount=0.3") == 2
    assert "did you mean 'cloud.commit_discount_level'" in capsys.readouterr().err


# checks before anything runs -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-p", "monhts=3"], "did you mean 'months'?"),
        (["-p", "cloud.commit_discount_levl=0.3"], "did you mean 'cloud.commit_discount_level'?"),
        (["-p", "months=twelve"], "expects int"),
        (["-p", "months=2024-01-01"], "date values are not allowed"),
        (["-p", "output_dir=/tmp"], "set by the runner"),
        (["--scenario", "bsae"], "--scenario 'bsae'"),
        (["--notebook", "nope"], "--notebook 'nope'"),
        (["--out-name", "../up"], "--out-name '../up': not a folder name; use 1 to 64 letters, digits, '.', '_' or '-'"),
        (["--out-name", ".hidden"], "--out-name '.hidden': not a folder name"),
        (["--out-name", "a b"], "--out-name 'a b': not a folder name"),
        (["--out-name", "index.html"], "(and not 'index.html')"),
        (["--out-name", "x", "-s", "base", "-s", "build"], "--out-name 'x': names the folder of one scenario, got 2 (base, build)"),
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
    base, rent = (runner.output_folder_name(name, {"months": 7}, {}) for name in ("base", "rent-only"))  # -p: a folder of its own
    assert f"{rent}/b_boom: ValueError: boom for rent-only" in captured.err
    assert captured.out.count(" ok ") == 3
    failed = json.loads((out / rent / "b_boom.results.json").read_text())
    assert failed["run"]["status"] == "failed" and "boom for rent-only" in failed["run"]["error"]
    executed = (out / rent / "b_boom.ipynb").read_text()
    assert "Traceback" in executed or "ValueError" in executed
    assert not (out / rent / "b_boom.html").exists()
    for folder, name in [(base, "a_ok"), (base, "b_boom"), (rent, "a_ok")]:
        record = json.loads((out / folder / f"{name}.results.json").read_text())
        assert record["run"]["status"] == "ok"
        assert record["headline"] == {"months": 7}
        assert (out / folder / f"{name}.html").exists()
    index = (out / "index.html").read_text()
    assert index.count('class="status-ok"') == 3 and index.count('class="status-failed"') == 1
    assert f'href="{rent}/b_boom.ipynb"' in index


# A kernel that dies at its first start (as one that loses jupyter_client's race for ports does), then runs.
DIES_ONCE = """
import os, runpy, sys
marker = os.environ["ECON_TEST_DIED_ONCE"]
if os.environ.get("ECON_TEST_ALWAYS_DIE") or not os.path.exists(marker):
    open(marker, "a").close()
    sys.exit(1)
sys.argv = ["ipykernel_launcher", "-f", sys.argv[1]]
runpy.run_module("ipykernel_launcher", run_name="__main__")
"""


def _report_with_a_dying_kernel(tmp_path: Path, always: bool) -> tuple[subprocess.CompletedProcess[str], Path]:
    notebooks, out = tmp_path / "nb", tmp_path / "out"
    make_notebook(notebooks, "a_ok", "pass")
    spec = tmp_path / "jupyter" / "kernels" / runner.KERNEL_NAME
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({"argv": [sys.executable, "-c", DIES_ONCE, "{connection_file}"], "language": "python"}))
    env = {**os.environ, "JUPYTER_PATH": str(tmp_path / "jupyter"), "ECON_TEST_DIED_ONCE": str(tmp_path / "died")}
    if always:
        env["ECON_TEST_ALWAYS_DIE"] = "1"
    args = [sys.executable, "-m", "econ", "report", "--notebook-dir", str(notebooks), "--out", str(out), "--jobs", "1"]
    return subprocess.run(args, capture_output=True, text=True, env=env, timeout=300, check=False), out


@pytest.mark.notebook
def test_a_kernel_that_dies_before_it_answers_is_started_again(tmp_path: Path):
    done, out = _report_with_a_dying_kernel(tmp_path, always=False)
    assert done.returncode == 0, done.stderr
    assert json.loads((out / "base" / "a_ok.results.json").read_text())["run"]["status"] == "ok"
    assert "starting a fresh one" in (out / "base" / "logs" / "a_ok.log").read_text()


@pytest.mark.notebook
def test_a_kernel_that_never_starts_fails_the_run_after_its_attempts(tmp_path: Path):
    done, out = _report_with_a_dying_kernel(tmp_path, always=True)
    assert done.returncode == 1
    error = json.loads((out / "base" / "a_ok.results.json").read_text())["run"]["error"]
    assert "before replying to kernel_info" in error and f"(after {runner.KERNEL_START_ATTEMPTS} kernel starts)" in error


@pytest.mark.notebook
def test_runs_with_other_values_keep_their_own_folders(tmp_path: Path, capsys):
    notebooks, out = tmp_path / "nb", tmp_path / "out"
    make_light_notebook(notebooks, "tiny")
    common = ("report", "--notebook-dir", str(notebooks), "--out", str(out), "--jobs", "1")
    assert run(*common) == 0
    assert run(*common, "-p", "months=3") == 0
    assert run(*common, "-p", "months=4") == 0
    first = json.loads((out / runner.output_folder_name("base", {"months": 4}, {}) / "tiny.results.json").read_text())["run"]["id"]
    assert run(*common, "-p", "months=4") == 0  # the same values: the same folder, replaced
    assert run(*common, "-p", "months=5", "--out-name", "five") == 0
    capsys.readouterr()
    three, four = (runner.output_folder_name("base", {"months": m}, {}) for m in (3, 4))
    assert three != four and three.startswith("base--") and len(three) == len("base--") + 8
    assert sorted(p.name for p in out.iterdir() if p.is_dir()) == sorted(["base", three, four, "five"])
    index = (out / "index.html").read_text()
    for folder, months in (("base", 12), (three, 3), (four, 4), ("five", 5)):
        record = json.loads((out / folder / "tiny.results.json").read_text())
        assert record["headline"] == {"months": months}, folder
        assert record["run"]["folder"] == folder and record["run"]["scenario"] == "base"
        assert (out / folder / "tiny.html").exists()
        assert f'href="{folder}/tiny.html"' in index
        heading = index.split(f'<h2 id="folder-{folder}">', 1)[1].split("</table>", 1)[0]
        assert heading.startswith("Scenario base")
        assert ("no overrides or parameters" if folder == "base" else f"parameters months = {months}") in heading
    assert json.loads((out / four / "tiny.results.json").read_text())["run"]["id"] != first


# Ctrl-C in every phase of a batch: each test pauses the batch at one phase with the runner's
# test hook (econ.reports.runner.pause_point) or, for phases inside papermill, with a notebook
# or a kernel that announces itself, then sends SIGINT to `econ report` as a user's Ctrl-C would.

STOP_BOUND_S = 20.0
#: What a paused phase leaves: the earlier outputs, or (publish, between-runs) one run's new ones.
PHASES = {
    "batch-start": {"sleepy": "old"},  # runner hook, before any worker
    "worker-spawned": {"sleepy": "old"},  # runner hook, worker started and not yet registered
    "kernel-start": {"sleepy": "old"},  # a kernel that never gets ready
    "execute": {"sleepy": "old"},  # a cell that sleeps
    "export": {"sleepy": "old"},  # runner hook in the worker, before the HTML export
    "publish": {"sleepy": "new"},  # runner hook in the worker, between two renames
    "between-runs": {"a": "new", "sleepy": "old"},  # runner hook, a finished and sleepy not started
}
PAUSE_IN_CELL = f"""import os, time
if os.environ.get("{runner.PAUSE_AT_ENV}") == "execute":
    with open(os.environ["{runner.PAUSE_FILE_ENV}"], "a") as handle:
        handle.write(f"execute {{os.getpid()}}\\n")
    time.sleep(120)"""
# A kernel spec named like the project's that announces itself and never gets ready.
PAUSE_IN_KERNEL = f"""import os, sys, time
with open(os.environ["{runner.PAUSE_FILE_ENV}"], "a") as handle:
    handle.write(f"kernel-start {{os.getpid()}}\\n")
time.sleep(60)
sys.exit(1)"""
# Written without importing econ, so that the kernel starts fast: the runner needs only a results.json.
LIGHT_FINISH = f"""import json, os
with open(os.path.join(output_dir, "{runner.RESULTS_NAME}"), "w") as handle:
    json.dump({{"headline": {{"months": months}}, "summary": "done"}}, handle)"""
OLD = {".html": "OLD PAGE", ".ipynb": "{}", ".results.json": '{"run": {"status": "ok", "id": "old"}}'}


def make_light_notebook(folder: Path, name: str) -> Path:
    cells = [
        nbformat.v4.new_code_cell(PARAMS, metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell(PAUSE_IN_CELL),
        nbformat.v4.new_code_cell(LIGHT_FINISH),
    ]
    return write_notebook(folder, name, cells)


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _batch_processes(pause_file: Path) -> list[psutil.Process]:
    """Every live process of one test's batch: they all inherit its pause file variable."""
    found = []
    for proc in psutil.process_iter():
        try:
            if proc.environ().get(runner.PAUSE_FILE_ENV) == str(pause_file):
                found.append(proc)
        except psutil.Error:  # gone, zombie or not ours
            continue
    return found


def _wait_for_pause(pause_file: Path, phase: str, proc: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 120
    while not (pause_file.exists() and any(line.startswith(f"{phase} ") for line in pause_file.read_text().splitlines())):
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, f"the batch never reached {phase}"
        time.sleep(0.1)


@pytest.mark.notebook
@pytest.mark.parametrize("phase", list(PHASES))
def test_ctrl_c_stops_the_batch_in_every_phase(tmp_path: Path, phase: str):
    notebooks, out, pause_file = tmp_path / "nb", tmp_path / "out", tmp_path / "paused"
    for name in PHASES[phase]:
        make_light_notebook(notebooks, name)
    env = {**os.environ, runner.PAUSE_AT_ENV: phase, runner.PAUSE_FILE_ENV: str(pause_file)}
    if phase == "kernel-start":
        spec = tmp_path / "jupyter" / "kernels" / runner.KERNEL_NAME
        spec.mkdir(parents=True)
        (spec / "kernel.json").write_text(
            json.dumps({"argv": [sys.executable, "-c", PAUSE_IN_KERNEL, "-f", "{connection_file}"], "language": "python"})
        )
        env["JUPYTER_PATH"] = str(tmp_path / "jupyter")
    old = out / "base"
    old.mkdir(parents=True)
    for name in PHASES[phase]:
        for suffix, text in OLD.items():
            (old / f"{name}{suffix}").write_text(text)
    proc = subprocess.Popen(
        [sys.executable, "-m", "econ", "report", "--notebook-dir", str(notebooks), "--out", str(out), "--jobs", "1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        # A Ctrl-C needs SIGINT's default disposition; a shell without job control starting the
        # tests in the background (`pytest ... &`) leaves it ignored, and children inherit that.
        preexec_fn=_default_sigint,
    )
    try:
        _wait_for_pause(pause_file, phase, proc)
        t0 = time.monotonic()
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=STOP_BOUND_S + 10)
        seconds = time.monotonic() - t0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 130, err
    print(f"{phase}: exit {proc.returncode} {seconds:.2f} s after SIGINT")  # shown with -s (stress runs)
    assert seconds < STOP_BOUND_S, f"stopped after {seconds:.1f} s"
    assert "interrupted" in err
    _, alive = psutil.wait_procs(_batch_processes(pause_file), timeout=5)
    assert not alive, f"left running: {alive}"
    for name, expected in PHASES[phase].items():
        texts = {suffix: (old / f"{name}{suffix}").read_text() for suffix in OLD}
        if expected == "old":
            assert texts == OLD, name
        else:  # the run had published: all new, consistent and with its log
            record = json.loads(texts[".results.json"])
            assert record["run"]["status"] == "ok" and record["run"]["id"] != "old", name
            assert texts[".html"] != OLD[".html"] and texts[".ipynb"] != OLD[".ipynb"], name
            assert (old / "logs" / f"{name}.log").exists(), name
    leftovers = [p for p in out.rglob("*") if p.name.startswith(".")]
    assert not leftovers, leftovers


def test_every_pause_point_of_the_runner_has_an_interruption_test():
    assert set(runner.PHASES) <= set(PHASES)


def test_stop_signals_during_a_batch_are_recorded_not_raised():
    # Raising at an arbitrary bytecode could leave a worker unregistered or Popen's wait lock held.
    before = {sig: signal.getsignal(sig) for sig in runner.STOP_SIGNALS}
    with runner._stop_requests() as stop:
        os.kill(os.getpid(), signal.SIGINT)
        os.kill(os.getpid(), signal.SIGTERM)
        assert stop.count == 2
    assert {sig: signal.getsignal(sig) for sig in runner.STOP_SIGNALS} == before


def test_a_batch_leaves_an_ignored_sigint_ignored():
    # `nohup econ report` or `econ report &` in a script: a Ctrl-C for the foreground must not stop it.
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        with runner._stop_requests() as stop:
            assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
            os.kill(os.getpid(), signal.SIGINT)
            assert not stop.requested
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, previous)


def test_a_deferred_stop_signal_acts_when_the_step_ends():
    seen: list[int] = []
    previous = signal.signal(signal.SIGTERM, runner.deferrable(lambda signum, frame: seen.append(signum)))
    try:
        with runner.signals_deferred():
            os.kill(os.getpid(), signal.SIGTERM)
            assert seen == []
        assert seen == [signal.SIGTERM]
    finally:
        signal.signal(signal.SIGTERM, previous)


def test_the_processes_of_a_stopped_run_are_found_by_their_mark_and_killed():
    code = "import subprocess, sys, time; subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)']); time.sleep(60)"
    env = {**os.environ, runner.RUN_ENV: "test-run-id"}
    parent = subprocess.Popen([sys.executable, "-c", code], env=env, start_new_session=True)
    try:
        deadline = time.monotonic() + 30
        while len(runner.run_processes(["test-run-id"])) < 2:  # the parent and the child it starts
            assert time.monotonic() < deadline, "the marked processes never started"
            time.sleep(0.05)
        child = next(pid for pid in runner.run_processes(["test-run-id"]) if pid != parent.pid)
        assert runner.run_processes(["another-run"]) == []
        assert runner.kill_run_processes(["test-run-id"]) == []
        assert parent.wait(timeout=5) == -signal.SIGKILL
        assert not psutil.pid_exists(child) or psutil.Process(child).status() == psutil.STATUS_ZOMBIE
    finally:
        parent.kill()
        parent.wait()


def test_export_xlsx_refuses_existing_file_and_missing_folder(tmp_path, capsys):
    target = tmp_path / "base.xlsx"
    assert cli.main(["export", "xlsx", "-s", "base", "-o", str(target)]) == 0
    assert target.exists()
    stamp = target.stat().st_mtime_ns
    assert cli.main(["export", "xlsx", "-s", "base", "-o", str(target)]) == 2
    assert "--force" in capsys.readouterr().err
    assert target.stat().st_mtime_ns == stamp
    assert cli.main(["export", "xlsx", "-s", "base", "-o", str(tmp_path / "no" / "base.xlsx")]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["base.xlsx"]


def test_export_tables_to_parquet_and_csv(tmp_path, capsys):
    import pandas as pd

    out = tmp_path / "draws.parquet"
    assert cli.main(["export", "parquet", "-s", "base", "--table", "draws", "--draws", "8", "--seed", "2", "-o", str(out)]) == 0
    assert len(pd.read_parquet(out)) == 8
    flows = tmp_path / "flows.csv"
    assert cli.main(["export", "csv", "-s", "base", "-p", "finance.discount_rate_annual=0.08", "-o", str(flows)]) == 0
    assert pd.read_csv(flows).columns.tolist() == ["strategy", "month", "date", "category", "cash_flow_usd"]
    assert cli.main(["export", "csv", "-s", "base", "-o", str(tmp_path / "flows.txt")]) == 2
    assert "must end in .csv" in capsys.readouterr().err
