"""The repository documents itself: docs/ links, the glossary of units, the README's API table, examples.

The repository stands alone: nothing a user reads may point outside it, every public name
of ``econ``, ``econ.finance`` and ``econ.reports`` is listed in the README and carries a
docstring example that runs as a doctest (pytest collects those with ``--doctest-modules``).
"""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pandas as pd
import pytest

import econ
import econ.claims
import econ.decision
import econ.drivers
import econ.export
import econ.finance
import econ.flexibility
import econ.information
import econ.latency
import econ.load_shape
import econ.options
import econ.paths
import econ.placement
import econ.plans
import econ.pricing
import econ.reports
import econ.serving
import econ.utilization
from econ.assumptions.schema import FIELDS, SITE_FIELDS, STRATEGY_FIELDS
from econ.assumptions.tables import DATA_DIR, load_table, table_names

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()
GLOSSARY = (ROOT / "docs" / "glossary.md").read_text()
PUBLIC = {
    "econ": econ,
    "econ.finance": econ.finance,
    "econ.reports": econ.reports,
    "econ.utilization": econ.utilization,
    "econ.serving": econ.serving,
    "econ.load_shape": econ.load_shape,
    "econ.plans": econ.plans,
    "econ.decision": econ.decision,
    "econ.information": econ.information,
    "econ.pricing": econ.pricing,
    "econ.latency": econ.latency,
    "econ.placement": econ.placement,
    "econ.claims": econ.claims,
    "econ.paths": econ.paths,
    "econ.options": econ.options,
    "econ.drivers": econ.drivers,
    "econ.flexibility": econ.flexibility,
    "econ.export": econ.export,
}

# Numeric data columns whose names are glossary terms or counts rather than quantities with a unit.
UNITLESS_COLUMNS = {
    "pue",  # power usage effectiveness, a ratio (glossary: PUE)
    "gpus_per_instance",  # a count
    "value_in_unit",  # long format: the unit is in the row's `unit` column (glossary)
    "events",  # a count (glossary)
    "low",  # model_parameters.csv: the unit is in its `unit` column, checked below
    "central",
    "high",
}


def _files_a_user_reads() -> list[Path]:
    patterns = ["README.md", "docs/*.md", "data/README.md", "reports/README.md", "benchmarks/README.md", "notebooks/*.ipynb"]
    files = [p for pattern in patterns for p in ROOT.glob(pattern)]
    files += [p for p in (ROOT / "econ").rglob("*") if p.suffix in {".py", ".j2", ".css", ".tpl"}]
    return files


def test_nothing_points_outside_the_repository():
    offenders = [str(p.relative_to(ROOT)) for p in _files_a_user_reads() if "../shared" in p.read_text(errors="replace")]
    assert offenders == []


@pytest.mark.parametrize("doc", ["docs/design.md", "docs/glossary.md", "docs/departures.md"])
def test_the_readme_links_the_docs(doc):
    assert (ROOT / doc).is_file()
    assert f"]({doc})" in README


def test_relative_links_in_docs_resolve():
    broken = []
    for page in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        for target in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", page.read_text()):
            if not (page.parent / target).exists():
                broken.append(f"{page.relative_to(ROOT)} -> {target}")
    assert broken == []


QUALIFIERS = ("_low", "_mid", "_central", "_high", "_tail", "_published", "_ai", "_vs_previous")


def _glossary_suffixes() -> set[str]:
    return set(re.findall(r"`(_[a-z0-9_]+)`", GLOSSARY)) - set(QUALIFIERS)


def _unit_part(column: str) -> str:
    """The column name without its trailing qualifiers (``_low``, ``_ai_mid``, ``_vs_previous``...)."""
    stripped = True
    while stripped:
        stripped = False
        for end in QUALIFIERS:
            if column.endswith(end) and f"`{end}`" in GLOSSARY:
                column, stripped = column.removesuffix(end), True
    return column


def _glossary_units() -> set[str]:
    return set(re.findall(r"/ `([^`]+)`", GLOSSARY)) | set(re.findall(r"^\| `([^_`][^`]*)`[ ,]", GLOSSARY, re.MULTILINE))


def test_every_data_column_with_a_number_ends_with_a_glossary_unit():
    suffixes = _glossary_suffixes()
    missing = []
    for name in table_names(DATA_DIR):
        table = load_table(name)
        for column in table.columns:
            numeric = pd.api.types.is_numeric_dtype(table[column]) and not pd.api.types.is_bool_dtype(table[column])
            unit = _unit_part(column)
            if numeric and column not in UNITLESS_COLUMNS and not any(unit.endswith(s) or unit == s[1:] for s in suffixes):
                missing.append(f"{name}.{column}")
    assert missing == []


def test_every_unit_of_the_scenario_schema_and_parameter_table_is_in_the_glossary():
    units = {f.unit for f in (*FIELDS.values(), *SITE_FIELDS.values(), *STRATEGY_FIELDS.values())}
    known = _glossary_units()
    assert sorted(units - known) == []
    parameter_units = set(load_table("model_parameters")["unit"])
    suffixes = _glossary_suffixes() | {s.lstrip("_") for s in _glossary_suffixes()}
    assert sorted(u for u in parameter_units if u not in known and u not in suffixes and f"_{u}" not in suffixes) == []


def _public(module_name: str) -> list[str]:
    return [n for n in PUBLIC[module_name].__all__ if not n.startswith("__")]


def _readme_api_names(module_name: str) -> set[str]:
    section = README.split("## API", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `([^`]+)` \| ([^|]+) \|", section, re.MULTILINE)
    prefix = "" if module_name == "econ" else module_name.removeprefix("econ.") + "."
    names = set()
    for name, _ in rows:
        qualified = name.removeprefix("econ.")
        if module_name == "econ" and "." not in qualified:
            names.add(qualified)
        elif prefix and qualified.startswith(prefix) and "." not in qualified.removeprefix(prefix):
            names.add(qualified.removeprefix(prefix))
    return names


@pytest.mark.parametrize("module_name", list(PUBLIC))
def test_the_readme_api_table_lists_exactly_the_public_names(module_name):
    public = {n for n in _public(module_name) if not inspect.ismodule(getattr(PUBLIC[module_name], n))}
    listed = _readme_api_names(module_name)
    assert sorted(public - listed) == [], "public but not in the README's API table"
    assert sorted(listed - public) == [], "in the README's API table but not public"


def _documented_objects() -> list[tuple[str, object]]:
    out = []
    for module_name, module in PUBLIC.items():
        for name in _public(module_name):
            obj = getattr(module, name)
            if inspect.ismodule(obj) or not (inspect.isfunction(obj) or inspect.isclass(obj)):
                continue
            out.append((f"{module_name}.{name}", obj))
    return out


@pytest.mark.parametrize(("name", "obj"), _documented_objects(), ids=[n for n, _ in _documented_objects()])
def test_every_public_function_and_class_has_a_runnable_example(name, obj):
    doc = inspect.getdoc(obj) or ""
    assert "Examples\n--------" in doc and ">>>" in doc, f"{name} has no Examples section with a doctest"
    assert "doctest: +SKIP" not in doc, f"{name}'s example is skipped, so it does not run"
