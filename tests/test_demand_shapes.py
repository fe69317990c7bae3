"""econ.demand.hourly_demand: weekly means, time zones, weekends, noise, bad input."""

from __future__ import annotations

import numpy as np
import pytest

from econ.demand import hourly_demand


def random_shape(seed: int) -> np.ndarray:
    """A weekday/weekend shape with a weekly mean of 1."""
    shape = np.random.default_rng(seed).uniform(0.2, 2.0, (2, 24))
    return shape / ((5 * shape[0].sum() + 2 * shape[1].sum()) / 168)


def test_a_whole_week_averages_the_mean_load_in_every_time_zone():
    classes = {"chat": (0.7, random_shape(1)), "batch": (0.3, random_shape(2))}
    d = hourly_demand("2027-01-04", 168, classes, {-5.0: 0.5, 1.0: 0.3, 8.0: 0.2}, 100.0)
    assert d.sum(axis=1).mean() == pytest.approx(100.0, rel=1e-12)
    assert d["batch"].mean() == pytest.approx(30.0, rel=1e-12)


def test_a_region_east_of_utc_peaks_earlier_in_utc():
    shape = np.ones((2, 24))
    shape[:, 15] = 5.0
    shape /= (5 * shape[0].sum() + 2 * shape[1].sum()) / 168
    utc = hourly_demand("2027-01-04", 24, {"chat": (1.0, shape)}, {0.0: 1.0}, 1.0)
    east = hourly_demand("2027-01-04", 24, {"chat": (1.0, shape)}, {5.0: 1.0}, 1.0)
    assert utc["chat"].idxmax().hour == 15 and east["chat"].idxmax().hour == 10


def test_weekends_follow_the_local_date():
    shape = np.vstack([np.full(24, 1.0), np.full(24, 0.5)])
    d = hourly_demand("2027-01-08", 24, {"chat": (1.0, shape)}, {10.0: 1.0}, 1.0)  # Friday UTC
    # UTC+10: Friday 14:00 UTC is already Saturday 00:00 locally
    assert d["chat"].iloc[13] == 1.0 and d["chat"].iloc[14] == 0.5


def test_growth_compounds_hourly_and_noise_is_reproducible_with_mean_one():
    flat = np.ones((2, 24))
    grown = hourly_demand("2027-01-01", 8761, {"c": (1.0, flat)}, {0.0: 1.0}, 10.0, growth_annual=0.5)
    assert grown["c"].iloc[-1] == pytest.approx(15.0, rel=1e-12)
    a = hourly_demand("2027-01-01", 20000, {"c": (1.0, flat)}, {0.0: 1.0}, 10.0, noise_cv=0.2, seed=3)
    b = hourly_demand("2027-01-01", 20000, {"c": (1.0, flat)}, {0.0: 1.0}, 10.0, noise_cv=0.2, seed=3)
    assert a.equals(b)
    assert a["c"].mean() == pytest.approx(10.0, rel=0.01) and a["c"].std() / a["c"].mean() == pytest.approx(0.2, rel=0.05)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"hours": 0}, r"hours: must be an integer >= 1 \[hours\]; got 0"),
        ({"mean_load": -1.0}, r"mean_load: must be finite and > 0"),
        ({"growth_annual": -1.0}, r"growth_annual: must be finite and > -1"),
        ({"noise_cv": 0.1}, r"seed: a seed is needed when noise_cv > 0"),
        ({"region_offsets": {0.0: 0.6}}, r"region_offsets: shares must be >= 0 and sum to 1"),
        ({"classes": {"c": (1.0, np.ones((1, 24)))}}, r"classes\['c'\]: the shape must be a \(2, 24\) array"),
    ],
)
def test_bad_input_gives_the_documented_error(kwargs, message):
    args = {"start": "2027-01-01", "hours": 24, "classes": {"c": (1.0, np.ones((2, 24)))}, "region_offsets": {0.0: 1.0}, "mean_load": 1.0}
    with pytest.raises(ValueError, match=message):
        hourly_demand(**(args | kwargs))


def test_every_shipped_shape_loads_with_a_weekly_mean_of_one():
    from econ.assumptions import load_table
    from econ.demand import demand_profile

    for shape_id in sorted(set(load_table("demand_shapes")["shape_id"])):
        profile = demand_profile(shape_id)
        assert profile.shape == (2, 24)
        assert (5 * profile[0].sum() + 2 * profile[1].sum()) / 168 == pytest.approx(1.0, abs=1e-4), shape_id
    with pytest.raises(ValueError, match=r"shape_id: no weekday and weekend rows for 'nope' in data/demand_shapes.csv"):
        demand_profile("nope")


def test_bloc_shares_spread_over_their_regions_time_zones():
    from econ.demand import bloc_offsets

    offsets = bloc_offsets({"US": 0.6, "JP": 0.4})
    assert sum(offsets.values()) == pytest.approx(1.0, rel=1e-12)
    assert offsets[9.0] == pytest.approx(0.4) and offsets[-5.0] == pytest.approx(0.2)
    with pytest.raises(ValueError, match=r"bloc_shares: no region of bloc 'XX' in data/regions.csv"):
        bloc_offsets({"XX": 1.0})
