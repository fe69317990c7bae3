"""Load, resolve and validate a scenario into an immutable :class:`Scenario`.

Resolution, in order:

1. merge the file over its ``extends:`` chain (:mod:`econ.assumptions.files`);
2. apply the overrides (dotted keys, the same ones the notebooks and the CLI use);
3. give every site of ``build.sites`` the fields of ``build.site_defaults`` it does not set;
4. replace data references ``"@table/row/column"`` by the cell's value; ``{key}`` in a
   reference is filled from the scenario (``@accelerators/{accelerator.id}/gpu_tdp_w``) or,
   for a site, from the site's own fields and ``{site}``;
5. check types, ranges and cross-field rules; every problem found is reported at once.

Only then is the :class:`Scenario` built, so a bad file or override never half-loads.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from econ.assumptions.errors import ScenarioError, suggest
from econ.assumptions.files import SCENARIO_DIR, Flat, read_yaml, resolve_extends, scenario_path
from econ.assumptions.schema import DISTRIBUTIONS, FIELDS, SITE_FIELDS, STRATEGIES, STRATEGY_FIELDS, Field, Value
from econ.assumptions.tables import cell_sources, load_table

_REF = re.compile(r"^@(?P<table>[\w-]+)/(?P<row>[^/]+)/(?P<column>[\w.]+)$")
_PLACEHOLDER = re.compile(r"\{([\w.-]+)\}")
BROKEN = "<broken reference>"


@dataclass(frozen=True)
class Distribution:
    """The uncertainty of one scenario key, sampled by the Monte Carlo.

    Attributes
    ----------
    key : str
        Scenario key, or ``build.sites.*.<field>`` for every site independently.
    dist : str
        Family, a key of :data:`econ.assumptions.schema.DISTRIBUTIONS`.
    params : Mapping[str, float]
        The family's parameters in the key's unit.
    """

    key: str
    dist: str
    params: Mapping[str, float]


@dataclass(frozen=True)
class Scenario:
    """A resolved, validated and immutable set of model inputs.

    Attributes
    ----------
    name : str
        Scenario name (``name:`` in the file, else the file name).
    description : str
        One paragraph on what the scenario represents.
    values : Mapping[str, Value]
        Every resolved input by dotted key (read-only).
    sources : Mapping[str, str]
        Where each value came from: data cell and its source ids, a ``sources:`` entry of
        the file, or ``override``.
    distributions : tuple of Distribution
        Uncertain inputs for :func:`econ.simulate`.
    correlations : tuple of (str, str, float)
        Rank correlations between uncertain inputs.
    files : tuple of str
        The files merged, base first.
    overrides : Mapping[str, Value]
        Overrides applied on top of the files.
    hash : str
        SHA-256 (hex, first 16 characters) of the resolved values, distributions and
        correlations: equal for equal inputs whatever files produced them.
    """

    name: str
    description: str
    values: Mapping[str, Value]
    sources: Mapping[str, str]
    distributions: tuple[Distribution, ...]
    correlations: tuple[tuple[str, str, float], ...]
    files: tuple[str, ...]
    overrides: Mapping[str, Value] = field(default_factory=lambda: MappingProxyType({}))
    hash: str = ""

    def __getitem__(self, key: str) -> Value:
        try:
            return self.values[key]
        except KeyError:
            raise KeyError(f"scenario {self.name!r} has no key {key!r}{suggest(key, self.values)}") from None

    def get(self, key: str, default: Value | None = None) -> Value | None:
        """The value of ``key``, or ``default`` if it is not set."""
        return self.values.get(key, default)

    @property
    def site_ids(self) -> tuple[str, ...]:
        """Ids of the program's sites, in file order."""
        return tuple(dict.fromkeys(k.split(".")[2] for k in self.values if k.startswith("build.sites.")))

    def sites(self) -> pd.DataFrame:
        """One row per site, one column per site field (units in the names)."""
        rows = {s: {f: self.values[f"build.sites.{s}.{f}"] for f in SITE_FIELDS} for s in self.site_ids}
        return pd.DataFrame.from_dict(rows, orient="index", columns=list(SITE_FIELDS)).rename_axis("site_id")

    def with_overrides(self, overrides: Mapping[str, Any]) -> Scenario:
        """Reload the same files with more overrides (later ones win)."""
        return load_scenario(self.files[-1], {**self.overrides, **overrides})

    def to_frame(self) -> pd.DataFrame:
        """The resolved inputs as a table: key, value, unit, meaning and source."""
        rows = []
        for key, value in self.values.items():
            spec = field_for(key)
            rows.append(
                {
                    "key": key,
                    "value": value,
                    "unit": spec.unit if spec else "",
                    "description": spec.description if spec else "",
                    "source": self.sources.get(key, ""),
                }
            )
        return pd.DataFrame(rows).set_index("key")

    def risk_frame(self) -> pd.DataFrame:
        """The uncertain inputs as a table: key, family and parameters (in the key's unit)."""
        rows = [{"key": d.key, "distribution": d.dist, **d.params} for d in self.distributions]
        return pd.DataFrame(rows).set_index("key") if rows else pd.DataFrame()


