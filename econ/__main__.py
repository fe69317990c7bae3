"""``python -m econ`` is the ``econ`` command (:mod:`econ.cli`)."""

from econ.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
