"""Check ``-p KEY=VALUE`` parameters before anything runs.

papermill on its own only *warns* about a parameter the notebook does not define, and
injects any value it can print. Here every value is parsed as YAML (``yaml.safe_load``:
plain data, never objects) and must be a number, string, boolean, list or mapping, nested
at most :data:`MAX_DEPTH` deep. Each key is then either

- a parameter of at least one selected notebook (found with ``papermill.inspect_notebook``):
  passed to those notebooks, converted to the type of the notebook's default; or
- a scenario key (``cloud.commit_discount``): validated by loading every selected scenario
  with it, and passed to every run inside the ``overrides`` parameter;

and anything else is an error naming the key and the nearest valid one.

References
----------
.. [1] papermill documentation, "Inspect" (``papermill.inspect_notebook``) and
   "Parameterize" (parameters are injected as a new cell after the ``parameters`` cell).
"""

from __future__ import annotations

import ast
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import papermill
import yaml

from econ.assumptions import ScenarioError, load_scenario
from econ.assumptions.errors import suggest

#: Parameters the runner sets itself; ``-p`` may not set them (use ``--scenario``/``--out``).
RESERVED = ("scenario", "overrides", "output_dir")
MAX_DEPTH = 8
MAX_STRING = 10_000


class ParameterError(ValueError):
    """A ``-p`` parameter is unknown, malformed or has a value of the wrong type.

    A ``ValueError``, so callers that catch bad input in general catch it too.

    Examples
    --------
    >>> parse_assignment("months")
    Traceback (most recent call last):
    ...
    econ.reports.params.ParameterError: -p 'months': expected KEY=VALUE
    """


def check_plain(value: Any, where: str, depth: int = 0) -> Any:
    """Return ``value`` if it is plain data, else raise :class:`ParameterError`.

    Plain data is None, a bool, an int, a finite or infinite float, a string without control
    characters, or a list or a string-keyed mapping of plain data, at most
    :data:`MAX_DEPTH` levels deep. Anything else (dates, bytes, tuples, objects) is
    rejected, so an injected parameter is always a literal.

    Examples
    --------
    >>> check_plain({"a": [1, 2.5, "x", True]}, "p")
    {'a': [1, 2.5, 'x', True]}
    >>> check_plain(b"x", "p")
    Traceback (most recent call last):
    ...
    econ.reports.params.ParameterError: p: bytes values are not allowed; use a number, string, boolean, list or mapping
    """
    if depth > MAX_DEPTH:
        msg = f"{where}: nested more than {MAX_DEPTH} levels deep"
        raise ParameterError(msg)
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        if math.isnan(value):
            msg = f"{where}: NaN is not allowed"
            raise ParameterError(msg)
        return value
    if isinstance(value, str):
        if len(value) > MAX_STRING or any(ord(ch) < 32 and ch not in "\t" for ch in value):
            msg = f"{where}: strings must be at most {MAX_STRING} characters without control characters"
            raise ParameterError(msg)
        return value
    if isinstance(value, list):
        return [check_plain(v, f"{where}[{i}]", depth + 1) for i, v in enumerate(value)]
    if isinstance(value, dict):
        for key in value:
            if not isinstance(key, str):
                msg = f"{where}: mapping keys must be strings, got {key!r}"
                raise ParameterError(msg)
        return {k: check_plain(v, f"{where}.{k}", depth + 1) for k, v in value.items()}
    msg = f"{where}: {type(value).__name__} values are not allowed; use a number, string, boolean, list or mapping"
    raise ParameterError(msg)


def parse_assignment(text: str) -> tuple[str, Any]:
    """Split ``KEY=VALUE`` and parse VALUE as YAML plain data.

    Examples
    --------
    >>> parse_assignment("months=36")
    ('months', 36)
    >>> parse_assignment("cloud.commit_total_usd=5e10")
    ('cloud.commit_total_usd', 50000000000.0)
    >>> parse_assignment("label=hello world")
    ('label', 'hello world')
    """
    key, sep, raw = text.partition("=")
    key = key.strip()
    if not sep or not key:
        msg = f"-p {text!r}: expected KEY=VALUE"
        raise ParameterError(msg)
    if not all(part.replace("_", "a").replace("-", "a").isalnum() for part in key.split(".")):
        msg = f"-p {text!r}: {key!r} is not a parameter name (letters, digits, '_', '-' and dots)"
        raise ParameterError(msg)
    try:
        value = yaml.safe_load(raw) if raw.strip() else ""
    except yaml.YAMLError as err:
        msg = f"-p {key}: cannot parse {raw!r} ({err.__class__.__name__})"
        raise ParameterError(msg) from None
    if isinstance(value, str) and not raw.strip().startswith(("'", '"')) and _looks_numeric(value):
        # YAML 1.1 reads "5e10" as a string; take it as the number it is.
        return key, float(value)
    return key, check_plain(value, f"-p {key}")


