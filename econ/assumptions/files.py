"""Read scenario YAML files, follow ``extends:`` and flatten them to dotted keys.

A file's nested mappings become dotted keys (``cloud.commit_discount``). Merging is on the
flat keys, so a child file changes only what it names; ``null`` deletes an inherited key
(``build.sites.<id>: null`` drops a site). Each flat key remembers the file that set it.
"""

from __future__ import annotations

import copy
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from econ.assumptions.errors import ScenarioError, suggest
from econ.assumptions.schema import STRATEGIES, TOP_LEVEL

SCENARIO_DIR = Path(__file__).resolve().parents[2] / "data" / "scenarios"
"""Folder of the shipped scenarios; a bare name ``base`` means ``SCENARIO_DIR / "base.yaml"``."""

Flat = dict[str, tuple[Any, str]]
"""Dotted key -> (value, origin), origin being a file path or ``"override"``."""


class _UniqueKeyLoader(yaml.SafeLoader):
    """A safe YAML loader that rejects a key repeated in one mapping (PyYAML keeps the last)."""


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        try:
            hash(key)
        except TypeError:
            mark = key_node.start_mark
            raise yaml.constructor.ConstructorError(
                None, None, f"the key on line {mark.line + 1} is a {type(key).__name__}; a key must be a name", mark
            ) from None
        if key in seen:
            mark = key_node.start_mark
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r} (line {mark.line + 1})", mark)
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def scenario_path(name_or_path: str | Path, relative_to: Path = SCENARIO_DIR) -> Path:
    """Path of a scenario given by name (``"base"``) or by path (``"my/case.yaml"``)."""
    text = str(name_or_path)
    if text.endswith((".yaml", ".yml")) or "/" in text or "\\" in text:
        path = Path(text)
        return path if path.is_absolute() else (relative_to / path if not path.exists() else path)
    return relative_to / f"{text}.yaml"


@lru_cache(maxsize=64)
def _parse(text: str) -> Any:
    """Parse YAML text, cached by content: a load reads the same few files again and again."""
    return yaml.load(text, Loader=_UniqueKeyLoader)  # a SafeLoader subclass: no arbitrary objects


def read_yaml(path: Path) -> dict[str, Any]:
    """Parse one scenario file into a mapping, with file and line in every error."""
    if not path.is_file():
        shipped = ", ".join(sorted(p.stem for p in SCENARIO_DIR.glob("*.yaml")))
        raise ScenarioError(str(path), [f"{path}: file not found (shipped scenarios: {shipped})"])
    try:
        data = copy.deepcopy(_parse(path.read_text(encoding="utf-8")))  # a copy: callers own what they get
    except yaml.YAMLError as exc:
        raise ScenarioError(str(path), [f"{path}: broken YAML: {exc}"]) from None
    if not isinstance(data, dict):
        raise ScenarioError(str(path), [f"{path}: top level must be a mapping of keys, got {type(data).__name__}"])
    return data


def flatten_file(data: dict[str, Any], origin: str) -> tuple[Flat, list[str]]:
    """Flatten one parsed file to dotted keys; return the keys and the structural problems."""
    flat: Flat = {}
    problems: list[str] = []
    for top, value in data.items():
        if top not in TOP_LEVEL:
            problems.append(f"{origin}: unknown top-level key {top!r}{suggest(str(top), TOP_LEVEL)}")
        elif top in ("name", "description", "extends"):
            flat[top] = (value, origin)
        elif top == "sources":
            _flatten_sources(value, origin, flat, problems)
        elif top == "risk":
            _flatten_risk(value, origin, flat, problems)
        elif top == "strategies" and isinstance(value, dict):
            for strategy in value:
                if strategy not in STRATEGIES:
                    problems.append(f"{origin}: unknown strategy {strategy!r}; strategies are {', '.join(STRATEGIES)}")
            _flatten_into(value, top, origin, flat, problems)
        else:
            _flatten_into(value, top, origin, flat, problems)
    return flat, problems


def _flatten_into(value: Any, prefix: str, origin: str, flat: Flat, problems: list[str]) -> None:
    if isinstance(value, dict):
        if prefix.startswith("build.sites.") and prefix.count(".") == 2:
            flat[prefix] = (True, origin)  # marks that the site is part of the program
        for key, sub in value.items():
            if not isinstance(key, str):
                problems.append(f"{origin}: key {key!r} under {prefix!r} must be a string")
                continue
            _flatten_into(sub, f"{prefix}.{key}", origin, flat, problems)
    elif isinstance(value, list):
        problems.append(f"{origin}: {prefix} = {value!r} is a list; expected a single value")
    else:
        flat[prefix] = (value, origin)


def _flatten_sources(value: Any, origin: str, flat: Flat, problems: list[str]) -> None:
    if not isinstance(value, dict):
        problems.append(f"{origin}: sources must map dotted keys to a source id or note, got {type(value).__name__}")
        return
    for key, note in value.items():
        if not isinstance(note, str):
            problems.append(f"{origin}: sources.{key} must be a string (a source id from data/sources.csv or a note)")
        else:
            flat[f"sources.{key}"] = (note, origin)


def _flatten_risk(value: Any, origin: str, flat: Flat, problems: list[str]) -> None:
    if not isinstance(value, dict):
        problems.append(f"{origin}: risk must be a mapping with 'distributions' and 'correlations'")
        return
    for key, sub in value.items():
        if key == "distributions" and isinstance(sub, dict):
            for target, spec in sub.items():
                flat[f"risk.distributions.{target}"] = (spec, origin)
        elif key == "correlations" and isinstance(sub, list):
            flat["risk.correlations"] = (sub, origin)
        else:
            problems.append(f"{origin}: risk.{key} is not allowed; expected risk.distributions (mapping) or risk.correlations (list)")


def resolve_extends(path: Path) -> tuple[Flat, list[Path], str]:
    """Merge a scenario file over its ``extends:`` chain.

    Returns
    -------
    flat : dict
        Dotted key -> (value, file that set it); ``null`` values have deleted their keys.
    files : list of Path
        The chain, base first.
    name : str
        The scenario's name (its ``name:`` key, or the file stem).

    Raises
    ------
    ScenarioError
        On a missing file, broken YAML, a structural problem, or a cycle in ``extends:``.
    """
    chain: list[tuple[Path, dict[str, Any]]] = []
    current = path.resolve()
    while True:
        if current in [p for p, _ in chain]:
            cycle = " -> ".join(str(p.name) for p, _ in [*chain, (current, {})])
            raise ScenarioError(str(path), [f"{path}: cycle in extends: {cycle}"])
        data = read_yaml(current)
        chain.append((current, data))
        parent = data.get("extends")
        if parent is None:
            break
        if not isinstance(parent, str):
            raise ScenarioError(str(path), [f"{current}: extends = {parent!r} must be a scenario name or a path"])
        current = scenario_path(parent, relative_to=current.parent).resolve()
    merged: Flat = {}
    problems: list[str] = []
    for file_path, data in reversed(chain):
        flat, file_problems = flatten_file(data, str(file_path))
        problems += file_problems
        for key, (value, origin) in flat.items():
            if key == "extends":
                continue
            if value is None:
                for old in [k for k in merged if k == key or k.startswith(key + ".")]:
                    del merged[old]
            else:
                merged[key] = (value, origin)
    if problems:
        raise ScenarioError(str(path), problems)
    name = merged.pop("name", (path.stem, ""))[0]
    return merged, [p for p, _ in reversed(chain)], str(name)
