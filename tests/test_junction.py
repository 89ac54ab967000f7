"""The Junction: observables in lab units against limits, symmetries and hand values."""

import dataclasses
import math

import numpy as np
import pytest

from spintunnel.junction import Junction, junction_from_config
from spintunnel.config import load_config
from spintunnel.links import bent_two_segment, straight_rashba_zeeman, model_pair
from spintunnel.units import RESISTANCE_QUANTUM_OHM


def make(**kw):
    J, Jbar = model_pair(straight_rashba_zeeman, convention="standard", kso_d=1.0, b=3e-3, kf_over_kso=3.0)
    base = dict(gap_left_meV=0.18, gap_right_meV=0.18, temperature_K=0.0, bias_mV=0.09, phi0_rad=0.0,
                normal_resistance_ohm=41000.0, amplitude=J, amplitude_partner=Jbar)
    base.update(kw)
    return Junction(**base)


def test_josephson_frequency_and_period_hand_values():
    j = make(bias_mV=0.09)
    assert j.josephson_frequency_GHz == pytest.approx(483597.8484 * 0.09e-3, rel=1e-9)
    assert j.period_s == pytest.approx(1 / (483597.8484e9 * 0.09e-3), rel=1e-9)


def test_golden_rule_coupling_is_4pi_below_the_papers_for_a_unitary_link():
    j = make(amplitude=bent_two_segment(1.0, 0.4), amplitude_partner=bent_two_segment(1.0, 0.4))
    paper = dataclasses.replace(j, normalisation="paper")
    assert paper.coupling == pytest.approx(RESISTANCE_QUANTUM_OHM / 41000.0)
    assert paper.coupling / j.coupling == pytest.approx(4 * math.pi)


@pytest.mark.parametrize("method", ["paper", "second_order"])
def test_normal_right_lead_has_no_ac_part(method):
    r = make(gap_right_meV=0.0).observables(method)
    np.testing.assert_allclose(r.moment_ac_muB, 0, atol=1e-15)


@pytest.mark.parametrize("method", ["paper", "second_order"])
def test_zero_bias_with_symmetric_dos_gives_no_magnetization(method):
    J, Jbar = model_pair(straight_rashba_zeeman, convention="paper", kso_d=1.0, b=3e-3, kf_over_kso=3.0)
    r = make(bias_mV=0.0, amplitude=J, amplitude_partner=Jbar).observables(method)
    np.testing.assert_allclose(r.moment_dc_muB, 0, atol=1e-15)
    np.testing.assert_allclose(r.moment_ac_muB, 0, atol=1e-15)


def test_second_order_static_moment_is_odd_in_bias_and_field():
    plus = make(bias_mV=0.09).observables("second_order").moment_dc_muB
    minus = make(bias_mV=-0.09).observables("second_order").moment_dc_muB
    assert np.abs(plus).max() > 1e-6
    np.testing.assert_allclose(minus, -plus, rtol=1e-9, atol=1e-20)
    J = straight_rashba_zeeman(1.0, -3e-3, 3.0)
    flipped = make(amplitude=J, amplitude_partner=J).observables("second_order").moment_dc_muB
    np.testing.assert_allclose(flipped, -plus, rtol=1e-9, atol=1e-20)


def test_second_order_static_moment_survives_a_normal_left_lead():
    r = make(gap_left_meV=0.0).observables("second_order")
    assert np.abs(r.moment_dc_muB).max() > 1e-7


def test_pure_spin_orbit_link_gives_no_second_order_magnetization():
    U = bent_two_segment(1.3, 0.4)
    r = make(amplitude=U, amplitude_partner=U).observables("second_order")
    np.testing.assert_allclose(r.moment_dc_muB, 0, atol=1e-14)
    np.testing.assert_allclose(r.moment_ac_muB, 0, atol=1e-14)


def test_time_trace_current_is_the_derivative_of_the_moment():
    j = make()
    r = j.observables("paper")
    t = np.linspace(0, 2 * j.period_s, 2001)
    moment, current = j.time_trace(r, t)
    numeric = np.gradient(moment, t, axis=0)
    scale = np.abs(current).max()
    assert scale > 0
    np.testing.assert_allclose(numeric[5:-5], current[5:-5], atol=1e-4 * scale)


