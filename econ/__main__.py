"""``python -m econ`` is the ``econ`` command (:mod:`econ.cli`).

A Ctrl-C while the package is still importing (seconds on a loaded machine) ends the
command with status 130, like a Ctrl-C later on, not with a traceback.
"""

try:
    from econ.cli import main
except KeyboardInterrupt:  # pragma: no cover - depends on when the user presses Ctrl-C
    raise SystemExit(130) from None

if __name__ == "__main__":
    raise SystemExit(main())