def field_for(key: str) -> Field | None:
    """The schema field of a dotted key (site, bloc and strategy keys included), or None."""
    if key in FIELDS:
        return FIELDS[key]
    parts = key.split(".")
    if key.startswith("build.sites.") and len(parts) == 4:
        return SITE_FIELDS.get(parts[3])
    if key.startswith("build.site_defaults.") and len(parts) == 3:
        return SITE_FIELDS.get(parts[2])
    if key.startswith("demand.bloc_shares.") and len(parts) == 3:
        return Field("float", "1", f"Share of demand in the {parts[2]} bloc", 0.0, 1.0)
    if key.startswith("strategies.") and len(parts) == 3 and parts[1] in STRATEGIES:
        return STRATEGY_FIELDS.get(parts[2])
    return None


def list_scenarios(directory: Path = SCENARIO_DIR) -> pd.DataFrame:
    """The scenarios in a folder: name, parent, description and file."""
    rows = []
    for path in sorted(directory.glob("*.yaml")):
        data = read_yaml(path)
        rows.append(
            {
                "scenario": path.stem,
                "extends": data.get("extends") or "",
                "description": " ".join(str(data.get("description", "")).split()),
                "file": str(path),
            }
        )
    return pd.DataFrame(rows).set_index("scenario")


def load_scenario(name_or_path: str | Path, overrides: Mapping[str, Any] | None = None) -> Scenario:
    """Load a scenario by name or path, apply overrides and validate it.

    Parameters
    ----------
    name_or_path : str or Path
        A shipped scenario's name (``"base"``, ``"rent-only"``; see :func:`list_scenarios`)
        or the path of a YAML file.
    overrides : mapping of str to value, optional
        Dotted keys and values applied after the files, e.g.
        ``{"cloud.commit_discount": 0.35, "build.sites.us-va-loudoun.it_mw": 100}``.
        ``risk.<key>.<param>`` changes one parameter of an uncertain input.

    Returns
    -------
    Scenario
        Immutable; ``scenario.values`` are plain Python numbers, strings and booleans.

    Raises
    ------
    ScenarioError
        (a ``ValueError``) listing every problem: unknown keys with the nearest valid key,
        wrong types, values out of range, broken references and cross-field rules, each with
        the file (or ``override``), the key, the value and what is allowed.

    Examples
    --------
    >>> s = load_scenario("base", {"cloud.commit_discount": 0.4})
    >>> s["cloud.commit_discount"], s.overrides["cloud.commit_discount"]
    (0.4, 0.4)
    """
    path = scenario_path(name_or_path)
    flat, files, name = resolve_extends(path)
    problems: list[str] = []
    overrides = dict(overrides or {})
    _apply_overrides(flat, overrides, problems)
    description = str(flat.pop("description", ("", ""))[0])
    notes = {k.removeprefix("sources."): v for k, (v, _) in flat.items() if k.startswith("sources.")}
    risk_raw = {k.removeprefix("risk.distributions."): v for k, v in flat.items() if k.startswith("risk.distributions.")}
    correlations_raw = flat.get("risk.correlations", ([], ""))
    inputs = {k: v for k, v in flat.items() if not k.startswith(("sources.", "risk."))}
    values, sources = _resolve_inputs(inputs, notes, problems)
    _check_values(values, sources, inputs, problems)
    distributions = _check_distributions(risk_raw, values, problems)
    correlations = _check_correlations(correlations_raw, distributions, problems)
    if problems:
        raise ScenarioError(name, problems)
    digest = _hash(values, distributions, correlations)
    return Scenario(
        name=name,
        description=" ".join(description.split()),
        values=MappingProxyType(values),
        sources=MappingProxyType(sources),
        distributions=distributions,
        correlations=correlations,
        files=tuple(str(f) for f in files),
        overrides=MappingProxyType(overrides),
        hash=digest,
    )


