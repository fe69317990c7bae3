"""Exports for auditing outside Python: a workbook with live formulas, and tidy Parquet and CSV tables.

:func:`to_excel` writes one workbook per scenario (docs/export.md): an ``Inputs`` sheet with
every resolved assumption; one sheet per strategy with the monthly cash flows that econ
computed, as values, one row per month; and the financial layer as formulas that any
spreadsheet evaluates (Excel and LibreOffice alike: only ``SUM``, ``SUMPRODUCT``, ``NPV``,
``IRR``, ``POWER``, ``IF``, ``AND``, ``MIN`` and ``COUNT``): the monthly discount factor from the
annual rate on the ``Inputs`` sheet, the income taxes as rate x deductible base, present values
by category and in total, the differences from renting, payback, discounted payback, IRR, and
the owned cost per GPU-hour. Changing the discount rate or a tax rate on the ``Inputs`` sheet
updates every present value in the workbook; the pre-tax cash flows stay as econ computed them
(docs/export.md says which flows would move in econ too).

:func:`cashflow_table` and :func:`draws_table` are the tidy tables, with units in column
names, that :func:`to_parquet` and :func:`to_csv` write. Every writer writes to a temporary
file in the target folder and renames it into place, so a failure leaves no partial file.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from econ.assumptions import Scenario
from econ.assumptions.scenario import field_for
from econ.build import OWNED_CATEGORIES, owned_costs
from econ.hardware import HOURS_PER_YEAR
from econ.inputs import Inputs, inputs_from_scenario
from econ.strategies import CLOUD_CATEGORIES, Evaluation, StrategyRun, evaluate
from econ.tax import carry_forward
from econ.unit_costs import average_site, owned_cost_by_generation

__all__ = ["TaxBase", "cashflow_table", "draws_table", "tax_bases", "to_csv", "to_excel", "to_parquet"]

PRE_TAX = OWNED_CATEGORIES + CLOUD_CATEGORIES
"""Pre-tax cash-flow categories, exported as values (money out negative) [USD/month]."""

FIRST_ROW = 9
"""Spreadsheet row (1-based) of month 1 on a strategy sheet; the rows above hold rates and totals."""

_HOME_RATE_KEY = "tax.home_rate"
_DISCOUNT_KEY = "finance.discount_rate_annual"


@dataclass(frozen=True)
class TaxBase:
    """The income-tax flows of a strategy as rate x base, the base per jurisdiction.

    econ's taxes are linear in each tax rate: every shield, tax on a gain and carried-forward
    loss is a rate times an amount that does not depend on the rate (econ/build.py
    ``owned_costs``, econ/strategies.py ``run_strategy``). So ``tax_owned`` is
    ``sum_s rate_s x owned[s]`` and ``tax_cloud`` is ``home_rate x cloud``.

    Attributes
    ----------
    owned : dict of str to numpy.ndarray
        Per site id with a non-zero base, the tax saved per unit of that site's rate, after
        the loss carry-forward [USD/month per unit rate], shape (months,) (positive: deductions
        exceed taxable gains).
    cloud : numpy.ndarray
        Rent deducted at the home country's rate, after the carry-forward [USD/month per unit
        rate], shape (months,).
    rate_keys : dict of str to str
        Per site id, the key of its rate on the ``Inputs`` sheet.
    rates : dict of str to float
        Per site id, the rate econ used [1].

    Examples
    --------
    >>> base = TaxBase({"x": np.array([10.0, 0.0])}, np.array([4.0, 4.0]), {"x": "colo.tax_rate"}, {"x": 0.25})
    >>> (base.rates["x"] * base.owned["x"]).tolist()
    [2.5, 0.0]
    """

    owned: dict[str, np.ndarray]
    cloud: np.ndarray
    rate_keys: dict[str, str]
    rates: dict[str, float]


def tax_bases(inputs: Inputs, run: StrategyRun) -> TaxBase:
    """Split a strategy's income taxes into a base per rate: ``tax = rate x base``, exactly.

    The owned programme is re-run with each site's tax rate set to one and the others to
    zero (the same schedule, fleet and utilization), which isolates that site's base since
    the taxes are linear in the rates. The loss carry-forward (``tax.loss_carry_forward_until_month``)
    is linear too and is applied to each base.

    Parameters
    ----------
    inputs : Inputs
        One-draw inputs of the scenario (:func:`econ.inputs.inputs_from_scenario`).
    run : StrategyRun
        A strategy of :func:`econ.evaluate` on those inputs.

    Returns
    -------
    TaxBase
        The bases; ``sum(rates[s] * owned[s])`` equals ``run.flows["tax_owned"][0]`` and
        ``home_rate * cloud`` equals ``run.flows["tax_cloud"][0]`` up to rounding.

    Raises
    ------
    ValueError
        If ``inputs`` has more than one draw.

    Examples
    --------
    >>> from econ import evaluate, load_scenario
    >>> result = evaluate(load_scenario("base"))
    >>> inputs = inputs_from_scenario(result.scenario)
    >>> base = tax_bases(inputs, result.runs["build"])
    >>> owned = sum(base.rates[s] * base.owned[s] for s in base.owned)
    >>> bool(np.allclose(owned, result.runs["build"].flows["tax_owned"][0], rtol=1e-12, atol=1e-3))
    True
    """
    if inputs.n != 1:
        raise ValueError(f"inputs: tax_bases needs one-draw inputs (n = 1); got n = {inputs.n}")
    until = float(inputs["tax.loss_carry_forward_until_month"][0])
    installed = run.installed
    busy = np.divide(run.owned_work, installed, out=np.zeros_like(installed), where=installed > 0)
    site_rate = inputs["site.tax_rate"]
    owned: dict[str, np.ndarray] = {}
    keys: dict[str, str] = {}
    rates: dict[str, float] = {}
    colo = inputs.site_ids[-1]
    for j, site in enumerate(inputs.site_ids):
        unit = np.zeros_like(site_rate)
        unit[:, j] = 1.0
        result = owned_costs(inputs.with_arrays({"site.tax_rate": unit}), run.schedule, run.fleet, busy)
        base = carry_forward(result.tax, until)[0]
        if np.any(base != 0.0):
            owned[site] = base
            keys[site] = "colo.tax_rate" if site == colo else f"build.sites.{site}.tax_rate"
            rates[site] = float(site_rate[0, j])
    spend = sum((run.flows[c] for c in CLOUD_CATEGORIES), np.zeros_like(run.flows["power"]))
    cloud = carry_forward(-spend, until)[0]
    return TaxBase(owned, cloud, keys, rates)


def _atomic_write(path: str | os.PathLike[str], overwrite: bool, write: Callable[[Path], None]) -> Path:
    """Write through ``write(tmp)`` into a temporary file beside ``path``, then rename it into place."""
    target = Path(path)
    if target.exists() and not overwrite:
        raise FileExistsError(f"path: {str(target)!r} exists; pass overwrite=True (econ export: --force) to replace it")
    if target.is_dir():
        raise IsADirectoryError(f"path: {str(target)!r} is a folder; give a file name")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise FileNotFoundError(f"path: the folder {str(folder)!r} of {str(target)!r} does not exist; create it first")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as err:
        raise PermissionError(f"path: cannot write in the folder {str(folder)!r} of {str(target)!r}: {err.strerror}") from None
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        umask = os.umask(0)
        os.umask(umask)
        tmp.chmod(0o666 & ~umask)  # mkstemp creates the file private; give it the permissions of any new file
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target


def _col(index: int) -> str:
    """Spreadsheet column letters of a 0-based column index."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _sheet_name(name: str, taken: Sequence[str]) -> str:
    """A valid, unique sheet name: at most 31 characters, brackets, colons, wildcards and slashes replaced."""
    clean = "".join("_" if ch in "[]:*?/\\'" else ch for ch in name)[:31] or "plan"
    out, i = clean, 2
    while out.lower() in {t.lower() for t in taken}:
        out = f"{clean[: 31 - len(str(i)) - 1]}_{i}"
        i += 1
    return out


