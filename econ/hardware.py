"""One hardware trajectory: what a GPU bought at each month costs, draws and does.

Work is counted in **reference GPU-hours**: the work one reference GPU (an H100 SXM at its
MLPerf Inference Llama-3.1-405B Offline throughput) does in an hour. A generation with
throughput ``x`` tokens/s per GPU on the same benchmark does ``x / x_ref`` units an hour.

At month m the frontier is, among the generations available by then, the one with the
lowest system price per unit of work. Generations after the last tabulated one arrive every
``cadence`` months with price, power and throughput per GPU each growing at their annual
rates (an exponential trend fitted to the tabulated generations, as in Epoch AI,
"Trends in Machine Learning Hardware", 2023, and Hobbhahn & Besiroglu, "Trends in GPU
price-performance", 2022). The same trajectory sets the owned fleet's capex and capacity at
each purchase and the cloud's cost of capacity, so both sides see the same technology.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from econ.finance import capital_recovery_factor
from econ.kernels import frontier_draws

HOURS_PER_YEAR = 8760.0
"""Hours in a 365-day year [h]."""


@dataclass(frozen=True)
class Trajectory:
    """The frontier GPU at each month end m = 1..M, per draw (arrays shape (n, M)).

    Attributes
    ----------
    generation : numpy.ndarray
        Index of the frontier generation: ``0..G-1`` tabulated, ``G + k - 1`` for the
        k-th extrapolated one, shape (n, M).
    price_usd_per_gpu : numpy.ndarray
        All-in system price per GPU [USD/GPU].
    it_kw_per_gpu : numpy.ndarray
        All-in IT power per GPU at full load [kW/GPU].
    work_per_gpu : numpy.ndarray
        Reference GPU-hours of work per GPU-hour [1].
    """

    generation: np.ndarray
    price_usd_per_gpu: np.ndarray
    it_kw_per_gpu: np.ndarray
    work_per_gpu: np.ndarray

    def repeat(self, n: int) -> Trajectory:
        """A one-draw trajectory repeated for n draws."""
        arrays = (self.generation, self.price_usd_per_gpu, self.it_kw_per_gpu, self.work_per_gpu)
        return Trajectory(*(np.repeat(a, n, axis=0) for a in arrays))

    def at(self, month: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Price, power and work per GPU of purchases at whole months (0 or past the end clipped to 1..M).

        Parameters
        ----------
        month : numpy.ndarray
            Purchase months, shape (n, ...); month 0 (the decision date) buys month 1's frontier.

        Returns
        -------
        tuple of numpy.ndarray
            ``price_usd_per_gpu``, ``it_kw_per_gpu``, ``work_per_gpu``, each shaped like ``month``.
        """
        n, months = self.price_usd_per_gpu.shape
        col = np.clip(np.nan_to_num(np.asarray(month, dtype=float), posinf=months), 1, months).astype(np.int64) - 1
        rows = np.broadcast_to(np.arange(n).reshape((n,) + (1,) * (col.ndim - 1)), col.shape)
        return self.price_usd_per_gpu[rows, col], self.it_kw_per_gpu[rows, col], self.work_per_gpu[rows, col]