def _valid_override_keys(flat: Flat) -> list[str]:
    sites = {k.split(".")[2] for k in flat if k.startswith("build.sites.")}
    keys = list(FIELDS) + [f"build.sites.{s}.{f}" for s in sites for f in SITE_FIELDS]
    keys += [f"strategies.{s}.{f}" for s in STRATEGIES for f in STRATEGY_FIELDS]
    keys += [k for k in flat if k.startswith("demand.bloc_shares.")]
    keys += [
        f"risk.{k.removeprefix('risk.distributions.')}.{p}"
        for k, (v, _) in flat.items()
        if k.startswith("risk.distributions.")
        for p in (v or {})
    ]
    return keys


def _apply_overrides(flat: Flat, overrides: dict[str, Any], problems: list[str]) -> None:
    valid = _valid_override_keys(flat)
    for key, value in overrides.items():
        if not isinstance(key, str) or key not in valid:
            problems.append(f"override: unknown key {key!r}{suggest(str(key), valid)}")
        elif key.startswith("risk."):
            target, param = key.removeprefix("risk.").rsplit(".", 1)
            spec, _ = flat[f"risk.distributions.{target}"]
            flat[f"risk.distributions.{target}"] = ({**spec, param: value}, "override")
        else:
            flat[key] = (value, "override")


def _fill(template: str, lookup: Mapping[str, Any]) -> str | None:
    """Fill ``{key}`` placeholders; None if one is missing or is itself unresolved."""
    missing = [m for m in _PLACEHOLDER.findall(template) if not isinstance(lookup.get(m), str) or str(lookup[m]).startswith("@")]
    if missing:
        return None
    return _PLACEHOLDER.sub(lambda m: str(lookup[m.group(1)]), template)


def _lookup_ref(ref: str, spec: Field | None) -> tuple[Value, str]:
    """Value and source text of a filled ``@table/row/column`` reference; ValueError if broken."""
    match = _REF.match(ref)
    if not match:
        raise ValueError(f"reference {ref!r} is not of the form '@table/row/column'")
    table_name, row, column = match["table"], match["row"], match["column"]
    table = load_table(table_name)
    if row not in table.index:
        raise ValueError(f"reference {ref!r}: no row {row!r} in data/{table_name}.csv{suggest(row, map(str, table.index))}")
    if column not in table.columns:
        raise ValueError(f"reference {ref!r}: no column {column!r} in data/{table_name}.csv{suggest(column, table.columns)}")
    cell = table.at[row, column]
    if isinstance(cell, float) and math.isnan(cell):
        raise ValueError(f"reference {ref!r}: the cell is empty in data/{table_name}.csv")
    value: Value = cell.item() if isinstance(cell, np.generic) else cell  # type: ignore[assignment]
    if spec is not None and spec.kind == "int" and isinstance(value, float) and value.is_integer():
        value = int(value)
    if spec is not None and spec.kind == "bool" and isinstance(value, str) and value.lower() in ("true", "false"):
        value = value.lower() == "true"
    ids = cell_sources(table_name, row, column)
    return value, f"data/{table_name}.csv [{row}, {column}]: {', '.join(ids) or 'no provenance'}"