def to_excel(
    evaluation_or_scenario: Evaluation | Scenario,
    path: str | os.PathLike[str],
    *,
    overwrite: bool = False,
    cached_values: bool = True,
) -> Path:
    """Write a workbook whose financial layer is live formulas over econ's monthly cash flows.

    Sheets: ``Summary`` (headline cells as formulas, econ's values beside them), ``Inputs``
    (every resolved assumption: key, value, unit, description, source; plus the home and
    colocation tax rates econ reads from ``data/country_costs.csv``), one sheet per strategy
    (month, date, discount factor, the pre-tax flows by category as values, ``tax_owned`` and
    ``tax_cloud`` as rate x base, the total, the difference from rent with its cumulative
    sums; present values by category above the months) and ``UnitCost`` (owned cost per
    GPU-hour by generation, the capital charge at the ``Inputs`` discount rate).

    Parameters
    ----------
    evaluation_or_scenario : Evaluation or Scenario
        From :func:`econ.evaluate`, or a scenario to evaluate.
    path : str or os.PathLike
        The ``.xlsx`` file to write; its folder must exist.
    overwrite : bool
        Replace an existing file (default: refuse).
    cached_values : bool
        Store econ's value as each formula's cached result, which readers that do not
        recalculate show (default). False stores none (0), so that a check against econ
        proves that a spreadsheet engine recalculated the formulas.

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    FileExistsError
        If ``path`` exists and ``overwrite`` is False.
    FileNotFoundError, PermissionError, IsADirectoryError
        If ``path`` cannot be written; nothing is left behind.
    TypeError
        If ``evaluation_or_scenario`` is neither an Evaluation nor a Scenario.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from econ import load_scenario
    >>> import openpyxl
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> book = openpyxl.load_workbook(to_excel(load_scenario("base"), folder / "base.xlsx"))
    >>> book.sheetnames
    ['Summary', 'Inputs', 'rent', 'build', 'hybrid', 'UnitCost']
    >>> book["Summary"]["B4"].value
    '=-rent!X5'
    """
    if isinstance(evaluation_or_scenario, Scenario):
        evaluation = evaluate(evaluation_or_scenario)
    elif isinstance(evaluation_or_scenario, Evaluation):
        evaluation = evaluation_or_scenario
    else:
        raise TypeError(f"evaluation_or_scenario: must be an Evaluation or a Scenario; got {type(evaluation_or_scenario).__name__}")

    def write(tmp: Path) -> None:
        _Workbook(evaluation, tmp, cached_values).write()

    return _atomic_write(path, overwrite, write)