def extrapolate(
    available_month: np.ndarray,
    price: np.ndarray,
    kw: np.ndarray,
    work: np.ndarray,
    months: int,
    cadence_months: float,
    growth: tuple[np.ndarray, np.ndarray, np.ndarray],
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Append the generations that arrive after the last tabulated one, up to the horizon.

    Generation ``k >= 1`` after the last one (``L``) arrives at ``a_L + k c <= M`` and has
    ``x_L (1 + g_x) ** (k c / 12)`` for each of price, power and work per GPU.

    Parameters
    ----------
    available_month : numpy.ndarray
        Month each tabulated generation becomes available [months from t = 0], shape (G,).
    price, kw, work : numpy.ndarray
        Tabulated price [USD/GPU], IT power [kW/GPU] and work [1] per GPU, shape (n, G).
    months : int
        Horizon M [months].
    cadence_months : float
        Months between extrapolated generations, > 0.
    growth : tuple of numpy.ndarray
        Annual growth of price, power and work per GPU [1/year], each shape (n,).

    Returns
    -------
    tuple of numpy.ndarray
        Available months (G + K,) and price, power, work (n, G + K).

    Examples
    --------
    One generation at month -6; the next arrives at month 18 with prices +10 %/yr.

    >>> g = (np.array([0.1]), np.array([0.0]), np.array([0.5]))
    >>> a, p, k, w = extrapolate(np.array([-6.0]), np.array([[100.0]]), np.array([[1.0]]), np.array([[1.0]]), 24, 24.0, g)
    >>> a.tolist(), np.round(p, 2).tolist(), w.tolist()
    ([-6.0, 18.0], [[100.0, 121.0]], [[1.0, 2.25]])
    """
    if not cadence_months > 0:
        raise ValueError(f"hardware.cadence_months [months] must be > 0; got {cadence_months!r}")
    last = int(np.argmax(available_month))
    count = max(int(np.floor((months - available_month[last]) / cadence_months)), 0)
    k = np.arange(1, count + 1)
    years = k * cadence_months / 12.0
    extra_at = available_month[last] + k * cadence_months
    out = []
    for table, rate in zip((price, kw, work), growth, strict=True):
        future = table[:, [last]] * np.power.outer(1.0 + np.asarray(rate, dtype=float), years)
        out.append(np.concatenate([table, future], axis=1))
    return np.concatenate([available_month, extra_at]), out[0], out[1], out[2]


def frontier(
    available_month: np.ndarray,
    price: np.ndarray,
    kw: np.ndarray,
    work: np.ndarray,
    months: int,
    cadence_months: float,
    growth: tuple[np.ndarray, np.ndarray, np.ndarray],
) -> Trajectory:
    """The frontier generation at each month end: the lowest price per unit of work available.

    Parameters
    ----------
    available_month : numpy.ndarray
        Month each tabulated generation becomes available [months from t = 0], shape (G,).
        At least one must be available by month 1.
    price, kw, work : numpy.ndarray
        Tabulated system price [USD/GPU], all-in IT power [kW/GPU] and work [reference
        GPU-hours per GPU-hour] per GPU, shape (n, G).
    months : int
        Horizon M [months].
    cadence_months : float
        Months between generations after the last tabulated one.
    growth : tuple of numpy.ndarray
        Annual growth of price, power and work per GPU after the table [1/year], each (n,).

    Returns
    -------
    Trajectory
        Arrays of shape (n, M).

    Raises
    ------
    ValueError
        If no generation is available by month 1, or a price, power or work is not positive.

    Examples
    --------
    An old generation (1 unit of work for $30k) and a newer one at month 12 (4 units for
    $50k): the newer one is the frontier from month 12. With no growth, the generation
    extrapolated at month 24 is no better, and ties keep the earlier one.

    >>> t = frontier(np.array([-30.0, 12.0]), np.array([[30e3, 50e3]]), np.array([[1.4, 2.0]]),
    ...              np.array([[1.0, 4.0]]), 24, 12.0, (np.zeros(1), np.zeros(1), np.zeros(1)))
    >>> t.generation[0, [0, 10, 11, 23]].tolist(), t.work_per_gpu[0, [10, 11]].tolist()
    ([0, 0, 1, 1], [1.0, 4.0])
    """
    for name, table in (("price_usd_per_gpu", price), ("it_power_kw_per_gpu", kw), ("work_per_gpu", work)):
        if not np.all(np.isfinite(table) & (table > 0)):
            raise ValueError(f"hardware.generations.*.{name}: every value must be finite and > 0; got {np.asarray(table).tolist()}")
    if not np.any(available_month <= 1):
        raise ValueError(
            f"hardware.generations.*.available_year: no generation is available by the decision date; "
            f"months from t = 0 are {available_month.tolist()}"
        )
    at, p, k, w = extrapolate(available_month, price, kw, work, months, cadence_months, growth)
    available = at[None, :] <= np.arange(1, months + 1)[:, None]  # (M, G'): the same for every draw
    sets, of_month = np.unique(available, axis=0, return_inverse=True)  # one set a generation's arrival changes
    choice_by_set = np.argmin(np.where(sets[:, None, :], (p / w)[None, :, :], np.inf), axis=2)  # (sets, n); ties: first
    generation, *arrays = frontier_draws(
        choice_by_set.astype(np.int64), np.ravel(of_month).astype(np.int64), *(np.ascontiguousarray(x, dtype=float) for x in (p, k, w))
    )
    return Trajectory(generation, *arrays)


def capacity_cost_per_gpu_hour(
    price_usd_per_gpu: np.ndarray,
    it_kw_per_gpu: np.ndarray,
    *,
    extras_share: np.ndarray,
    rate_annual: np.ndarray,
    gpu_life_years: np.ndarray,
    residual_share: np.ndarray,
    facility_usd_per_mw_it: np.ndarray,
    facility_life_years: np.ndarray,
    maintenance_share_per_year: np.ndarray,
    pue: np.ndarray,
    power_usd_per_mwh: np.ndarray,
    load_share: np.ndarray,
    staff_usd_per_mw_year: np.ndarray,
    staff_usd_per_gpu_year: np.ndarray,
    property_insurance_share_per_year: np.ndarray,
) -> dict[str, np.ndarray]:
    """Levelized pre-tax cost of one GPU-hour of owned capacity, by component [USD/GPU-h].

    The total cost of ownership method of SemiAnalysis's AI cloud TCO model and of NREL's
    levelized cost (Short, Packey & Holt, *A Manual for the Economic Evaluation of Energy
    Efficiency and Renewable Energy Technologies*, NREL/TP-462-5173, 1995): each capital
    item is turned into an equal annual charge with the capital recovery factor
    ``CRF(r, L) = r / (1 - (1 + r) ** -L)``, net of the present value of its resale at the
    end of its life; running costs are added per year; the sum is divided by 8,760 hours.

    - ``gpu_capital``: ``P (1 + x) [1 - s (1 + r) ** -L] CRF(r, L)``, system price P, extras
      share x (fabric, storage, CPU nodes, spares), resale share s at life L;
    - ``facility_capital``: ``F k / 1000 x CRF(r, L_f)`` for facility capex F per MW of IT
      and k kW per GPU;
    - ``facility_maintenance``, ``property_tax_insurance``: shares of capex per year;
    - ``power``: ``k x PUE x load x price x 8,760 / 1000`` [USD/year];
    - ``staff``: per MW of IT and per GPU.

    Parameters
    ----------
    price_usd_per_gpu, it_kw_per_gpu : numpy.ndarray
        System price [USD/GPU] and all-in IT power [kW/GPU], broadcastable.
    extras_share : numpy.ndarray
        Fleet extras as a share of the system price [1].
    rate_annual : numpy.ndarray
        Cost of capital, annual effective [1/year].
    gpu_life_years, facility_life_years : numpy.ndarray
        Economic lives [years].
    residual_share : numpy.ndarray
        Resale value at the end of the GPU life as a share of its price [1].
    facility_usd_per_mw_it : numpy.ndarray
        Facility capex [USD/MW of IT].
    maintenance_share_per_year, property_insurance_share_per_year : numpy.ndarray
        Facility maintenance and property tax plus insurance, shares of capex per year [1/year].
    pue : numpy.ndarray
        Power usage effectiveness [1].
    power_usd_per_mwh : numpy.ndarray
        Power price [USD/MWh].
    load_share : numpy.ndarray
        Average IT power draw as a share of full load [1].
    staff_usd_per_mw_year, staff_usd_per_gpu_year : numpy.ndarray
        Operations staff cost [USD/MW/year] and [USD/GPU/year].

    Returns
    -------
    dict of str to numpy.ndarray
        Components ``gpu_capital``, ``facility_capital``, ``facility_maintenance``,
        ``property_tax_insurance``, ``power``, ``staff`` and their ``total`` [USD per
        GPU-hour of capacity, busy or not]; divide by utilization for a busy hour.

    Examples
    --------
    A $50k GPU with no extras, no resale, 10 % cost of capital over 5 years and nothing
    else costs ``50,000 x CRF(10 %, 5) / 8,760`` an hour:

    >>> one, zero = np.array(1.0), np.array(0.0)
    >>> c = capacity_cost_per_gpu_hour(np.array(50e3), one, extras_share=zero, rate_annual=np.array(0.1),
    ...     gpu_life_years=np.array(5.0), residual_share=zero, facility_usd_per_mw_it=zero, facility_life_years=np.array(20.0),
    ...     maintenance_share_per_year=zero, pue=one, power_usd_per_mwh=zero, load_share=one, staff_usd_per_mw_year=zero,
    ...     staff_usd_per_gpu_year=zero, property_insurance_share_per_year=zero)
    >>> round(float(c["total"]), 4), round(50e3 * 0.1 / (1 - 1.1 ** -5) / 8760, 4)
    (1.5057, 1.5057)
    """
    kept, crf_gpu, crf_facility = capital_charges(rate_annual, gpu_life_years, residual_share, facility_life_years)
    system = np.asarray(price_usd_per_gpu, dtype=float) * (1.0 + extras_share)
    facility = np.asarray(facility_usd_per_mw_it, dtype=float) * np.asarray(it_kw_per_gpu, dtype=float) / 1000.0
    per_year = {
        "gpu_capital": system * kept * crf_gpu,
        "facility_capital": facility * crf_facility,
        "facility_maintenance": facility * maintenance_share_per_year,
        "property_tax_insurance": (system + facility) * property_insurance_share_per_year,
        "power": it_kw_per_gpu * pue * load_share * power_usd_per_mwh * HOURS_PER_YEAR / 1000.0,
        "staff": staff_usd_per_mw_year * it_kw_per_gpu / 1000.0 + staff_usd_per_gpu_year,
    }
    out = {name: np.asarray(value, dtype=float) / HOURS_PER_YEAR for name, value in per_year.items()}
    out["total"] = sum(out.values(), np.zeros(()))
    return out


def capital_charges(
    rate_annual: np.ndarray, gpu_life_years: np.ndarray, residual_share: np.ndarray, facility_life_years: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The capital terms of :func:`capacity_cost_per_gpu_hour`: ``1 - s (1 + r) ** -L``, ``CRF(r, L)`` and ``CRF(r, L_f)``.

    Parameters
    ----------
    rate_annual : numpy.ndarray
        Cost of capital, annual effective [1/year].
    gpu_life_years, facility_life_years : numpy.ndarray
        Economic lives L and L_f [years].
    residual_share : numpy.ndarray
        Resale value s at the end of the GPU life as a share of its price [1].

    Returns
    -------
    kept, crf_gpu, crf_facility : numpy.ndarray
        Share of the GPU price not recovered by its resale, in present value [1], and the
        capital recovery factors of the GPU and the facility [1/year], broadcast.

    Examples
    --------
    >>> kept, crf, _ = capital_charges(np.array(0.1), np.array(5.0), np.array(0.0), np.array(20.0))
    >>> float(kept), round(float(crf), 5)
    (1.0, 0.2638)
    """
    r = np.asarray(rate_annual, dtype=float)
    resale_pv = residual_share * np.power(1.0 + r, -np.asarray(gpu_life_years, dtype=float))
    return 1.0 - resale_pv, capital_recovery_factor(r, gpu_life_years), capital_recovery_factor(r, facility_life_years)


def gpus_in(mw: np.ndarray, it_kw_per_gpu: np.ndarray) -> np.ndarray:
    """GPUs that fill ``mw`` of IT load: ``MW x 1000 / kW per GPU`` [GPU].

    Examples
    --------
    >>> float(gpus_in(np.array(100.0), np.array(2.0)))
    50000.0
    """
    count: np.ndarray = np.asarray(mw, dtype=float) * 1000.0 / np.asarray(it_kw_per_gpu, dtype=float)
    return count