def test_all_orders_time_trace_includes_the_higher_harmonics():
    """Strong coupling (R_n = 30 R_Q, spin filter): the 4eV harmonic of M_L is 12% of the 2eV
    one.  The trace's current is the time derivative of its moment (each harmonic with its
    own k omega_J), and the trace is the sum of all harmonics, not the 2eV one alone."""
    J = np.diag([1.0, 0.6])
    j = make(amplitude=J, amplitude_partner=J, normal_resistance_ohm=RESISTANCE_QUANTUM_OHM * 30, bias_mV=0.07, phi0_rad=0.4)
    r = j.all_orders(static=False)
    assert r.moment_harmonics_muB.shape == (3, 3)
    assert np.abs(r.moment_harmonics_muB[0]).max() > 0.05 * np.abs(r.moment_ac_muB).max()
    t = np.linspace(0, 2 * j.period_s, 4001)
    moment, current = j.time_trace(r, t)
    numeric = np.gradient(moment, t, axis=0)
    scale = np.abs(current).max()
    np.testing.assert_allclose(numeric[5:-5], current[5:-5], atol=1e-4 * scale)
    # harmonic k of the trace over one period (the dc spin current's linear growth removed)
    n = 2000
    oscillating = moment - r.spin_current_dc_muB_per_s[None, :] * t[:, None]
    for k, m_k in enumerate(r.harmonics(), start=1):
        c = np.mean(oscillating[:n] * np.exp(-1j * k * (j.phi0_rad + j.angular_frequency_per_s * t[:n]))[:, None], axis=0)
        np.testing.assert_allclose(c, m_k, atol=1e-9 * np.abs(r.moment_ac_muB).max())


def test_all_orders_harmonics_do_not_depend_on_phi0():
    """phi0 only shifts the time origin: m_k of M_L,ac = Sum_k 2 Re[m_k e^{ik(phi0 + omega_J t)}]
    is the same for every phi0 (harmonic k of the solver carries e^{ik phi0})."""
    J = np.diag([1.0, 0.6])
    kw = dict(amplitude=J, amplitude_partner=J, normal_resistance_ohm=RESISTANCE_QUANTUM_OHM * 30, bias_mV=0.07)
    a = make(phi0_rad=0.0, **kw).all_orders(static=False).harmonics()
    b = make(phi0_rad=1.1, **kw).all_orders(static=False).harmonics()
    assert np.abs(a[1]).max() > 0.05 * np.abs(a[0]).max()
    np.testing.assert_allclose(b, a, rtol=0, atol=1e-8 * np.abs(a).max())


def test_regime_flags_agree_with_the_warnings():
    """Bits by hand (Delta = 0.18 meV: edges 0.18 and 0.36 meV, width 0.0036 meV; R_Q/R_n =
    0.51 at 8000 Ohm); the vectorised flags equal the scalar ones and the warning texts."""
    biases = np.array([0.05, 0.1775, -0.1830, 0.3585, 0.364])
    for rn, strong in ((41000.0, 0), (8000.0, 1)):
        j = make(normal_resistance_ohm=rn)
        flags = j.regime_flags(biases)
        np.testing.assert_array_equal(flags, strong + np.array([0, 2, 2, 2, 0]))
        for b, f in zip(biases, flags):
            jb = make(normal_resistance_ohm=rn, bias_mV=float(b))
            assert jb.regime_flags() == f
            texts = jb.regime_warnings()
            assert any("R_Q/R_n" in t for t in texts) == bool(f & 1)
            assert any("within 2%" in t for t in texts) == bool(f & 2)


def test_default_config_builds_the_papers_junction():
    j = junction_from_config(load_config())
    assert j.gap_left_meV == pytest.approx(0.18, rel=1e-8)
    assert j.bias_meV == pytest.approx(j.gap_left_meV / 2, rel=1e-6)


@pytest.mark.parametrize("field, value", [("gap_left_meV", -0.1), ("temperature_K", float("nan")), ("bias_mV", float("inf")),
                                          ("normal_resistance_ohm", 0.0), ("volume_nm3", -1.0), ("normalisation", "none")])
def test_bad_junction_input_names_the_field(field, value):
    with pytest.raises(ValueError, match=field):
        make(**{field: value})


def test_two_normal_leads_are_rejected():
    with pytest.raises(ValueError, match="both zero"):
        make(gap_left_meV=0.0, gap_right_meV=0.0)