class _Workbook:
    """The layout of :func:`to_excel`; cell addresses are computed once, formulas refer to them."""

    def __init__(self, evaluation: Evaluation, path: Path, cached: bool) -> None:
        import xlsxwriter

        self.evaluation = evaluation
        self.scenario = evaluation.scenario
        self.inputs = inputs_from_scenario(self.scenario)
        self.cached = cached
        self.book = xlsxwriter.Workbook(str(path), {"nan_inf_to_errors": True, "strings_to_formulas": False, "strings_to_urls": False})
        self.book.set_calc_mode("auto")
        self.book.set_properties({"title": f"econ scenario {self.scenario.name}", "comments": f"scenario hash {self.scenario.hash}"})
        self.bold = self.book.add_format({"bold": True})
        self.money = self.book.add_format({"num_format": "#,##0"})
        self.money_bold = self.book.add_format({"num_format": "#,##0", "bold": True})
        self.rate = self.book.add_format({"num_format": "0.0000"})
        self.factor = self.book.add_format({"num_format": "0.000000"})
        self.date = self.book.add_format({"num_format": "yyyy-mm-dd"})
        self.wrap = self.book.add_format({"text_wrap": True, "valign": "top"})
        self.months = self.inputs.months
        self.last_row = FIRST_ROW + self.months - 1
        self.names: dict[str, str] = {}
        taken: list[str] = ["Summary", "Inputs", "UnitCost"]
        for s in evaluation.runs:
            self.names[s] = _sheet_name(s, taken)
            taken.append(self.names[s])
        # Column layout of a strategy sheet (0-based); identical on every sheet so that they compare.
        self.col_month, self.col_date, self.col_factor = 0, 1, 2
        self.col_cat = {c: 3 + i for i, c in enumerate(PRE_TAX)}
        nxt = 3 + len(PRE_TAX)
        self.col_tax_owned, self.col_tax_cloud, self.col_total = nxt, nxt + 1, nxt + 2
        self.col_diff, self.col_cum, self.col_cross, self.col_dcum, self.col_dcross = range(nxt + 3, nxt + 8)
        self.col_base0 = nxt + 8
        self.input_cell: dict[str, str] = {}

    # -- helpers -----------------------------------------------------------------------
    def formula(self, sheet: Any, row: int, col: int, text: str, fmt: Any = None, value: float | None = None) -> None:
        """Write ``text`` at 0-based (row, col) with ``value`` cached if asked (NaN caches nothing)."""
        cached = value if self.cached and value is not None and math.isfinite(value) else 0
        sheet.write_formula(row, col, text, fmt, cached)

    def ref(self, sheet: str, col: int, row: int, absolute: bool = True) -> str:
        """A cell reference; ``row`` is 1-based."""
        d = "$" if absolute else ""
        return f"{sheet}!{d}{_col(col)}{d}{row}"

    def span(self, sheet: str, col: int) -> str:
        """The month rows of a column of a strategy sheet."""
        return f"{sheet}!${_col(col)}${FIRST_ROW}:${_col(col)}${self.last_row}"

    # -- sheets ------------------------------------------------------------------------
    def write(self) -> None:
        summary = self.book.add_worksheet("Summary")
        self.write_inputs()
        bases = {s: tax_bases(self.inputs, run) for s, run in self.evaluation.runs.items()}
        for s, run in self.evaluation.runs.items():
            self.write_strategy(s, run, bases[s])
        self.write_unit_cost()
        self.write_summary(summary)
        self.book.close()

    def write_inputs(self) -> None:
        sheet = self.book.add_worksheet("Inputs")
        frame = self.scenario.to_frame()
        overrides = set(self.scenario.overrides)
        sheet.write_row(0, 0, ["key", "value", "unit", "description", "source"], self.bold)
        rows: list[tuple[str, Any, str, str, str]] = [
            (
                str(k),
                v,
                str(u),
                str(d),
                "override (this run)" if k in overrides else str(src),
            )
            for k, v, u, d, src in zip(frame.index, frame["value"], frame["unit"], frame["description"], frame["source"], strict=True)
        ]
        home = str(self.scenario["tax.home_country"])
        colo = str(self.scenario["colo.country_id"])
        rows.append(
            (
                _HOME_RATE_KEY,
                float(self.inputs[_HOME_RATE_KEY][0]),
                "1",
                f"Corporate income tax rate of the home country ({home}), at which rent is deducted",
                "data/country_costs.csv (corporate_tax_rate_fraction)",
            )
        )
        rows.append(
            (
                "colo.tax_rate",
                float(self.inputs["site.tax_rate"][0, -1]),
                "1",
                f"Corporate income tax rate of the colocation site's country ({colo})",
                "data/country_costs.csv (corporate_tax_rate_fraction)",
            )
        )
        for i, (key, value, unit, description, source) in enumerate(rows, start=1):
            sheet.write_string(i, 0, key)
            if isinstance(value, bool):
                sheet.write_boolean(i, 1, value)
            elif isinstance(value, int | float):
                sheet.write_number(i, 1, float(value))
            else:
                sheet.write_string(i, 1, str(value))
            sheet.write_string(i, 2, unit)
            sheet.write_string(i, 3, description)
            sheet.write_string(i, 4, source)
            self.input_cell[key] = f"Inputs!$B${i + 1}"
        sheet.set_column(0, 0, 52)
        sheet.set_column(1, 1, 16)
        sheet.set_column(3, 3, 70)
        sheet.set_column(4, 4, 40)
        sheet.freeze_panes(1, 1)

    def write_strategy(self, strategy: str, run: StrategyRun, base: TaxBase) -> None:
        name = self.names[strategy]
        sheet = self.book.add_worksheet(name)
        rate = self.input_cell[_DISCOUNT_KEY]
        home = self.input_cell[_HOME_RATE_KEY]
        flows = {c: run.flows[c][0] for c in run.flows}
        total = sum((flows[c] for c in flows), np.zeros(self.months))
        rent_total = sum((self.evaluation.runs["rent"].flows[c][0] for c in flows), np.zeros(self.months))
        factors = np.power(1.0 + float(self.scenario[_DISCOUNT_KEY]), -np.arange(1, self.months + 1) / 12.0)
        is_rent = strategy == "rent"
        sites = list(base.owned)
        base_cols = {s: self.col_base0 + i for i, s in enumerate(sites)}
        cloud_col = self.col_base0 + len(sites)

        sheet.write_string(0, 0, f"Strategy {strategy}: monthly after-tax cash flows [USD/month], money out negative", self.bold)
        sheet.write_string(
            1,
            0,
            "Pre-tax flows and tax bases are econ's values; discount factors, taxes, totals and present values are formulas "
            "over them and the Inputs sheet.",
        )
        sheet.write_string(2, 0, "tax rate [1]")
        sheet.write_string(3, 0, "rate key")
        sheet.write_string(4, 0, "present value [USD]")
        sheet.write_string(5, 0, "PV minus rent's [USD]")
        header = ["month", "date", "discount_factor", *PRE_TAX, "tax_owned", "tax_cloud", "total"]
        header += ["difference_vs_rent", "cumulative_difference", "payback_crossing_month"]
        header += ["cumulative_discounted_difference", "discounted_payback_crossing_month"]
        header += [f"tax_base_{s}" for s in sites] + ["tax_base_cloud"]
        units = ["month", "date", "1"] + ["USD/month"] * (len(PRE_TAX) + 3) + ["USD/month", "USD", "month", "USD", "month"]
        units += ["USD/month per unit rate"] * (len(sites) + 1)
        sheet.write_row(FIRST_ROW - 3, 0, header, self.bold)
        sheet.write_row(FIRST_ROW - 2, 0, [f"[{u}]" for u in units])
        # tax rates above the base columns (spreadsheet row 3), referring to the Inputs sheet
        for s in sites:
            self.formula(sheet, 2, base_cols[s], f"={self.input_cell[base.rate_keys[s]]}", self.rate, base.rates[s])
            sheet.write_string(3, base_cols[s], base.rate_keys[s])
        self.formula(sheet, 2, cloud_col, f"={home}", self.rate, float(self.inputs[_HOME_RATE_KEY][0]))
        sheet.write_string(3, cloud_col, _HOME_RATE_KEY)

        dates = pd.DatetimeIndex(self.evaluation.cashflows["date"].unique())
        tax_owned = flows["tax_owned"]
        tax_cloud = flows["tax_cloud"]
        first_base, last_base = _col(self.col_base0), _col(self.col_base0 + len(sites) - 1)
        cum = dcum = 0.0
        diff = total - rent_total
        for m in range(self.months):
            r = FIRST_ROW + m  # 1-based spreadsheet row
            i = r - 1
            sheet.write_number(i, self.col_month, m + 1)
            sheet.write_datetime(i, self.col_date, dt.datetime.combine(dates[m].date(), dt.time()), self.date)
            self.formula(sheet, i, self.col_factor, f"=POWER(1+{rate},-A{r}/12)", self.factor, float(factors[m]))
            for c in PRE_TAX:
                sheet.write_number(i, self.col_cat[c], float(flows[c][m]), self.money)
            for s in sites:
                sheet.write_number(i, base_cols[s], float(base.owned[s][m]), self.money)
            sheet.write_number(i, cloud_col, float(base.cloud[m]), self.money)
            owned_f = f"=SUMPRODUCT(${first_base}$3:${last_base}$3,{first_base}{r}:{last_base}{r})" if sites else "=0"
            self.formula(sheet, i, self.col_tax_owned, owned_f, self.money, float(tax_owned[m]))
            self.formula(sheet, i, self.col_tax_cloud, f"=${_col(cloud_col)}$3*{_col(cloud_col)}{r}", self.money, float(tax_cloud[m]))
            pre = f"{_col(self.col_cat[PRE_TAX[0]])}{r}:{_col(self.col_tax_cloud)}{r}"
            self.formula(sheet, i, self.col_total, f"=SUM({pre})", self.money, float(total[m]))
            if is_rent:
                continue
            rent_sheet = self.names["rent"]
            d, tc = _col(self.col_diff), _col(self.col_total)
            self.formula(sheet, i, self.col_diff, f"={tc}{r}-{rent_sheet}!{tc}{r}", self.money, float(diff[m]))
            cu, dc, f = _col(self.col_cum), _col(self.col_dcum), _col(self.col_factor)
            prev_cum, prev_dcum = cum, dcum
            cum += float(diff[m])
            dcum += float(diff[m] * factors[m])
            if m == 0:  # the cumulative before month 1 is 0: nothing to recover yet
                self.formula(sheet, i, self.col_cum, f"={d}{r}", self.money, cum)
                self.formula(sheet, i, self.col_dcum, f"={d}{r}*{f}{r}", self.money, dcum)
                sheet.write_string(i, self.col_cross, "")
                sheet.write_string(i, self.col_dcross, "")
                continue
            self.formula(sheet, i, self.col_cum, f"={cu}{r - 1}+{d}{r}", self.money, cum)
            self.formula(sheet, i, self.col_dcum, f"={dc}{r - 1}+{d}{r}*{f}{r}", self.money, dcum)
            crossing = m + (-prev_cum / float(diff[m])) if prev_cum < 0 <= cum else None
            self.formula(
                sheet,
                i,
                self.col_cross,
                f'=IF(AND({cu}{r - 1}<0,{cu}{r}>=0),A{r}-1-{cu}{r - 1}/{d}{r},"")',
                None,
                crossing,
            )
            dcross = m + (-prev_dcum / float(diff[m] * factors[m])) if prev_dcum < 0 <= dcum else None
            self.formula(
                sheet,
                i,
                self.col_dcross,
                f'=IF(AND({dc}{r - 1}<0,{dc}{r}>=0),A{r}-1-{dc}{r - 1}/({d}{r}*{f}{r}),"")',
                None,
                dcross,
            )
        # present values of every flow column, and their difference from rent's
        pv_cols = [*(self.col_cat[c] for c in PRE_TAX), self.col_tax_owned, self.col_tax_cloud, self.col_total]
        values = [*(flows[c] for c in PRE_TAX), tax_owned, tax_cloud, total]
        rent_flows = self.evaluation.runs["rent"].flows
        rent_values = [*(rent_flows[c][0] for c in PRE_TAX), rent_flows["tax_owned"][0], rent_flows["tax_cloud"][0], rent_total]
        fr = f"${_col(self.col_factor)}${FIRST_ROW}:${_col(self.col_factor)}${self.last_row}"
        for col, v, rv in zip(pv_cols, values, rent_values, strict=True):
            c = _col(col)
            pv = float(v @ factors)
            self.formula(sheet, 4, col, f"=SUMPRODUCT({c}{FIRST_ROW}:{c}{self.last_row},{fr})", self.money_bold, pv)
            self.formula(sheet, 5, col, f"={c}5-{self.names['rent']}!{c}5", self.money, pv - float(rv @ factors))
        sheet.set_column(0, 0, 22)
        sheet.set_column(1, 1, 11)
        sheet.set_column(3, cloud_col, 15)
        sheet.freeze_panes(FIRST_ROW - 1, 3)

    def write_unit_cost(self) -> None:
        """Owned cost per GPU-hour by generation: capital charges as formulas at the Inputs discount rate."""
        sheet = self.book.add_worksheet("UnitCost")
        table = owned_cost_by_generation(self.scenario)
        inputs = self.inputs
        rate = self.input_cell[_DISCOUNT_KEY]
        r0 = float(self.scenario[_DISCOUNT_KEY])
        site = average_site(inputs)
        life = float(inputs["hardware.refresh_years"][0])
        residual = float(inputs["hardware.residual_share_per_year"][0]) ** life * float(inputs["hardware.liquidation_share"][0])
        extras = float(inputs.fleet_extras_share[0])
        price = inputs["gen.price_usd_per_gpu"][0] * float(inputs["hardware.price_multiplier"][0])
        it_kw = inputs["gen.it_power_kw_per_gpu"][0]
        facility_life = float(site["facility_life_years"])
        facility_per_mw = float(site["facility_usd_per_mw_it"])
        from econ.load_shape import fleet_utilization

        u = float(fleet_utilization(inputs)[0])
        sheet.write_string(
            0,
            0,
            "Owned cost per GPU-hour by generation (econ.unit_costs): capital charges at the Inputs discount rate are formulas; "
            "the rest are econ's values [USD per GPU-hour unless noted]",
            self.bold,
        )
        header = [
            "generation",
            "system_usd_per_gpu",
            "residual_share",
            "gpu_life_years",
            "facility_usd_per_gpu",
            "facility_life_years",
            "facility_maintenance",
            "property_tax_insurance",
            "power",
            "staff",
            "utilization",
            "work_per_gpu",
            "gpu_capital",
            "facility_capital",
            "total_usd_per_gpu_hour",
            "total_usd_per_busy_reference_gpu_hour",
            "econ_total_usd_per_busy_reference_gpu_hour",
        ]
        sheet.write_row(2, 0, header, self.bold)
        for k, gen in enumerate(table.index):
            i = 3 + k
            r = i + 1
            system = float(price[k]) * (1.0 + extras)
            facility = facility_per_mw * float(it_kw[k]) / 1000.0
            row = table.loc[gen]
            values = [
                system,
                residual,
                life,
                facility,
                facility_life,
                *(float(row[c]) for c in ("facility_maintenance", "property_tax_insurance", "power", "staff")),
                u,
                float(inputs["gen.work_per_gpu"][0][k]),
            ]
            sheet.write_string(i, 0, str(gen))
            sheet.write_row(i, 1, values)
            crf_gpu = f"{rate}/(1-POWER(1+{rate},-D{r}))"
            crf_fac = f"{rate}/(1-POWER(1+{rate},-F{r}))"
            self.formula(
                sheet, i, 12, f"=B{r}*(1-C{r}*POWER(1+{rate},-D{r}))*{crf_gpu}/{HOURS_PER_YEAR:g}", self.factor, float(row["gpu_capital"])
            )
            self.formula(sheet, i, 13, f"=E{r}*{crf_fac}/{HOURS_PER_YEAR:g}", self.factor, float(row["facility_capital"]))
            self.formula(sheet, i, 14, f"=SUM(G{r}:J{r})+M{r}+N{r}", self.factor, float(row["total_usd_per_gpu_hour"]))
            self.formula(sheet, i, 15, f"=O{r}/K{r}/L{r}", self.factor, float(row["total_usd_per_busy_reference_gpu_hour"]))
            sheet.write_number(i, 16, float(row["total_usd_per_busy_reference_gpu_hour"]), self.factor)
        sheet.write_string(3 + len(table) + 1, 0, f"econ's values at discount rate {r0:g} [1/year]")
        sheet.set_column(0, 0, 14)
        sheet.set_column(1, 16, 16)

    def write_summary(self, sheet: Any) -> None:
        summary = self.evaluation.summary
        rate = self.input_cell[_DISCOUNT_KEY]
        sheet.write_string(0, 0, f"econ scenario {self.scenario.name} (hash {self.scenario.hash}): headline numbers", self.bold)
        sheet.write_string(
            1,
            0,
            "Columns B-F are formulas over the strategy sheets and the Inputs sheet; columns H-L are econ's values when the workbook "
            "was written. Change finance.discount_rate_annual or a tax rate on the Inputs sheet to see B-F move.",
        )
        cols = [
            "npv_cost_usd",
            "npv_saving_vs_rent_usd",
            "irr_vs_rent_annual",
            "payback_vs_rent_years",
            "discounted_payback_vs_rent_years",
        ]
        sheet.write_row(2, 0, ["strategy", *cols, "npv_cost_usd_by_NPV_function", *(f"econ_{c}" for c in cols)], self.bold)
        total = _col(self.col_total)
        for k, s in enumerate(self.evaluation.runs):
            i = 3 + k
            r = i + 1
            name = self.names[s]
            row = {str(c): float(v) for c, v in zip(summary.columns, summary.loc[[s]].to_numpy(float)[0], strict=True)}
            sheet.write_string(i, 0, s)
            self.formula(sheet, i, 1, f"=-{name}!{total}5", self.money_bold, float(row["npv_cost_usd"]))
            self.formula(sheet, i, 2, f"=$B$4-B{r}", self.money, float(row["npv_saving_vs_rent_usd"]))
            if s != "rent":
                diff = self.span(name, self.col_diff)
                irr = float(row["irr_vs_rent_annual"])
                if math.isfinite(irr):
                    self.formula(sheet, i, 3, f"=POWER(1+IRR({diff},0.01),12)-1", self.rate, irr)
                else:
                    sheet.write_string(i, 3, "not unique or none")
                for col, cross in ((4, self.col_cross), (5, self.col_dcross)):
                    cells = self.span(name, cross)
                    value = float(row[cols[col - 1]])
                    text = f'=IF(COUNT({cells})=0,"never",MIN({cells})/12)'
                    self.formula(sheet, i, col, text, self.rate, value)
            self.formula(
                sheet, i, 6, f"=-NPV(POWER(1+{rate},1/12)-1,{self.span(name, self.col_total)})", self.money, float(row["npv_cost_usd"])
            )
            for j, c in enumerate(cols):
                value = float(row[c])
                if math.isfinite(value):
                    sheet.write_number(i, 7 + j, value)
        sheet.set_column(0, 0, 12)
        sheet.set_column(1, 12, 20)


