"""``python -m econ.reports [OPTIONS]`` is ``econ report [OPTIONS]`` (kept for old scripts)."""

import sys

try:
    from econ.cli import main
except KeyboardInterrupt:  # pragma: no cover - a Ctrl-C during import ends with 130, as later
    raise SystemExit(130) from None

if __name__ == "__main__":
    raise SystemExit(main(["report", *sys.argv[1:]]))