def _resolve_inputs(inputs: Flat, notes: Mapping[str, str], problems: list[str]) -> tuple[dict[str, Value], dict[str, str]]:
    """Expand site defaults, resolve references, attach sources."""
    raw = {k: v for k, v in inputs.items() if not k.startswith("build.site_defaults.")}
    defaults = {k.removeprefix("build.site_defaults."): v for k, v in inputs.items() if k.startswith("build.site_defaults.")}
    for key in list(raw):
        parts = key.split(".")
        if key.startswith("build.sites.") and len(parts) == 3:
            del raw[key]
            for fname, (value, origin) in defaults.items():
                raw.setdefault(f"{key}.{fname}", (value, origin))
    values = _site_order(
        {k: v for k, (v, _) in raw.items()}, [k.split(".")[2] for k in inputs if k.startswith("build.sites.") and k.count(".") == 2]
    )
    sources: dict[str, str] = {}
    pending = [k for k, v in values.items() if isinstance(v, str) and v.startswith("@")]
    for _ in range(4):  # references may depend on fields that are references themselves
        still = []
        for key in pending:
            parts = key.split(".")
            lookup: dict[str, Any] = dict(values)
            if key.startswith("build.sites."):
                lookup |= {f: values.get(f"build.sites.{parts[2]}.{f}") for f in SITE_FIELDS} | {"site": parts[2]}
            filled = _fill(str(values[key]), lookup)
            if filled is None:
                still.append(key)
                continue
            try:
                values[key], sources[key] = _lookup_ref(filled, field_for(key))
            except ValueError as exc:
                problems.append(f"{raw[key][1]}: {key}: {exc}")
                sources[key] = BROKEN
        pending = still
    for key in pending:
        problems.append(f"{raw[key][1]}: {key} = {values[key]!r}: a placeholder could not be filled")
        sources[key] = BROKEN
    for key, (_, origin) in raw.items():
        if key in sources:
            continue
        generic = ".".join(["build.sites", "*", *key.split(".")[3:]]) if key.startswith("build.sites.") else key
        default = "build.site_defaults." + key.split(".")[-1] if key.startswith("build.sites.") else key
        note = notes.get(key) or notes.get(generic) or notes.get(default)
        if origin == "override":
            sources[key] = "override"
        elif note:
            sources[key] = f"{Path(origin).name}: {note}"
        else:
            sources[key] = f"{Path(origin).name}: no source given"
    return values, sources


def _site_order(values: dict[str, Value], site_order: list[str]) -> dict[str, Value]:
    """Put site keys after the others, sites in the order the files list them, fields in schema order."""
    rank = {s: i for i, s in enumerate(site_order)}
    fields = {f: i for i, f in enumerate(SITE_FIELDS)}

    def order(key: str) -> tuple[int, int, int]:
        parts = key.split(".")
        if key.startswith("build.sites.") and len(parts) >= 3:
            return (1, rank.get(parts[2], len(rank)), fields.get(parts[-1], len(fields)))
        return (0, 0, 0)

    return dict(sorted(values.items(), key=lambda kv: order(kv[0])))


def _check_values(values: dict[str, Value], sources: Mapping[str, str], raw: Flat, problems: list[str]) -> None:
    """Types, ranges, unknown keys, missing keys and cross-field rules."""

    def origin(key: str) -> str:
        return raw[key][1] if key in raw else "defaults"

    for key, value in values.items():
        spec = field_for(key)
        if spec is None:
            site = key.split(".")[2] if key.startswith("build.sites.") else "<site>"
            valid = [
                *FIELDS,
                *(f"build.sites.{site}.{f}" for f in SITE_FIELDS),
                *(f"strategies.{s}.{f}" for s in STRATEGIES for f in STRATEGY_FIELDS),
            ]
            problems.append(f"{origin(key)}: unknown key {key!r}{suggest(key, valid)}")
        elif sources.get(key) == BROKEN:
            continue  # already reported as a broken reference
        elif (why := spec.check(value)) is not None:
            problems.append(f"{origin(key)}: {key} = {value!r} {why}")
    sites = sorted({k.split(".")[2] for k in values if k.startswith("build.sites.")})
    required = list(FIELDS) + [f"build.sites.{s}.{f}" for s in sites for f in SITE_FIELDS]
    required += [f"strategies.{s}.{f}" for s in STRATEGIES for f in STRATEGY_FIELDS]
    for key in required:
        if key not in values:
            problems.append(f"missing key {key!r} ({field_for(key).allowed()})")  # type: ignore[union-attr]
    if problems:
        return
    _check_cross_fields(values, sites, origin, problems)