@pytest.mark.parametrize("bias_mV", [0.09, -0.09])
def test_golden_rule_normalisation_agrees_with_the_all_orders_solver_at_weak_tunnelling(bias_mV):
    """The dc spin current of the second-order theory (scale set by the golden-rule
    relation between R_n and rho rho |J0|^2) against the Floquet solver (scale set by the
    contact's own normal-state transmission): equal at weak tunnelling. The paper's (S30)
    normalisation would be 4 pi off."""
    J = np.diag([1.0, 0.6])
    kw = dict(gap_left_meV=0.18, gap_right_meV=0.18, temperature_K=0.6, bias_mV=bias_mV,
              normal_resistance_ohm=RESISTANCE_QUANTUM_OHM * 3e5, amplitude=J, amplitude_partner=J)
    j = make(**kw)
    second = j.observables("second_order").spin_current_dc_muB_per_s
    allord = j.observables("all_orders").spin_current_dc_muB_per_s
    assert abs(second[2]) > 0
    # measured: relative difference 1.2e-2, 1.7e-3, 2.1e-4 at R_n/R_Q = 3e3, 3e4, 3e5 (J^4 correction)
    assert allord[2] == pytest.approx(second[2], rel=1e-3)


def test_all_orders_has_no_ac_part_with_a_normal_right_lead():
    r = make(gap_right_meV=0.0, temperature_K=0.3).observables("all_orders")
    assert np.abs(r.moment_ac_muB).max() < 1e-12


def test_all_orders_pure_spin_orbit_link_carries_no_spin():
    # scale: a spin filter at the same R_n, T, V; the SU(2) link gives round-off relative to it
    F = np.diag([1.0, 0.5])
    ref = make(amplitude=F, amplitude_partner=F, temperature_K=0.5).observables("all_orders")
    U = bent_two_segment(1.3, 0.4)
    r = make(amplitude=U, amplitude_partner=U, temperature_K=0.5).observables("all_orders")
    scale_ac = np.abs(ref.moment_ac_muB).max()
    scale_dc = np.abs(ref.spin_current_dc_muB_per_s).max()
    assert scale_ac > 0 and scale_dc > 0
    assert np.abs(r.moment_ac_muB).max() < 1e-9 * scale_ac
    assert np.abs(r.spin_current_dc_muB_per_s).max() < 1e-9 * scale_dc


def test_exact_method_matches_the_band_limited_continuum_second_order_at_weak_tunnelling(monkeypatch):
    """The finite model of Junction.exact (hopping sqrt(c) h/2, midpoint levels on [-B, B])
    against the continuum second order with the same band (independent code): checks the
    normalisation of the exact method; measured 0.34% at N = 12, 0.16% at N = 24."""
    from spintunnel import second_order as so

    F = np.diag([1.3, 0.7]).astype(complex)
    j = make(temperature_K=0.0, normal_resistance_ohm=RESISTANCE_QUANTUM_OHM * 1e3, amplitude=F, amplitude_partner=F)
    r = j.exact(n_levels=12, band_in_gaps=6.0)
    monkeypatch.setattr(so, "_XI_MAX_FACTOR", 6.0)  # |xi| < 6 Delta, as the finite model
    cont = j.coupling / 4 * so.magnetization_dc(F, F, 0.5, 0.0, 1.0, 1.0, cross="equal")
    assert abs(cont[2]) > 0
    assert r.moment_dc_muB[2] == pytest.approx(cont[2], rel=1e-2)
    # a z-only spin filter: x, y at the integrator's noise (~1e-9 of the signal)
    np.testing.assert_allclose(r.moment_dc_muB[:2], 0, atol=1e-7 * abs(cont[2]))


def test_exact_method_beyond_second_order_matches_the_band_limited_continuum_at_weak_tunnelling():
    """M_ac is zero at second order, so the exact method's m_1 is fourth order and beyond:
    against the all-orders Floquet solver (independent code) with the same band and J =
    pi sqrt(c) j (the finite model's continuum limit), at R_n = 11 x the paper's (tau ~ 0.03),
    T = 0, phi0 = 0.7 (the e^{-i phi0} of m_1 is checked: a slip would be a 64 % error).
    Measured at N = 12, 16, 24: m_1 off by 9.7 %, 2.6 %, 1.2 % (h^2); M_dc (all orders,
    finite here: no injection at this order) by 1.5 %, 0.5 %, 0.3 %."""
    from spintunnel.floquet import floquet_currents, static_magnetization

    j = make(normal_resistance_ohm=41000.0 / 0.09, phi0_rad=0.7)
    r = j.exact(n_levels=16, band_in_gaps=8.0)
    JF = np.pi * np.sqrt(j.coupling) * j.amplitude
    kw = dict(bias=0.5, gap_left=1.0, gap_right=1.0, band=8.0, phi0=0.7)
    f = floquet_currents(JF, n_harmonics=2, tol=1e-8, **kw)
    m1 = f.magnetization_harmonics()[1] * np.exp(-0.7j)  # (g/2) mu_B = 1: mu_B
    static = static_magnetization(JF, **kw).moment
    assert np.linalg.norm(m1) > 1e-3 * np.linalg.norm(static)
    assert np.linalg.norm(r.moment_ac_muB - m1) < 0.05 * np.linalg.norm(m1)
    assert np.linalg.norm(r.moment_dc_muB - static) < 0.015 * np.linalg.norm(static)
    assert r.moment_harmonics_muB.shape == (0, 3)  # the 4eV harmonic is not given
    assert any("4eV harmonic not given" in n for n in r.notes)


