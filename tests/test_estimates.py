"""The supplement's estimates against hand values."""

import math

import pytest

from spintunnel import estimates


def test_s30_estimate_and_its_rounding():
    e = estimates.ac_moment_estimate_paper(bias=0.5, gap=1.0, rq_over_rn=0.1)
    assert e["with_3_16"] == pytest.approx(3 / 16 * 0.5 * 0.1)
    assert e["rounded"] == pytest.approx(0.05)
    assert estimates.dc_moment_estimate_paper(0.5, 1.0, 0.1) == pytest.approx(-0.5 / 16 * 0.1)


def test_spin_to_charge_ratio_paper_form():
    assert estimates.spin_to_charge_ratio_paper(1.0, 1.0) == pytest.approx(2 / math.pi)


def test_ambegaokar_baratoff_zero_temperature_is_half_the_papers_value():
    assert estimates.critical_current_times_rn_ambegaokar_baratoff(1.0, 0.0) == pytest.approx(math.pi / 2)
    assert estimates.critical_current_times_rn_paper(1.0) == pytest.approx(math.pi)
    # so with AB the ratio is twice the paper's at T = 0
    assert estimates.spin_to_charge_ratio_ambegaokar_baratoff(0.5, 1.0, 0.0) == pytest.approx(
        2 * estimates.spin_to_charge_ratio_paper(0.5, 1.0)
    )


def test_ambegaokar_baratoff_at_finite_temperature():
    # tanh(Delta/2T) at Delta = 2T is tanh(1)
    assert estimates.critical_current_times_rn_ambegaokar_baratoff(1.0, 0.5) == pytest.approx(
        math.pi / 2 * math.tanh(1.0)
    )


@pytest.mark.parametrize("bad", [0.0, -1.0, float("nan")])
def test_bad_gap(bad):
    with pytest.raises(ValueError, match="gap"):
        estimates.spin_to_charge_ratio_paper(0.5, bad)