def cashflow_table(evaluation: Evaluation) -> pd.DataFrame:
    """The monthly after-tax cash flows of every strategy, tidy, units in column names.

    Parameters
    ----------
    evaluation : Evaluation
        From :func:`econ.evaluate`.

    Returns
    -------
    pandas.DataFrame
        Columns ``strategy``, ``month`` (1 = the first month), ``date`` (the month's last
        day), ``category`` and ``cash_flow_usd`` [USD in that month, money out negative];
        ``attrs`` hold the scenario's name and hash.

    Examples
    --------
    >>> from econ import evaluate, load_scenario
    >>> table = cashflow_table(evaluate(load_scenario("base")))
    >>> list(table.columns)
    ['strategy', 'month', 'date', 'category', 'cash_flow_usd']
    """
    table = evaluation.cashflows.rename(columns={"usd": "cash_flow_usd"})
    table.attrs = {"scenario": evaluation.scenario.name, "scenario_hash": evaluation.scenario.hash}
    return table


def draws_table(draws: pd.DataFrame) -> pd.DataFrame:
    """Monte Carlo draws (:func:`econ.simulate`) with each sampled input's unit in its column name.

    A sampled scenario key becomes ``"<key> [<unit>]"`` (``permit_lost.<site>`` becomes
    ``"permit_lost.<site> [bool]"``); the model's outputs already end in their unit
    (``npv_cost_usd_rent``, ``sites_on_time_share``) and keep their names.

    Parameters
    ----------
    draws : pandas.DataFrame
        From :func:`econ.simulate`.

    Returns
    -------
    pandas.DataFrame
        The same values, renamed columns, index ``draw``.

    Examples
    --------
    >>> from econ import load_scenario, simulate
    >>> table = draws_table(simulate(load_scenario("base"), 10, seed=1))
    >>> "demand.growth_annual [1/year]" in table.columns
    True
    """
    names = {}
    for column in draws.columns:
        text = str(column)
        spec = field_for(text)
        if spec is not None:
            names[column] = f"{text} [{spec.unit}]"
        elif text.startswith("permit_lost."):
            names[column] = f"{text} [bool]"
    out = draws.rename(columns=names)
    out.attrs = dict(draws.attrs)
    return out