def _looks_numeric(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return text.strip().lower() not in ("nan", "inf", "-inf", "+inf", "infinity", "-infinity")


def notebook_parameters(notebook: Path) -> dict[str, Any]:
    """The parameters of ``notebook`` and their default values (None if not a literal)."""
    found = papermill.inspect_notebook(str(notebook))
    defaults: dict[str, Any] = {}
    for name, spec in found.items():
        try:
            defaults[name] = ast.literal_eval(str(spec.get("default")))
        except (ValueError, SyntaxError):
            defaults[name] = None
    return defaults


def coerce_to_default(name: str, value: Any, default: Any, notebook: str) -> Any:
    """Convert ``value`` to the type of the notebook's default, or raise :class:`ParameterError`.

    An int is accepted for a float; a number is kept as text for a string parameter only if
    it was written as text. A None default accepts any plain value.
    """
    if default is None:
        return value
    expected = type(default)
    if expected is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if expected is str and isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, expected) and not (expected is int and isinstance(value, bool)):
        return value
    msg = f"-p {name}={value!r}: parameter {name!r} of {notebook} expects {expected.__name__} (default {default!r})"
    msg += f", got {type(value).__name__}"
    raise ParameterError(msg)


def resolve_parameters(
    assignments: Sequence[str],
    notebooks: Mapping[str, Mapping[str, Any]],
    scenarios: Sequence[str],
) -> tuple[dict[str, dict[str, Any]], dict[str, Any]]:
    """Split ``-p`` assignments into notebook parameters and scenario overrides, checking each.

    Parameters
    ----------
    assignments : sequence of str
        ``KEY=VALUE`` strings as given on the command line (later ones win).
    notebooks : mapping of str to mapping
        Notebook name to its parameters and defaults (:func:`notebook_parameters`).
    scenarios : sequence of str
        Scenario names or files the runs use.

    Returns
    -------
    parameters : dict of str to dict
        Notebook name to the parameters to pass it.
    overrides : dict
        Scenario overrides by dotted key, valid for every scenario.

    Raises
    ------
    ParameterError
        For a malformed assignment, a reserved or unknown key (with the nearest valid key),
        a value that is not plain data, or one of the wrong type.

    Examples
    --------
    >>> notebooks = {"00_demo": {"scenario": "base", "overrides": {}, "seed": 0, "output_dir": ".", "months": 60}}
    >>> resolve_parameters(["months=36", "cloud.commit_discount_level=0.3"], notebooks, ["base"])
    ({'00_demo': {'months': 36}}, {'cloud.commit_discount_level': 0.3})
    >>> resolve_parameters(["month=36"], notebooks, ["base"])
    Traceback (most recent call last):
    ...
    econ.reports.params.ParameterError: -p month: not a parameter of 00_demo nor a key of scenario 'base'; did you mean 'months'?
    """
    parsed = dict(parse_assignment(a) for a in assignments)
    parameters: dict[str, dict[str, Any]] = {name: {} for name in notebooks}
    overrides: dict[str, Any] = {}
    for key, value in parsed.items():
        if key in RESERVED:
            msg = f"-p {key}: set by the runner; use --scenario for the scenario, -p <scenario key>=VALUE for overrides"
            msg += " and --out for the output folder"
            raise ParameterError(msg)
        owners = [name for name, params in notebooks.items() if key in params]
        if owners:
            for name in owners:
                parameters[name][key] = coerce_to_default(key, value, notebooks[name][key], name)
            continue
        for scenario in scenarios:
            _check_override(key, value, scenario, notebooks)
        overrides[key] = value
    for scenario in scenarios:  # the overrides together (cross-field rules such as shares summing to 1)
        try:
            load_scenario(scenario, overrides)
        except ScenarioError as err:
            msg = f"-p overrides are invalid together for scenario {scenario!r}: {err}"
            raise ParameterError(msg) from None
    return parameters, overrides


def _check_override(key: str, value: Any, scenario: str, notebooks: Mapping[str, Mapping[str, Any]]) -> None:
    try:
        load_scenario(scenario, {key: value})
    except ScenarioError as err:
        text = str(err)
        if "unknown key" not in text:
            msg = f"-p {key}={value!r}: rejected by scenario {scenario!r}: {text}"
            raise ParameterError(msg) from None
        valid = {p for params in notebooks.values() for p in params if p not in RESERVED}
        valid |= set(load_scenario(scenario).values)
        names = ", ".join(sorted(notebooks))
        msg = f"-p {key}: not a parameter of {names} nor a key of scenario {scenario!r}{suggest(key, valid)}"
        raise ParameterError(msg) from None