def _check_cross_fields(values: dict[str, Value], sites: list[str], origin: Any, problems: list[str]) -> None:
    horizon = float(values["horizon.years"])
    term = float(values["cloud.commit_term_years"])
    if term > horizon:
        problems.append(
            f"{origin('cloud.commit_term_years')}: cloud.commit_term_years = {term:g} [years] is longer than horizon.years = {horizon:g}; "
            "a commitment must end within the horizon"
        )
    shares = {k: float(v) for k, v in values.items() if k.startswith("demand.bloc_shares.")}
    blocs = set(load_table("regions")["sovereignty_bloc"])
    for key in shares:
        bloc = key.rsplit(".", 1)[1]
        if bloc not in blocs:
            problems.append(f"{origin(key)}: {key}: bloc {bloc!r} is not a sovereignty bloc of data/regions.csv{suggest(bloc, blocs)}")
    if not shares or abs(sum(shares.values()) - 1.0) > 1e-9:
        problems.append(f"demand.bloc_shares must sum to 1; they sum to {sum(shares.values()):.6g} ({shares})")
    if not sites and any(float(values[f"strategies.{s}.build_share"]) > 0 for s in STRATEGIES):
        problems.append("build.sites is empty but a strategy builds (build_share > 0)")
    site_table = load_table("sites")
    for s in sites:
        if s not in site_table.index:
            problems.append(f"{origin(f'build.sites.{s}')}: build.sites.{s}: no site {s!r} in data/sites.csv{suggest(s, site_table.index)}")
            continue
        mw, cap = float(values[f"build.sites.{s}.it_mw"]), float(site_table.at[s, "max_it_mw"])  # type: ignore[arg-type]
        if mw > cap:
            problems.append(
                f"{origin(f'build.sites.{s}.it_mw')}: build.sites.{s}.it_mw = {mw:g} [MW] "
                f"exceeds the site's max_it_mw = {cap:g} in data/sites.csv"
            )
        bloc = str(values[f"build.sites.{s}.sovereignty_bloc"])
        if bloc not in blocs:
            problems.append(f"build.sites.{s}.sovereignty_bloc = {bloc!r} is not a bloc of data/regions.csv")


def _check_distributions(raw: Flat, values: Mapping[str, Value], problems: list[str]) -> tuple[Distribution, ...]:
    out = []
    for key, (spec, origin) in raw.items():
        fld = field_for(key)
        where = f"{origin}: risk.distributions.{key}"
        if fld is None or fld.kind != "float":
            problems.append(f"{where}: not a numeric scenario key{suggest(key, [k for k in FIELDS if FIELDS[k].kind == 'float'])}")
            continue
        if not isinstance(spec, dict) or spec.get("dist") not in DISTRIBUTIONS:
            problems.append(f"{where}: must be a mapping with dist = one of {', '.join(DISTRIBUTIONS)}; got {spec!r}")
            continue
        params = {k: _resolve_param(v, values, where, problems) for k, v in spec.items() if k != "dist"}
        expected = DISTRIBUTIONS[spec["dist"]]
        if set(params) != set(expected):
            problems.append(f"{where}: {spec['dist']} takes parameters {', '.join(expected)}; got {', '.join(params) or 'none'}")
            continue
        bad = [p for p, v in params.items() if not isinstance(v, int | float) or isinstance(v, bool) or not math.isfinite(v)]
        if bad:
            problems.append(f"{where}: parameters {', '.join(bad)} must be finite numbers [{fld.unit}]; got {params}")
            continue
        numbers = {p: float(v) for p, v in params.items()}
        why = _distribution_problem(spec["dist"], numbers, fld)
        if why:
            problems.append(f"{where}: {why}")
            continue
        out.append(Distribution(key, spec["dist"], MappingProxyType(numbers)))
    return tuple(out)


