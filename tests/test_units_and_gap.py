"""Physical units (CODATA) against hand values, and the BCS gap against its known limits."""

import math

import pytest
from scipy.special import zeta

from spintunnel import units
from spintunnel.leads import GAP_RATIO_WEAK_COUPLING, bcs_gap_meV, critical_temperature_K


def test_josephson_frequency_is_483597_8484_GHz_per_volt():
    # 2e/h is exact in the SI since 2019: 483597.8484... GHz/V
    assert units.josephson_frequency_GHz(1000.0) == pytest.approx(483597.8484, rel=1e-10)


def test_resistance_quantum_is_hbar_over_e_squared():
    # 1/(2 pi) of the von Klitzing constant 25812.807 Ohm
    assert units.RESISTANCE_QUANTUM_OHM == pytest.approx(25812.807 / (2 * math.pi), rel=1e-7)
    assert units.rq_over_rn(units.RESISTANCE_QUANTUM_OHM * 10) == pytest.approx(0.1)


def test_kelvin_meV_round_trip_and_hand_value():
    assert units.kelvin_to_meV(1.0) == pytest.approx(0.08617333, rel=1e-7)
    assert units.meV_to_kelvin(units.kelvin_to_meV(3.7)) == pytest.approx(3.7)


def test_time_unit_is_hbar_per_meV():
    assert units.TIME_UNIT_S == pytest.approx(6.582119569e-13, rel=1e-9)


def test_field_of_one_bohr_magneton_in_a_cubic_angstrom_is_about_a_tesla():
    # S30 ff.: mu_0 mu_B / (1 A^3) = 1.17 T
    assert units.field_mT(1.0, volume_nm3=1e-3) == pytest.approx(
        1.2566370614e-6 * 9.2740100783e-24 / 1e-30 * 1e3, rel=1e-8
    )
    # half-sphere of radius 1 nm: 5.6 mT per mu_B
    assert units.field_mT(1.0) == pytest.approx(5.565, rel=1e-3)


@pytest.mark.parametrize("bad", [0.0, -1.0, float("nan"), float("inf")])
def test_bad_resistance_and_volume_are_rejected(bad):
    with pytest.raises(ValueError, match="normal_resistance_ohm"):
        units.rq_over_rn(bad)
    with pytest.raises(ValueError, match="volume_nm3"):
        units.field_mT(1.0, volume_nm3=bad)


def test_weak_coupling_gap_ratio_is_1_764():
    assert GAP_RATIO_WEAK_COUPLING == pytest.approx(1.7639, abs=1e-4)
    tc = critical_temperature_K(0.18)  # aluminium-like gap
    assert units.kelvin_to_meV(tc) * GAP_RATIO_WEAK_COUPLING == pytest.approx(0.18, rel=1e-12)


def test_gap_is_flat_at_low_temperature_and_zero_above_tc():
    tc = critical_temperature_K(1.0)
    assert bcs_gap_meV(0.0, 1.0) == 1.0
    # low-temperature asymptote: 1 - Delta(T)/Delta(0) = sqrt(2 pi k_B T/Delta0) exp(-Delta0/k_B T)
    kT = units.kelvin_to_meV(0.1 * tc)
    deficit = 1.0 - bcs_gap_meV(0.1 * tc, 1.0)
    assert deficit == pytest.approx(math.sqrt(2 * math.pi * kT) * math.exp(-1.0 / kT), rel=0.1)
    assert bcs_gap_meV(tc, 1.0) == 0.0
    assert bcs_gap_meV(1.5 * tc, 1.0) == 0.0


@pytest.mark.parametrize("t", [0.99, 0.999, 0.9999])
def test_gap_follows_ginzburg_landau_near_tc(t):
    tc = critical_temperature_K(1.0)
    kTc = units.kelvin_to_meV(tc)
    gl = kTc * math.sqrt(8 * math.pi**2 / (7 * zeta(3))) * math.sqrt(1 - t)
    # corrections are O(1 - t) relative
    assert bcs_gap_meV(t * tc, 1.0) == pytest.approx(gl, rel=3 * (1 - t))


def test_gap_solves_the_gap_equation_to_1e10():
    # independent check of the root: the gap equation in the xi variable, with mpmath-free quad
    from scipy import integrate

    tc = critical_temperature_K(1.0)
    T = 0.6 * tc
    kT = units.kelvin_to_meV(T)
    gap = bcs_gap_meV(T, 1.0)
    f = lambda xi: 1.0 / (math.exp(math.sqrt(xi * xi + gap * gap) / kT) + 1.0) / math.sqrt(xi * xi + gap * gap)
    rhs = 2 * integrate.quad(f, 0, 60 * kT, epsabs=0, epsrel=1e-13, limit=200)[0]
    assert math.log(1.0 / gap) == pytest.approx(rhs, rel=1e-10, abs=1e-12)
    # a textbook value: Delta(0.6 T_c)/Delta(0) = 0.9 to two digits (Muhlschlegel's table)
    assert gap == pytest.approx(0.9, abs=0.01)


@pytest.mark.parametrize(
    "kw",
    [
        dict(temperature_K=-1.0, gap_zero_meV=1.0),
        dict(temperature_K=1.0, gap_zero_meV=0.0),
        dict(temperature_K=float("nan"), gap_zero_meV=1.0),
    ],
)
def test_bad_gap_inputs(kw):
    with pytest.raises(ValueError, match="temperature_K|gap_zero_meV"):
        bcs_gap_meV(**kw)
