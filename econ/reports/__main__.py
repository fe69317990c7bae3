"""``python -m econ.reports [OPTIONS]`` is ``econ report [OPTIONS]`` (kept for old scripts)."""

import sys

from econ.cli import main

if __name__ == "__main__":
    raise SystemExit(main(["report", *sys.argv[1:]]))