def to_parquet(table: pd.DataFrame, path: str | os.PathLike[str], *, overwrite: bool = False) -> Path:
    """Write a table to Parquet (pyarrow), atomically; dtypes and the index survive a round trip.

    Parameters
    ----------
    table : pandas.DataFrame
        E.g. :func:`cashflow_table` or :func:`draws_table`.
    path : str or os.PathLike
        The file; its folder must exist.
    overwrite : bool
        Replace an existing file (default: refuse).

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    FileExistsError
        If ``path`` exists and ``overwrite`` is False.
    FileNotFoundError, PermissionError, IsADirectoryError
        If ``path`` cannot be written; nothing is left behind.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> frame = pd.DataFrame({"month": [1, 2], "cash_flow_usd": [-1.5, 2.0]})
    >>> out = to_parquet(frame, pathlib.Path(tempfile.mkdtemp()) / "flows.parquet")
    >>> pd.read_parquet(out).equals(frame)
    True
    """
    return _atomic_write(path, overwrite, lambda tmp: table.to_parquet(tmp, engine="pyarrow"))


def to_csv(table: pd.DataFrame, path: str | os.PathLike[str], *, overwrite: bool = False) -> Path:
    """Write a table to CSV (UTF-8, ISO dates, full float precision), atomically.

    Parameters
    ----------
    table : pandas.DataFrame
        E.g. :func:`cashflow_table` or :func:`draws_table`.
    path : str or os.PathLike
        The file; its folder must exist.
    overwrite : bool
        Replace an existing file (default: refuse).

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    FileExistsError
        If ``path`` exists and ``overwrite`` is False.
    FileNotFoundError, PermissionError, IsADirectoryError
        If ``path`` cannot be written; nothing is left behind.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> frame = pd.DataFrame({"month": [1, 2], "cash_flow_usd": [-1.5, 2.0]})
    >>> out = to_csv(frame, pathlib.Path(tempfile.mkdtemp()) / "flows.csv")
    >>> out.read_text().splitlines()[0]
    'month,cash_flow_usd'
    """
    index = table.index.name is not None
    return _atomic_write(path, overwrite, lambda tmp: table.to_csv(tmp, index=index, date_format="%Y-%m-%d"))
