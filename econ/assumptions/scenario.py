"""Load, resolve and validate a scenario into an immutable :class:`Scenario`.

Resolution, in order:

1. merge the file over its ``extends:`` chain (:mod:`econ.assumptions.files`);
2. apply the overrides (dotted keys, the same ones the notebooks and the CLI use);
3. give every site of ``build.sites`` the fields of ``build.site_defaults`` it does not set;
4. replace data references ``"@table/row/column"`` by the cell's value; ``{key}`` in a
   reference is filled from the scenario (``@accelerator_generations/{cloud.list_generation}/gpu_tdp_w``)
   or, for a site, from the site's own fields and ``{site}``;
5. check types, ranges and cross-field rules; every problem found is reported at once.

Only then is the :class:`Scenario` built, so a bad file or override never half-loads.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
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
from econ.assumptions.schema import (
    CONTRACT_FIELDS,
    CONTRACT_REQUIRED,
    DISTRIBUTIONS,
    FIELDS,
    SITE_FIELDS,
    STRATEGIES,
    STRATEGY_FIELDS,
    Field,
    Value,
    as_float,
    show,
)
from econ.assumptions.tables import cell_sources, load_table

_REF = re.compile(r"^@(?P<table>[\w-]+)/(?P<row>[^/]+)/(?P<column>[\w.]+)$")
_PLACEHOLDER = re.compile(r"\{([\w.-]+)\}")
BROKEN = "<broken reference>"


@dataclass(frozen=True)
class Distribution:
    """The uncertainty of one scenario key, sampled by the Monte Carlo.

    Hashable: two distributions are equal, and hash equal, when key, family and parameter
    values are equal.

    Attributes
    ----------
    key : str
        Scenario key, or ``build.sites.*.<field>`` for every site independently.
    dist : str
        Family, a key of :data:`econ.assumptions.schema.DISTRIBUTIONS`.
    params : Mapping[str, float]
        The family's parameters in the key's unit.

    Examples
    --------
    >>> a = Distribution("demand.growth_annual", "uniform", MappingProxyType({"low": 0.1, "high": 0.3}))
    >>> b = Distribution("demand.growth_annual", "uniform", {"high": 0.3, "low": 0.1})
    >>> a == b, hash(a) == hash(b)
    (True, True)
    """

    key: str
    dist: str
    params: Mapping[str, float]

    def _identity(self) -> tuple[str, str, tuple[tuple[str, float], ...]]:
        return (self.key, self.dist, tuple(sorted(self.params.items())))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Distribution):
            return NotImplemented
        return self._identity() == other._identity()

    def __hash__(self) -> int:
        return hash(self._identity())

    def __reduce__(self) -> tuple[type[Distribution], tuple[str, str, dict[str, float]]]:
        """Pickled with a plain dict (a read-only mapping proxy cannot be pickled), for worker processes."""
        return (Distribution, (self.key, self.dist, dict(self.params)))


@dataclass(frozen=True, eq=False)
class Scenario:
    """A resolved, validated and immutable set of model inputs.

    A value object: two scenarios are equal when they resolve to the same model inputs (the
    same ``values``, ``distributions`` and ``correlations``, in the same order), whatever
    their name, description, files, sources or overrides; equal scenarios have the same
    :attr:`hash` and the same Python ``hash()``, so scenarios can be dict keys and set
    members. Float keys always hold floats (an int written for a float key is stored as a
    float, ``-0.0`` as ``0.0``), so ``5`` and ``5.0`` give equal scenarios.

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
        SHA-256 (hex, first 16 characters) of the canonical JSON of the resolved values,
        distributions and correlations: equal for equal inputs whatever files produced them.
        Computed, not a constructor argument.

    Examples
    --------
    >>> base = load_scenario("base")
    >>> same = load_scenario("base", {"strategies.rent.contracts.c1.cover_share": 1.0})  # the file's value
    >>> base == same, hash(base) == hash(same), base.hash == same.hash
    (True, True, True)
    >>> len({base, same, load_scenario("base", {"cloud.commit_discount_level": 0.4})})
    2
    """

    name: str
    description: str
    values: Mapping[str, Value]
    sources: Mapping[str, str]
    distributions: tuple[Distribution, ...]
    correlations: tuple[tuple[str, str, float], ...]
    files: tuple[str, ...]
    overrides: Mapping[str, Value] = field(default_factory=lambda: MappingProxyType({}))
    hash: str = field(init=False, default="")
    _digest: str = field(init=False, default="", repr=False)

    def __post_init__(self) -> None:
        values = MappingProxyType({k: _canonical(v, field_for(k)) for k, v in self.values.items()})
        distributions = tuple(
            Distribution(d.key, d.dist, MappingProxyType({p: _canonical(x, None) for p, x in d.params.items()})) for d in self.distributions
        )
        correlations = tuple((a, b, _canonical(rho, None)) for a, b, rho in self.correlations)
        digest = _sha256(values, distributions, correlations)
        for name, value in [
            ("values", values),
            ("sources", MappingProxyType(dict(self.sources))),
            ("overrides", MappingProxyType(dict(self.overrides))),
            ("distributions", distributions),
            ("correlations", correlations),
            ("hash", digest[:16]),
            ("_digest", digest),
        ]:
            object.__setattr__(self, name, value)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Scenario):
            return NotImplemented
        return self._digest == other._digest

    def __hash__(self) -> int:
        return hash(self._digest)

    def __reduce__(self) -> tuple[type[Scenario], tuple[Any, ...]]:
        """Pickled with plain dicts (read-only mapping proxies cannot be pickled), so a scenario can travel to worker processes.

        Examples
        --------
        >>> import pickle
        >>> base = load_scenario("base")
        >>> copy = pickle.loads(pickle.dumps(base))
        >>> copy == base, copy.sources == base.sources, copy.overrides == base.overrides
        (True, True, True)
        """
        fields = (self.name, self.description, dict(self.values), dict(self.sources), self.distributions, self.correlations, self.files)
        return (Scenario, (*fields, dict(self.overrides)))

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

    @property
    def bloc_shares(self) -> dict[str, float]:
        """Share of demand in each sovereignty bloc (``demand.bloc_shares.<bloc>``), in file order."""
        prefix = "demand.bloc_shares."
        return {k.removeprefix(prefix): float(v) for k, v in self.values.items() if k.startswith(prefix)}

    def sites(self) -> pd.DataFrame:
        """One row per site, one column per site field (units in the names)."""
        rows = {s: {f: self.values[f"build.sites.{s}.{f}"] for f in SITE_FIELDS} for s in self.site_ids}
        return pd.DataFrame.from_dict(rows, orient="index", columns=list(SITE_FIELDS)).rename_axis("site_id")

    def contracts(self, strategy: str) -> pd.DataFrame:
        """The contracts of one strategy: one row per contract id, in file order.

        Columns are the contract fields (``start_month``, ``term_months`` [months],
        ``commit_usd`` [USD], ``cover_share`` [1]); the size not given is NaN.

        Examples
        --------
        >>> list(load_scenario("base").contracts("rent").columns)
        ['start_month', 'term_months', 'commit_usd', 'cover_share']
        """
        if strategy not in STRATEGIES:
            raise ValueError(f"strategy: must be one of {STRATEGIES}; got {show(strategy)}")
        ids = _contract_ids(self.values)[strategy]
        rows = {c: {f: self.values.get(f"strategies.{strategy}.contracts.{c}.{f}", np.nan) for f in CONTRACT_FIELDS} for c in ids}
        return pd.DataFrame.from_dict(rows, orient="index", columns=list(CONTRACT_FIELDS)).rename_axis("contract")

    def with_overrides(self, overrides: Mapping[str, Any]) -> Scenario:
        """Reload the same files with more overrides (later ones win).

        Parameters
        ----------
        overrides : mapping of str to value
            Dotted keys and values, as for :func:`load_scenario`.

        Returns
        -------
        Scenario
            A new scenario; ``self`` is unchanged.

        Raises
        ------
        TypeError
            If ``overrides`` is not a mapping with string keys.
        ScenarioError
            If an override is invalid (see :func:`load_scenario`).

        Examples
        --------
        >>> load_scenario("base").with_overrides({"cloud.commit_discount_level": 0.4})["cloud.commit_discount_level"]
        0.4
        """
        return load_scenario(self.files[-1], {**self.overrides, **_check_overrides(overrides)})

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
    if key.startswith("demand.regulated_shares.") and len(parts) == 3:
        return Field(
            "float", "1", f"Share of the {parts[2]} bloc's demand that must be served in-bloc (instead of demand.regulated_share)", 0.0, 1.0
        )
    if key.startswith("strategies.") and len(parts) == 3 and parts[1] in STRATEGIES:
        return STRATEGY_FIELDS.get(parts[2])
    if key.startswith("strategies.") and len(parts) == 5 and parts[1] in STRATEGIES and parts[2] == "contracts":
        return CONTRACT_FIELDS.get(parts[4])
    return None


def _contract_ids(keys: Any) -> dict[str, list[str]]:
    """Contract ids of each strategy, in the order the keys list them."""
    out: dict[str, list[str]] = {s: [] for s in STRATEGIES}
    for key in keys:
        parts = key.split(".")
        if (
            len(parts) >= 4
            and parts[0] == "strategies"
            and parts[1] in STRATEGIES
            and parts[2] == "contracts"
            and parts[3] not in out[parts[1]]
        ):
            out[parts[1]].append(parts[3])
    return out


def list_scenarios(directory: Path = SCENARIO_DIR) -> pd.DataFrame:
    """The scenarios in a folder: name, parent, description and file.

    Parameters
    ----------
    directory : Path
        Folder of scenario YAML files (default: the shipped ones, :data:`SCENARIO_DIR`).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``scenario`` (the file stem), columns ``extends``, ``description`` and
        ``file``.

    Examples
    --------
    >>> table = list_scenarios()
    >>> table.loc["rent-only", "extends"], "base" in table.index
    ('base', True)
    """
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


def load_scenario(name_or_path: str | os.PathLike[str], overrides: Mapping[str, Any] | None = None) -> Scenario:
    """Load a scenario by name or path, apply overrides and validate it.

    Parameters
    ----------
    name_or_path : str or os.PathLike
        A shipped scenario's name (``"base"``, ``"rent-only"``; see :func:`list_scenarios`)
        or the path of a YAML file.
    overrides : mapping of str to value, optional
        Dotted keys and values applied after the files, e.g.
        ``{"cloud.commit_discount_level": 0.35, "build.sites.us-va-loudoun.it_mw": 100}``.
        ``risk.<key>.<param>`` changes one parameter of an uncertain input (a number in the
        key's unit, or ``dist`` to change the family). Values are type- and range-checked
        against the schema like the files' values; a string starting with ``@`` is a data
        reference ``"@table/row/column"``. NumPy scalars are taken as the Python number.

    Returns
    -------
    Scenario
        Immutable and hashable; ``scenario.values`` are plain Python numbers, strings and
        booleans (float keys always hold floats).

    Raises
    ------
    TypeError
        If ``name_or_path`` is not a str or path, or ``overrides`` is not None or a mapping
        with str keys.
    ScenarioError
        (a ``ValueError``) listing every problem: unknown keys with the nearest valid key,
        wrong types, values out of range, broken references and cross-field rules, each with
        the file (or ``override``), the key, the value and what is allowed (with the unit).

    Examples
    --------
    >>> s = load_scenario("base", {"cloud.commit_discount_level": 0.4})
    >>> s["cloud.commit_discount_level"], s.overrides["cloud.commit_discount_level"]
    (0.4, 0.4)
    >>> load_scenario("base", {"horizon.start_month": "foo"})
    Traceback (most recent call last):
    ...
    econ.assumptions.errors.ScenarioError: scenario 'base' is invalid (1 problem):
      - override: horizon.start_month = 'foo' is not allowed; expected a str 'YYYY-MM', a calendar month from 1900-01 to 2200-12
    >>> load_scenario("base", 0)
    Traceback (most recent call last):
    ...
    TypeError: overrides = 0 has type int; expected None or a mapping of dotted scenario keys (str) to values,
    e.g. {'cloud.commit_discount_level': 0.35}
    """
    path = scenario_path(_check_name(name_or_path))
    overrides = _check_overrides(overrides)
    flat, files, name = resolve_extends(path)
    problems: list[str] = []
    _apply_overrides(flat, overrides, problems)
    description = str(flat.pop("description", ("", ""))[0])
    notes = {k.removeprefix("sources."): v for k, (v, _) in flat.items() if k.startswith("sources.")}
    risk_raw = {k.removeprefix("risk.distributions."): v for k, v in flat.items() if k.startswith("risk.distributions.")}
    correlations_raw = flat.get("risk.correlations", ([], ""))
    inputs = {k: v for k, v in flat.items() if not k.startswith(("sources.", "risk."))}
    resolved = _resolve_inputs(inputs, notes, problems)
    _check_values(resolved, problems)
    distributions = _check_distributions(risk_raw, resolved, problems)
    correlations = _check_correlations(correlations_raw, distributions, set(risk_raw), problems)
    if problems:
        raise ScenarioError(name, problems)
    return Scenario(
        name=name,
        description=" ".join(description.split()),
        values=MappingProxyType(resolved.values),
        sources=MappingProxyType(resolved.sources),
        distributions=distributions,
        correlations=correlations,
        files=tuple(str(f) for f in files),
        overrides=MappingProxyType(overrides),
    )


_OVERRIDES_HINT = "; expected None or a mapping of dotted scenario keys (str) to values, e.g. {'cloud.commit_discount_level': 0.35}"


def _check_name(name_or_path: object) -> str | Path:
    """``name_or_path`` as a str or Path; TypeError naming it otherwise."""
    if isinstance(name_or_path, str):
        return name_or_path
    if isinstance(name_or_path, os.PathLike):
        text = os.fspath(name_or_path)
        if isinstance(text, str):
            return Path(text)
    raise TypeError(
        f"name_or_path = {show(name_or_path)} has type {type(name_or_path).__name__}; expected a shipped scenario's name "
        "(a str such as 'base') or the path of a YAML file (a str or os.PathLike giving a str)"
    )


def _check_overrides(overrides: object) -> dict[str, Value]:
    """The overrides as a plain dict with plain values; TypeError naming ``overrides`` otherwise."""
    if overrides is None:
        return {}
    if not isinstance(overrides, Mapping):
        raise TypeError(f"overrides = {show(overrides)} has type {type(overrides).__name__}{_OVERRIDES_HINT}")
    bad = [k for k in overrides if not isinstance(k, str)]
    if bad:
        listed = ", ".join(f"{show(k)} ({type(k).__name__})" for k in bad[:5])
        raise TypeError(f"overrides has {len(bad)} key(s) that are not a str: {listed}{_OVERRIDES_HINT}")
    return {str.__str__(k): _plain(v) for k, v in overrides.items()}


def _plain(value: Any) -> Any:
    """A NumPy scalar or a subclass of int, float or str as the plain Python value; anything else unchanged."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, int) and type(value) is not int:
        return int.__int__(value)
    if isinstance(value, float) and type(value) is not float:
        return float.__float__(value)
    if isinstance(value, str) and type(value) is not str:
        return str.__str__(value)
    return value


def _is_ref(value: object) -> bool:
    return isinstance(value, str) and value.startswith("@")


def _valid_override_keys(flat: Flat) -> list[str]:
    sites = {k.split(".")[2] for k in flat if k.startswith("build.sites.")}
    keys = list(FIELDS) + [f"build.sites.{s}.{f}" for s in sites for f in SITE_FIELDS]
    keys += [f"strategies.{s}.{f}" for s in STRATEGIES for f in STRATEGY_FIELDS]
    keys += [f"strategies.{s}.contracts.{c}.{f}" for s, ids in _contract_ids(flat).items() for c in ids for f in CONTRACT_FIELDS]
    keys += [k for k in flat if k.startswith(("demand.bloc_shares.", "demand.regulated_shares."))]
    keys += [f"demand.regulated_shares.{k.rsplit('.', 1)[1]}" for k in flat if k.startswith("demand.bloc_shares.")]
    keys += [
        f"risk.{k.removeprefix('risk.distributions.')}.{p}"
        for k, (v, _) in flat.items()
        if k.startswith("risk.distributions.") and isinstance(v, dict)
        for p in v
    ]
    return keys


def _apply_overrides(flat: Flat, overrides: dict[str, Value], problems: list[str]) -> None:
    """Put the overrides into ``flat``; report unknown keys and malformed risk parameters.

    The values of scenario keys are checked with the files' values (:func:`_resolve_inputs`),
    as a value may be a data reference; a risk parameter is checked here, so the problem names
    the key the user gave rather than the distribution it changes.
    """
    valid = _valid_override_keys(flat)
    known = set(valid)
    risk_keys: dict[str, list[str]] = {}
    for key, value in overrides.items():
        if key not in known:
            problems.append(f"override: unknown key {show(key, width=200)}{suggest(key, valid)}")
        elif key.startswith("risk."):
            target, param = key.removeprefix("risk.").rsplit(".", 1)
            why = _risk_param_problem(target, param, value)
            if why is not None:
                problems.append(f"override: {key} = {show(value)} {why}")
                continue
            spec, _ = flat[f"risk.distributions.{target}"]
            risk_keys.setdefault(target, []).append(key)
            flat[f"risk.distributions.{target}"] = ({**spec, param: value}, "override " + ", ".join(risk_keys[target]))
        else:
            flat[key] = (value, "override")


def _risk_param_problem(target: str, param: str, value: object) -> str | None:
    """Why ``value`` cannot be parameter ``param`` of the distribution of ``target``, or None."""
    if param == "dist":
        families = ", ".join(repr(d) for d in DISTRIBUTIONS)
        if not isinstance(value, str):
            return f"has type {type(value).__name__}; expected one of {families}"
        return None if value in DISTRIBUTIONS else f"is not a distribution family; expected one of {families}"
    if _is_ref(value):
        return None  # resolved and checked with the distribution
    fld = field_for(target)
    expected = f"expected a finite number{f' [{fld.unit}]' if fld else ''} or a data reference '@table/row/column'"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return f"has type {type(value).__name__}; {expected}"
    x = as_float(value)
    return None if x is not None and math.isfinite(x) else f"is not finite; {expected}"


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


@dataclass
class _Resolved:
    """The inputs after site defaults and references: values, sources, origins and bad keys."""

    values: dict[str, Value]
    sources: dict[str, str]
    origins: dict[str, str]
    invalid: set[str]
    """Keys whose problem is already reported (bad value or broken reference); their dependents are not reported again."""

    def origin_label(self, key: str) -> str:
        origin = self.origins.get(key, "defaults")
        return origin if origin.startswith("override") else Path(origin).name

    def placeholders(self, key: str, template: str) -> dict[str, str | None]:
        """Placeholder name -> the key it reads (None for ``{site}``), as seen from ``key``."""
        parts = key.split(".")
        site = parts[2] if key.startswith("build.sites.") and len(parts) == 4 else None
        out: dict[str, str | None] = {}
        for name in _PLACEHOLDER.findall(template):
            if site is not None and name == "site":
                out[name] = None
            elif site is not None and name in SITE_FIELDS:
                out[name] = f"build.sites.{site}.{name}"
            else:
                out[name] = name
        return out

    def lookup(self, key: str, names: Mapping[str, str | None]) -> dict[str, Any]:
        return {n: (key.split(".")[2] if full is None else self.values.get(full)) for n, full in names.items()}

    def filled_from(self, names: Mapping[str, str | None]) -> str:
        """`` (filled from build.sites.us-va-loudoun.build_type = 'modular' (override))``: the keys a reference was filled from."""
        parts = [f"{full} = {show(self.values.get(full))} ({self.origin_label(full)})" for full in names.values() if full is not None]
        return f" (filled from {', '.join(parts)})" if parts else ""

    def blame(self, key: str, label: str, names: Mapping[str, str | None], detail: str) -> str:
        """A problem of ``key`` (shown as ``label``) that ``detail`` describes, naming first the override that caused it.

        When the key comes from a file but a placeholder it reads was overridden
        (``build.sites.<site>.build_type = 'global-average-jll'`` leaving ``@facility_capex/{build_type}/...`` empty), the
        problem starts with that override; otherwise with the key's own origin.
        """
        overridden = [f for f in names.values() if f is not None and self.origins.get(f) == "override"]
        if overridden and not self.origins.get(key, "").startswith("override"):
            given = ", ".join(f"{f} = {show(self.values.get(f))}" for f in overridden)
            return f"override: {given}: {label} in {self.origin_label(key)}{detail}; override {label} too, or choose another value"
        return f"{self.origins.get(key, 'defaults')}: {label}{detail}{self.filled_from(names)}"

    def unfilled(self, key: str, names: Mapping[str, str | None]) -> str:
        """Why the placeholders of ``key`` cannot be filled."""
        reasons = []
        for name, full in names.items():
            if full is None:
                continue
            value = self.values.get(full)
            if full not in self.values:
                reasons.append(f"{{{name}}}: no key {full!r}{suggest(full, self.values)}")
            elif not isinstance(value, str):
                reasons.append(f"{{{name}}}: {full} = {show(value)} is not a str")
            elif value.startswith("@"):
                reasons.append(f"{{{name}}}: {full} = {show(value)} is itself an unresolved reference")
        return "; ".join(reasons) or "a placeholder could not be filled"


def _resolve_inputs(inputs: Flat, notes: Mapping[str, str], problems: list[str]) -> _Resolved:
    """Expand site defaults, check literal values, resolve and check references, attach sources.

    A value's problem is reported once, at the key that has it: a reference that reads a bad
    or broken key (``@facility_capex/{build_type}/...`` after a bad ``build_type``) is
    not reported again.
    """
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
    res = _Resolved(values, {}, {k: origin for k, (_, origin) in raw.items()}, set())
    for key, value in values.items():
        spec = field_for(key)
        if spec is not None and not _is_ref(value) and (why := spec.check(value)) is not None:
            problems.append(f"{res.origins[key]}: {key} = {show(value)} {why}")
            res.invalid.add(key)
    pending = [k for k, v in values.items() if _is_ref(v)]
    for _ in range(4):  # references may depend on fields that are references themselves
        still = []
        for key in pending:
            template = str(values[key])
            names = res.placeholders(key, template)
            if any(full in res.invalid for full in names.values()):
                res.invalid.add(key)  # the key it reads is reported
                res.sources[key] = BROKEN
                continue
            filled = _fill(template, res.lookup(key, names))
            if filled is None:
                still.append(key)
                continue
            spec = field_for(key)
            try:
                values[key], res.sources[key] = _lookup_ref(filled, spec)
            except ValueError as exc:
                problems.append(res.blame(key, key, names, f": {exc}"))
                res.sources[key] = BROKEN
                res.invalid.add(key)
                continue
            if spec is not None and (why := spec.check(values[key])) is not None:
                problems.append(res.blame(key, key, names, f" = {show(values[key])} (from {filled}) {why}"))
                res.invalid.add(key)
        pending = still
    for key in pending:
        names = res.placeholders(key, str(values[key]))
        if not any(full in res.invalid for full in names.values()):
            problems.append(f"{res.origins[key]}: {key} = {show(values[key])}: {res.unfilled(key, names)}")
        res.sources[key] = BROKEN
    res.invalid.update(pending)
    for key, (_, origin) in raw.items():
        if key in res.sources:
            continue
        generic = ".".join(["build.sites", "*", *key.split(".")[3:]]) if key.startswith("build.sites.") else key
        default = "build.site_defaults." + key.split(".")[-1] if key.startswith("build.sites.") else key
        note = notes.get(key) or notes.get(generic) or notes.get(default)
        if origin == "override":
            res.sources[key] = "override"
        elif note:
            res.sources[key] = f"{Path(origin).name}: {note}"
        else:
            res.sources[key] = f"{Path(origin).name}: no source given"
    return res


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


def _check_values(res: _Resolved, problems: list[str]) -> None:
    """Unknown keys, missing keys and cross-field rules (values were checked on resolution)."""
    values = res.values  # noqa: PD011 - a dict, not a DataFrame
    for key in values:
        if field_for(key) is None:
            site = key.split(".")[2] if key.startswith("build.sites.") else "<site>"
            valid = [
                *FIELDS,
                *(f"build.sites.{site}.{f}" for f in SITE_FIELDS),
                *(f"strategies.{s}.{f}" for s in STRATEGIES for f in STRATEGY_FIELDS),
            ]
            problems.append(f"{res.origins.get(key, 'defaults')}: unknown key {show(key)}{suggest(key, valid)}")
    sites = sorted({k.split(".")[2] for k in values if k.startswith("build.sites.")})
    required = list(FIELDS) + [f"build.sites.{s}.{f}" for s in sites for f in SITE_FIELDS]
    required += [f"strategies.{s}.{f}" for s in STRATEGIES for f in STRATEGY_FIELDS]
    required += [f"strategies.{s}.contracts.{c}.{f}" for s, ids in _contract_ids(values).items() for c in ids for f in CONTRACT_REQUIRED]
    for key in required:
        if key not in values:
            problems.append(f"missing key {key!r} ({field_for(key).allowed()})")  # type: ignore[union-attr]
    if problems:
        return
    _check_cross_fields(values, sites, lambda key: res.origins.get(key, "defaults"), problems)


def _check_contracts(values: dict[str, Value], origin: Any, problems: list[str]) -> None:
    """Each contract sets exactly one size, ends within the horizon and overlaps no other of its strategy.

    Every problem names the full keys involved (``strategies.rent.contracts.c1.start_month``,
    ``horizon.years``), with their values, and starts with the origin of the one that was
    overridden, if any: an override of ``horizon.years`` or of another contract's start is as
    likely the cause as the contract's own keys. (Fix found by tests/test_fuzz_scenarios.py:
    the problems named only ``strategies.<s>.contracts.<id>`` and the contract's file, not the
    overridden key.)
    """
    months = int(values["horizon.years"]) * 12

    def blame(keys: list[str]) -> str:
        return next((str(origin(k)) for k in keys if str(origin(k)).startswith("override")), str(origin(keys[0])))

    for strategy, ids in _contract_ids(values).items():
        taken: list[tuple[int, int, str]] = []
        for c in ids:
            key = f"strategies.{strategy}.contracts.{c}"
            size_keys = [f"{key}.{f}" for f in ("commit_usd", "cover_share")]
            given = [k for k in size_keys if k in values]
            if len(given) != 1:
                got = ", ".join(f"{k} = {show(values[k])}" for k in given) or "neither"
                problems.append(
                    f"{blame([*given, f'{key}.start_month'])}: {key}: give exactly one of {size_keys[0]} [USD] and {size_keys[1]} [1]; "
                    f"got {got}"
                )
            start_key, term_key = f"{key}.start_month", f"{key}.term_months"
            start, term = int(values[start_key]), int(values[term_key])
            if start + term > months:
                problems.append(
                    f"{blame([term_key, start_key, 'horizon.years'])}: {start_key} = {start} + {term_key} = {term} [months] ends after the "
                    f"horizon (horizon.years = {values['horizon.years']}: {months} months); a contract must end within the horizon"
                )
            for other_start, other_end, other in taken:
                if start < other_end and other_start < start + term:
                    o = f"strategies.{strategy}.contracts.{other}"
                    problems.append(
                        f"{blame([start_key, term_key, f'{o}.start_month', f'{o}.term_months'])}: {key} (months {start} to {start + term}: "
                        f"{start_key} = {start}, {term_key} = {term}) overlaps {o} (months {other_start} to {other_end}: {o}.start_month = "
                        f"{other_start}, {o}.term_months = {other_end - other_start}) of the same strategy; terms must not overlap"
                    )
            taken.append((start, start + term, c))


_GENERATION_COLUMNS = [
    "availability_year",
    "server_price_usd_per_gpu_low",
    "server_price_usd_per_gpu_high",
    "it_power_kw_per_gpu_low",
    "it_power_kw_per_gpu_high",
    "llama31_405b_offline_tokens_per_s_per_gpu",
]
"""Cells of data/accelerator_generations.csv the model reads for a generation of the trajectory."""


def _check_first_generation(values: dict[str, Value], ids: list[str], table: pd.DataFrame, origin: Any, problems: list[str]) -> None:
    """A generation of ``hardware.generation_ids`` must be available by month 1 of the horizon.

    The model (:func:`econ.hardware.frontier`) cannot buy anything before the first
    generation is available; without this rule a decision date before it (``horizon.start_month
    = '1900-01'``) was accepted by the loader and failed later in ``econ.evaluate`` with a
    ValueError (found by tests/test_fuzz_scenarios.py). The problem names the three keys, and
    starts with the one that was overridden, if any.
    """
    all_years = dict(zip(map(str, table.index), table["availability_year"].to_numpy(float), strict=True))
    years = {g: all_years[g] for g in ids if g in all_years and math.isfinite(all_years[g])}
    if not years:
        return
    period = str(values["horizon.start_month"])
    start = int(period[:4]) + (int(period[5:7]) - 1) / 12.0
    lag = float(values["hardware.availability_lag_months"])
    first = min(years, key=years.__getitem__)
    month = (years[first] - start) * 12.0 + lag
    if month <= 1:
        return
    keys = ("horizon.start_month", "hardware.generation_ids", "hardware.availability_lag_months")
    blamed = next((k for k in keys if str(origin(k)).startswith("override")), "hardware.generation_ids")
    problems.append(
        f"{origin(blamed)}: horizon.start_month = {show(values['horizon.start_month'])} is before any generation of "
        f"hardware.generation_ids = {show(values['hardware.generation_ids'])} is available: the first, {first!r} "
        f"(availability_year {years[first]:g} in data/accelerator_generations.csv, plus "
        f"hardware.availability_lag_months = {lag:g}), comes at month {month:g}; one must be available by month 1"
    )


def _check_horizon_windows(values: dict[str, Value], origin: Any, problems: list[str]) -> None:
    """The departure window's tail fits in the horizon.

    ``cloud.departure_tail_months`` longer than the horizon would make a builder a departing
    customer beyond anything the model sees. The problem names both keys and starts with the
    origin of the overridden one.
    """
    months = int(values["horizon.years"]) * 12

    def blame(keys: list[str]) -> str:
        return next((str(origin(k)) for k in keys if str(origin(k)).startswith("override")), str(origin(keys[0])))

    tail = float(values["cloud.departure_tail_months"])
    if tail > months:
        problems.append(
            f"{blame(['cloud.departure_tail_months', 'horizon.years'])}: cloud.departure_tail_months = {tail:g} [months] "
            "is longer than the "
            f"horizon (horizon.years = {values['horizon.years']}: {months} months); the departure window must end within it"
        )


def _check_cross_fields(values: dict[str, Value], sites: list[str], origin: Any, problems: list[str]) -> None:
    _check_contracts(values, origin, problems)
    ids = [g for g in str(values["hardware.generation_ids"]).split(",") if g]
    table = load_table("accelerator_generations")
    for g in ids:
        if g not in table.index:
            problems.append(
                f"{origin('hardware.generation_ids')}: hardware.generation_ids: no generation {g!r} in "
                f"data/accelerator_generations.csv{suggest(g, table.index)}"
            )
        elif table.loc[g, _GENERATION_COLUMNS].isna().any():
            problems.append(
                f"{origin('hardware.generation_ids')}: hardware.generation_ids: generation {g!r} has no availability year, "
                "price, power or benchmark throughput in data/accelerator_generations.csv"
            )
    _check_first_generation(values, ids, table, origin, problems)
    if str(values["cloud.list_generation"]) not in ids:
        problems.append(
            f"{origin('cloud.list_generation')}: cloud.list_generation = {show(values['cloud.list_generation'])} "
            f"must be one of hardware.generation_ids {ids}"
        )
    _check_horizon_windows(values, origin, problems)
    low, high = float(values["cloud.contract_markup_low"]), float(values["cloud.contract_markup_high"])
    if low > high:
        problems.append(
            f"{origin('cloud.contract_markup_low')}: cloud.contract_markup_low = {low:g} exceeds cloud.contract_markup_high = {high:g}"
        )
    mix = float(values["demand.batch_share"]) + float(values["demand.realtime_share"])
    if mix > 1.0:
        problems.append(
            f"{origin('demand.batch_share')}: demand.batch_share + demand.realtime_share = {mix:g} [1] exceeds 1 "
            "(the rest of the work is interactive)"
        )
    elif mix + float(values["demand.agent_share"]) > 1.0:
        total = mix + float(values["demand.agent_share"])
        problems.append(
            f"{origin('demand.agent_share')}: demand.batch_share + demand.realtime_share + demand.agent_share = {total:g} [1] exceeds 1 "
            "(the rest of the work is chat)"
        )
    shares = {k: float(v) for k, v in values.items() if k.startswith("demand.bloc_shares.")}
    blocs = set(load_table("regions")["sovereignty_bloc"])
    for key in shares:
        bloc = key.rsplit(".", 1)[1]
        if bloc not in blocs:
            problems.append(f"{origin(key)}: {key}: bloc {bloc!r} is not a sovereignty bloc of data/regions.csv{suggest(bloc, blocs)}")
    if not shares or abs(sum(shares.values()) - 1.0) > 1e-9:
        problems.append(f"demand.bloc_shares must sum to 1; they sum to {sum(shares.values()):.6g} ({shares})")
    for key in (k for k in values if k.startswith("demand.regulated_shares.")):
        bloc = key.rsplit(".", 1)[1]
        if f"demand.bloc_shares.{bloc}" not in shares:
            problems.append(f"{origin(key)}: {key}: bloc {bloc!r} has no demand share (demand.bloc_shares.{bloc})")
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


_SKIP = object()
"""A distribution parameter whose problem is already reported: skip the distribution."""


def _check_distributions(raw: Flat, res: _Resolved, problems: list[str]) -> tuple[Distribution, ...]:
    out = []
    for key, (spec, origin) in raw.items():
        fld = field_for(key)
        where = f"{origin}: risk.distributions.{key}"
        if fld is None or fld.kind != "float":
            problems.append(f"{where}: not a numeric scenario key{suggest(key, [k for k in FIELDS if FIELDS[k].kind == 'float'])}")
            continue
        dist = spec.get("dist") if isinstance(spec, dict) else None
        if not isinstance(dist, str) or dist not in DISTRIBUTIONS:
            problems.append(f"{where}: must be a mapping with dist = one of {', '.join(DISTRIBUTIONS)}; got {show(spec)}")
            continue
        params = {str(k): _resolve_param(v, res, key, origin, problems) for k, v in spec.items() if k != "dist"}
        if any(v is _SKIP for v in params.values()):
            continue
        expected = DISTRIBUTIONS[dist]
        if set(params) != set(expected):
            problems.append(f"{where}: {dist} takes parameters {', '.join(expected)}; got {', '.join(params) or 'none'}")
            continue
        numbers = {p: as_float(v) for p, v in params.items()}
        bad = [p for p, x in numbers.items() if x is None or not math.isfinite(x)]
        if bad:
            got = ", ".join(f"{p} = {show(v)}" for p, v in params.items())
            problems.append(f"{where}: parameters {', '.join(bad)} must be finite numbers [{fld.unit}]; got {got}")
            continue
        finite = {p: float(x) for p, x in numbers.items() if x is not None}
        why = _distribution_problem(dist, finite, fld)
        if why:
            problems.append(f"{where}: {why}")
            continue
        out.append(Distribution(key, dist, MappingProxyType(finite)))
    return tuple(out)


def _resolve_param(value: Any, res: _Resolved, target: str, origin: str, problems: list[str]) -> Any:
    """A parameter of the distribution of ``target``: a number, or a data reference resolved to one; ``_SKIP`` if it cannot be."""
    if not _is_ref(value):
        return value
    names: dict[str, str | None] = {n: n for n in _PLACEHOLDER.findall(value)}
    if any(n in res.invalid for n in names):
        return _SKIP  # the key it reads is reported
    filled = _fill(value, res.values)
    try:
        if filled is None:
            raise ValueError(f"reference {value!r}: {res.unfilled('', names)}")
        return _lookup_ref(filled, None)[0]
    except ValueError as exc:
        label = f"risk.distributions.{target}"
        res.origins.setdefault(label, origin)
        problems.append(res.blame(label, label, names, f": {exc}"))
        return _SKIP


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
    raw: tuple[Any, str], distributions: tuple[Distribution, ...], declared: set[str], problems: list[str]
) -> tuple[tuple[str, str, float], ...]:
    """The valid ``[key, key, rho]`` entries.

    An entry naming a distribution that was declared but rejected (its problem already
    reported) is left out without a second problem, unless its own form or rho is wrong.
    """
    entries, origin = raw
    keys = [d.key for d in distributions]
    out: list[tuple[str, str, float]] = []
    for entry in entries:
        ok = (
            isinstance(entry, list)
            and len(entry) == 3
            and all(isinstance(x, str) for x in entry[:2])
            and isinstance(entry[2], int | float)
            and not isinstance(entry[2], bool)
        )
        if not ok:
            problems.append(f"{origin}: risk.correlations entry {show(entry, width=200)} must be [key, key, rho]")
            continue
        unknown = [k for k in entry[:2] if k not in keys and k not in declared]
        if unknown or entry[0] == entry[1]:
            problems.append(
                f"{origin}: risk.correlations {show(entry, width=200)}: "
                f"{', '.join(unknown) or 'a key with itself'} is not an uncertain input" + (suggest(unknown[0], keys) if unknown else "")
            )
        elif not -1 <= entry[2] <= 1:
            problems.append(f"{origin}: risk.correlations {show(entry, width=200)}: rho = {show(entry[2])} must be in [-1, 1]")
        elif entry[0] in keys and entry[1] in keys:
            out.append((entry[0], entry[1], float(entry[2])))
    if out:
        index = {k: i for i, k in enumerate(keys)}
        matrix = np.eye(len(keys))
        for a, b, rho in out:
            matrix[index[a], index[b]] = matrix[index[b], index[a]] = rho
        if np.linalg.eigvalsh(matrix).min() < -1e-10:
            problems.append(f"{origin}: risk.correlations do not form a valid (positive semi-definite) correlation matrix")
    return tuple(out)


def _canonical(value: Any, spec: Field | None) -> Any:
    """A number of a float key (or of no key: a parameter) as a float, ``-0.0`` as ``0.0``; anything else unchanged."""
    if (spec is None or spec.kind == "float") and (x := as_float(value)) is not None:
        return x + 0.0
    return value


def _sha256(values: Mapping[str, Value], distributions: tuple[Distribution, ...], correlations: tuple[tuple[str, str, float], ...]) -> str:
    """SHA-256 (hex) of the canonical JSON of the resolved inputs."""
    payload = {
        "values": dict(sorted(values.items())),
        "distributions": [[d.key, d.dist, dict(sorted(d.params.items()))] for d in distributions],
        "correlations": [list(c) for c in correlations],
    }
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return hashlib.sha256(text.encode()).hexdigest()
