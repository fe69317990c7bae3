#!/usr/bin/env bash
# Stress run of the Ctrl-C test (issue #9): the 7-phase interruption test, 50 times in a row,
# with a busy loop on one core on top of whatever else the machine is doing. Not part of
# `make test` (about an hour on 2 cores); run it by hand after changing econ/reports/runner.py:
#   nohup bash tests/stress_ctrl_c.sh > stress.log 2>&1 &
# Each line of the log gives the run's exit code, wall time, load and each phase's exit.
cd "$(dirname "$0")/.." || exit 1
.venv/bin/python -c 'while True: pass' & BUSY=$!
trap 'kill $BUSY' EXIT
echo "busy loop: $BUSY; start $(date -u +%FT%TZ)"
for i in $(seq "${RUNS:-50}"); do
  t0=$(date +%s)
  log=$(mktemp)
  .venv/bin/python -m pytest -p no:cacheprovider -q -rA -n 2 tests/test_cli.py -k "every_phase" > "$log" 2>&1
  rc=$?
  echo "run $i rc=$rc wall=$(( $(date +%s) - t0 ))s load=$(cut -d' ' -f1 /proc/loadavg) $(grep -h -o '[a-z-]*: exit [-0-9]* [0-9.]* s after SIGINT' "$log" | tr '\n' ';')"
  [ $rc -ne 0 ] && { echo "FAILED at run $i"; cat "$log"; }
  rm -f "$log"
done
echo "end $(date -u +%FT%TZ)"