def _resolve_param(value: Any, values: Mapping[str, Value], where: str, problems: list[str]) -> Any:
    """A distribution parameter: a number, or a data reference resolved to one."""
    if not (isinstance(value, str) and value.startswith("@")):
        return value
    filled = _fill(value, values)
    try:
        if filled is None:
            raise ValueError(f"a placeholder in {value!r} could not be filled")
        return _lookup_ref(filled, None)[0]
    except ValueError as exc:
        problems.append(f"{where}: {exc}")
        return math.nan


def _distribution_problem(dist: str, p: Mapping[str, float], fld: Field) -> str | None:
    if dist in ("triangular", "pert") and not p["low"] <= p["mode"] <= p["high"]:
        return f"needs low <= mode <= high; got {dict(p)}"
    if dist in ("triangular", "pert", "uniform") and not p["low"] < p["high"]:
        return f"needs low < high; got {dict(p)}"
    if (dist == "normal" and p["sd"] <= 0) or (dist == "lognormal" and (p["sigma"] <= 0 or p["median"] <= 0)):
        return f"spread and median must be positive; got {dict(p)}"
    if dist == "bernoulli" and not 0 <= p["p"] <= 1:
        return f"p = {p['p']} must be in [0, 1]"
    ends = [p[k] for k in ("low", "high", "mode", "mean", "median") if k in p]
    outside = [x for x in ends if fld.check(x) is not None]
    if dist != "bernoulli" and outside:
        return f"parameters {dict(p)} leave the allowed range: {fld.allowed()}"
    return None


def _check_correlations(
    raw: tuple[Any, str], distributions: tuple[Distribution, ...], problems: list[str]
) -> tuple[tuple[str, str, float], ...]:
    entries, origin = raw
    keys = [d.key for d in distributions]
    out: list[tuple[str, str, float]] = []
    for entry in entries:
        ok = (
            isinstance(entry, list) and len(entry) == 3 and all(isinstance(x, str) for x in entry[:2]) and isinstance(entry[2], int | float)
        )
        if not ok:
            problems.append(f"{origin}: risk.correlations entry {entry!r} must be [key, key, rho]")
        elif entry[0] not in keys or entry[1] not in keys or entry[0] == entry[1]:
            unknown = [k for k in entry[:2] if k not in keys]
            problems.append(
                f"{origin}: risk.correlations {entry!r}: {', '.join(unknown) or 'a key with itself'} is not an uncertain input"
                + (suggest(unknown[0], keys) if unknown else "")
            )
        elif not -1 <= entry[2] <= 1:
            problems.append(f"{origin}: risk.correlations {entry!r}: rho = {entry[2]} must be in [-1, 1]")
        else:
            out.append((entry[0], entry[1], float(entry[2])))
    if out:
        index = {k: i for i, k in enumerate(keys)}
        matrix = np.eye(len(keys))
        for a, b, rho in out:
            matrix[index[a], index[b]] = matrix[index[b], index[a]] = rho
        if np.linalg.eigvalsh(matrix).min() < -1e-10:
            problems.append(f"{origin}: risk.correlations do not form a valid (positive semi-definite) correlation matrix")
    return tuple(out)


def _hash(values: Mapping[str, Value], distributions: tuple[Distribution, ...], correlations: tuple[tuple[str, str, float], ...]) -> str:
    payload = {
        "values": dict(sorted(values.items())),
        "distributions": [[d.key, d.dist, dict(sorted(d.params.items()))] for d in distributions],
        "correlations": [list(c) for c in correlations],
    }
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return hashlib.sha256(text.encode()).hexdigest()[:16]