def test_exact_method_refuses_a_finite_model_that_is_not_periodic(monkeypatch):
    """Below the drift tolerance nothing is read off: Junction.exact raises, the report lists
    the method as not available and keeps the others (a tolerance of 0 forces the case;
    the physical cases, N = 20 and 24 at the paper's R_n, take minutes: docs/exact_solver.md)."""
    import spintunnel.junction as jn
    from spintunnel.config import DEFAULT_CONFIG_TOML, parse_config
    from spintunnel.report import compute, format_table

    monkeypatch.setattr(jn, "_EXACT_DRIFT_TOL", 0.0)
    with pytest.raises(jn.FiniteModelNotPeriodicError, match="not periodic"):
        make(normal_resistance_ohm=41000.0 / 0.09).exact(n_levels=8, band_in_gaps=6.0)
    cfg = parse_config(DEFAULT_CONFIG_TOML.replace('methods = ["paper", "second_order", "all_orders"]',
                                                   'methods = ["second_order", "exact"]'))
    summary = compute(cfg)["summary"]
    assert set(summary["methods"]) == {"second_order"}
    assert "not periodic" in summary["methods_not_available"]["exact"]
    assert "[exact] not available" in format_table(summary)


def test_exact_drift_of_two_fits():
    """The drift measure on hand-made fits: relative to each quantity's own size, floored at
    1e-3 of the largest, zero for a zero signal."""
    from spintunnel.exact.analysis import Harmonics
    from spintunnel.junction import _exact_drift

    def fit(c0, c1, c2):
        coef = np.array([c0, c1, c2], complex)[:, None] * np.ones(3)
        return Harmonics(1.0, coef, np.zeros((3, 3)), np.zeros(3))
    d = _exact_drift([fit(1.0, 0.1, 0.0), fit(1.1, 0.1 + 0.01j, 1e-6)])
    np.testing.assert_allclose(d, [0.1 / 1.1, 0.01 / np.hypot(0.1, 0.01), 1e-6 / (1e-3 * 1.1)], rtol=1e-12)
    assert np.all(_exact_drift([fit(0, 0, 0), fit(0, 0, 0)]) == 0)
    # round-off below atol is no drift, however different the two fits are relative to it
    np.testing.assert_allclose(_exact_drift([fit(1e-13, 0, 0), fit(-1e-13, 0, 0)], atol=1e-10), [2e-3 * np.sqrt(3), 0, 0])


def test_exact_method_gives_nothing_for_a_pure_spin_orbit_link():
    U = bent_two_segment(1.3, 0.4)
    r = make(amplitude=U, amplitude_partner=U, temperature_K=0.0).exact(n_levels=8, band_in_gaps=6.0)
    assert np.abs(r.moment_dc_muB).max() < 1e-12 and np.abs(r.moment_ac_muB).max() < 1e-12


def test_all_orders_static_moment_agrees_with_second_order_at_weak_tunnelling():
    """M_dc of the all-orders method (static_magnetization with the J that R_n fixes) against
    the second-order method (golden-rule normalisation): equal at weak tunnelling, at the
    paper's bias eV = Delta/2 (T = 0.1 K: thermal quasiparticles negligible)."""
    J = np.diag([1.0, 0.6])
    kw = dict(gap_left_meV=0.18, gap_right_meV=0.18, temperature_K=0.1, bias_mV=0.09,
              normal_resistance_ohm=RESISTANCE_QUANTUM_OHM * 3e4, amplitude=J, amplitude_partner=J)
    j = make(**kw)
    second = j.observables("second_order").moment_dc_muB
    allord = j.observables("all_orders")
    assert abs(second[2]) > 0
    assert allord.moment_dc_muB is not None
    assert allord.moment_dc_muB[2] == pytest.approx(second[2], rel=5e-4)       # measured 4.5e-5 (4.5e-4 at 3e3, 4.5e-6 at 3e5)
    assert any("closed lead" in n for n in allord.notes)


def test_all_orders_static_moment_not_given_with_a_normal_left_lead():
    r = make(gap_left_meV=0.0, temperature_K=0.0).observables("all_orders")
    assert r.moment_dc_muB is None
    assert any("switched on" in n for n in r.notes)
