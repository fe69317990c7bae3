"""Atomic file writes: a file appears complete under its final name, or not at all.

Every writer in :mod:`econ.reports` goes through these helpers. The content is written to
a hidden temporary file in the destination folder (same file system) and renamed over the
destination with :func:`os.replace`, which POSIX guarantees to be atomic; an exception,
including ``KeyboardInterrupt``, removes the temporary file. A process killed outright
(SIGKILL) cannot, so whoever killed it removes them with :func:`leftover_temporaries`.
"""

from __future__ import annotations

import glob
import json
import os
import tempfile
from pathlib import Path
from typing import Any

TEMP_PREFIX = "."
TEMP_SUFFIX = ".tmp"


def atomic_write_text(path: Path, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` through a temporary file and a rename.

    Parameters
    ----------
    path : Path
        Destination; its folder is created if missing.
    text : str
        Content.

    Returns
    -------
    Path
        ``path``.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f"{TEMP_PREFIX}{path.name}.", suffix=TEMP_SUFFIX)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def leftover_temporaries(path: Path) -> list[Path]:
    """The temporary files that an atomic write to ``path`` killed midway would leave behind.

    Parameters
    ----------
    path : Path
        Destination of :func:`atomic_write_text` or :func:`atomic_write_json`.

    Returns
    -------
    list of Path
        Existing files named like that write's temporary file, in name order.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / ".a.html.k3j9x2.tmp").write_text("half")
    >>> [p.name for p in leftover_temporaries(folder / "a.html")]
    ['.a.html.k3j9x2.tmp']
    >>> leftover_temporaries(folder / "b.html")
    []
    """
    return sorted(path.parent.glob(f"{glob.escape(TEMP_PREFIX + path.name)}.*{glob.escape(TEMP_SUFFIX)}"))


def atomic_write_json(path: Path, data: Any) -> Path:
    """Write ``data`` as indented JSON (keys in insertion order) to ``path`` atomically."""
    return atomic_write_text(path, json.dumps(data, indent=2, allow_nan=True, default=_jsonable) + "\n")


def _jsonable(value: Any) -> Any:
    """JSON form of numpy scalars and arrays, paths and other objects json does not know."""
    if hasattr(value, "tolist"):
        return value.tolist()
    if hasattr(value, "item"):
        return value.item()
    return str(value)
