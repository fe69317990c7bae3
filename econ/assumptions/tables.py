"""Read the sourced tables in ``data/`` and look up where each number came from.

Every table ``data/<name>.csv`` is keyed by its first column and has a sidecar
``data/<name>.provenance.csv`` (``row_key, column, source_id, as_published, note``; ``*``
matches any row or column). ``data/sources.csv`` is the bibliography. See ``data/README.md``.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

import pandas as pd

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
"""The project's data folder (tables, provenance sidecars, ``scenarios/``)."""


def table_names(data_dir: Path = DATA_DIR) -> list[str]:
    """Names of the data tables (CSV files that are not sidecars or the bibliography)."""
    return sorted(p.stem for p in data_dir.glob("*.csv") if not p.stem.endswith(".provenance") and p.stem != "sources")


@cache
def load_table(name: str, data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """Load ``data/<name>.csv`` indexed by its key (first) column.

    Parameters
    ----------
    name : str
        Table name without extension, e.g. ``"sites"``.
    data_dir : Path
        Folder holding the tables.

    Returns
    -------
    pandas.DataFrame
        A read-only view: do not modify it (it is cached).

    Raises
    ------
    ValueError
        If the table does not exist (the message lists the tables that do).
    """
    path = data_dir / f"{name}.csv"
    if not path.is_file():
        raise ValueError(f"data table {name!r} not found in {data_dir}; tables: {', '.join(table_names(data_dir))}")
    frame = pd.read_csv(path, keep_default_na=False, na_values=[""])
    return frame.set_index(frame.columns[0], drop=True)


@cache
def load_provenance(name: str, data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """Load ``data/<name>.provenance.csv`` (empty frame if the table has no sidecar)."""
    path = data_dir / f"{name}.provenance.csv"
    if not path.is_file():
        return pd.DataFrame(columns=["row_key", "column", "source_id", "as_published", "note"])
    return pd.read_csv(path, dtype=str, keep_default_na=False)


@cache
def load_sources(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """Load the bibliography ``data/sources.csv`` indexed by ``source_id``."""
    return pd.read_csv(data_dir / "sources.csv", dtype=str, keep_default_na=False).set_index("source_id")


@cache
def cell_sources(name: str, row: str, column: str, data_dir: Path = DATA_DIR) -> tuple[str, ...]:
    """Source ids documenting one cell of a table (exact and ``*`` matches, in file order)."""
    prov = load_provenance(name, data_dir)
    hit = prov[prov["row_key"].isin([row, "*"]) & prov["column"].isin([column, "*"])]
    return tuple(dict.fromkeys(hit["source_id"]))


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's bytes, hex."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def data_file_hashes(names: list[str] | None = None, data_dir: Path = DATA_DIR) -> dict[str, str]:
    """SHA-256 of each table, its provenance sidecar and the bibliography, by file name.

    Parameters
    ----------
    names : list of str, optional
        Tables to include (default: all).
    data_dir : Path
        Folder holding the tables.
    """
    files = [data_dir / "sources.csv"]
    for name in names if names is not None else table_names(data_dir):
        files += [data_dir / f"{name}.csv", data_dir / f"{name}.provenance.csv"]
    return {p.name: file_sha256(p) for p in sorted(files) if p.is_file()}
