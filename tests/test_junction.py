"""The Junction (model, units, one coupling for every method) and the observables of its
methods in lab units, against limits, symmetries and hand values."""

import dataclasses
import itertools
import math

import numpy as np
import pytest

from spintunnel import contact
from spintunnel.config import load_config
from spintunnel.junction import junction_from_config
from spintunnel.links import bent_two_segment, model_pair, straight_rashba_zeeman
from spintunnel.units import RESISTANCE_QUANTUM_OHM

from junctions import paper_junction


def make(**kw):
    return paper_junction(**kw)


def test_josephson_frequency_and_period_hand_values():
    j = make(bias_mV=0.09)
    assert j.josephson_frequency_GHz == pytest.approx(483597.8484 * 0.09e-3, rel=1e-9)
    assert j.period_s == pytest.approx(1 / (483597.8484e9 * 0.09e-3), rel=1e-9)
    # a frequency is positive at either sign of the bias
    assert make(bias_mV=-0.09).josephson_frequency_GHz == pytest.approx(j.josephson_frequency_GHz, rel=1e-15)


@pytest.mark.parametrize("rn_over_rq", [np.pi / 0.8, 10.0, 41000.0 / RESISTANCE_QUANTUM_OHM, 1e4])
@pytest.mark.parametrize("link", ["straight", "filter", "generic"])
def test_common_amplitude_returns_the_normal_resistance(rn_over_rq, link):
    """R_n computed back from the common J by the all-orders normal conductance,
    R_n = 2 pi R_Q / Sum tau_i with tau_i = 4 s_i^2/(1 + s_i^2)^2 of the singular values of J
    (written out here, independently of spintunnel.contact), returns the input to 1e-10."""
    j = {
        "straight": straight_rashba_zeeman(1.0, 3e-3, 3.0),
        "filter": np.diag([1.0, 0.8]),
        "generic": np.array([[0.9, 0.2 + 0.3j], [-0.1j, 0.7]]),
    }[link]
    junction = make(amplitude=j, amplitude_partner=j, normal_resistance_ohm=rn_over_rq * RESISTANCE_QUANTUM_OHM)
    s = np.linalg.svd(junction.amplitude_W, compute_uv=False)
    tau = 4 * s**2 / (1 + s**2) ** 2
    assert 2 * np.pi / tau.sum() == pytest.approx(rn_over_rq, rel=1e-10)
    # J is the given spin structure, rescaled by a positive number
    nonzero = np.abs(j) > 0
    ratio = junction.amplitude_W[nonzero] / j[nonzero]
    np.testing.assert_allclose(ratio, ratio[0], rtol=1e-14)
    assert ratio[0].real > 0 and abs(ratio[0].imag) < 1e-15 * ratio[0].real


def test_golden_rule_resistance_is_the_second_order_approximation():
    """At the common J the golden rule 1/R_n = (2 pi e^2/hbar) rho rho |J0|^2 Tr(j j^dag)
    underestimates R_n by the all-orders factor (1 + x)^2 per channel (tau = 4x/(1+x)^2 vs
    4x): relative difference -> 0 linearly in R_Q/R_n; the paper's (S30) coupling R_Q/R_n
    is 4 pi larger than the golden rule's for a unitary link."""
    U = bent_two_segment(1.0, 0.4)
    diffs = []
    for rn in (41000.0, 410000.0, 4100000.0):
        j = make(amplitude=U, amplitude_partner=U, normal_resistance_ohm=rn)
        x = float(np.linalg.svd(j.amplitude_W, compute_uv=False)[0] ** 2)
        assert j.golden_rule_resistance_ohm == pytest.approx(rn / (1 + x) ** 2, rel=1e-12)
        diffs.append(1 - j.golden_rule_resistance_ohm / rn)
        golden = (
            RESISTANCE_QUANTUM_OHM / j.golden_rule_resistance_ohm / (2 * np.pi * 2)
        )  # c of the golden rule at this J
        assert j.coupling == pytest.approx(golden, rel=1e-12)
        paper = dataclasses.replace(j, normalisation="paper")
        assert paper.coupling_printed == pytest.approx(RESISTANCE_QUANTUM_OHM / rn, rel=1e-15)
    assert diffs[0] / diffs[1] == pytest.approx(10, rel=0.05) and diffs[1] / diffs[2] == pytest.approx(10, rel=0.01)
    ref = make(amplitude=U, amplitude_partner=U, normal_resistance_ohm=4.1e9)
    assert RESISTANCE_QUANTUM_OHM / 4.1e9 / ref.coupling == pytest.approx(4 * math.pi, rel=1e-5)


def test_resistance_below_a_point_contacts_reach_is_refused():
    with pytest.raises(ValueError, match="pi R_Q"):
        make(normal_resistance_ohm=0.9 * np.pi * RESISTANCE_QUANTUM_OHM)
    # a spin filter whose weak channel has 0.3 of the strong one's amplitude cannot reach mean tau = 0.9
    with pytest.raises(ValueError, match="out of reach"):
        make(
            amplitude=np.diag([1.0, 0.3]),
            amplitude_partner=np.diag([1.0, 0.3]),
            normal_resistance_ohm=np.pi / 0.9 * RESISTANCE_QUANTUM_OHM,
        )
    assert contact.normal_resistance(np.zeros((2, 2))) == math.inf


def test_thermal_activation_of_a_normal_superconducting_junction():
    """S-N at bias eV: an electron of the normal lead at energy E enters the superconductor at
    E + |eV|, so the transfer is activated by Delta - |eV| (3e-5 at the default 0.1 K,
    eV = Delta/2), not by Delta (8.5e-10); S-S: by min(Delta_L, Delta_R)."""
    sn = make(gap_right_meV=0.0, temperature_K=0.1)
    kT = 0.1 * 8.617333262e-2
    assert sn.thermal_population() == pytest.approx(math.exp(-0.09 / kT), rel=1e-6)
    assert sn.thermal_population() == pytest.approx(2.9e-5, rel=0.05)
    assert make(gap_right_meV=0.0, temperature_K=0.1, bias_mV=0.2).thermal_population() == 1.0
    ss = make(temperature_K=0.1, gap_right_meV=0.1)
    assert ss.thermal_population() == pytest.approx(math.exp(-0.1 / kT), rel=1e-6)
    assert make(temperature_K=0.0, gap_right_meV=0.0).thermal_population() == 0.0


@pytest.mark.parametrize("method", ["paper", "all_orders"])
def test_normal_right_lead_has_no_ac_part(method):
    """No pair amplitude on the right: no 2eV harmonic, at any order (the signals at eV =
    Delta/2 are ~1e-5 mu_B; all orders: quadrature noise at most)."""
    r = make(gap_right_meV=0.0).observables(method)
    np.testing.assert_allclose(r.moment_ac_muB, 0, atol=1e-16)


def test_second_order_gives_no_ac_part_at_its_order():
    """The total 2eV magnetization vanishes identically at second order (the sectors cancel,
    tests/test_second_order.py): the method says so instead of printing a zero."""
    r = make().observables("second_order")
    assert r.moment_ac_muB is None and r.diagnostics.reasons["M_ac"] == "not_at_this_order"


@pytest.mark.parametrize("method", ["paper", "second_order"])
def test_zero_bias_with_symmetric_dos_gives_no_magnetization(method):
    J, Jbar = model_pair(straight_rashba_zeeman, convention="paper", kso_d=1.0, b=3e-3, kf_over_kso=3.0)
    r = make(bias_mV=0.0, amplitude=J, amplitude_partner=Jbar).observables(method)
    np.testing.assert_allclose(r.moment_dc_muB, 0, atol=1e-15)
    np.testing.assert_allclose(r.harmonics(), 0, atol=1e-15)


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
    np.testing.assert_allclose(r.spin_current_dc_muB_per_s, 0, atol=1e-14)


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
    j = make(
        amplitude=J, amplitude_partner=J, normal_resistance_ohm=RESISTANCE_QUANTUM_OHM * 30, bias_mV=0.07, phi0_rad=0.4
    )
    r = j.observables("all_orders", static=False)
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
        c = np.mean(
            oscillating[:n] * np.exp(-1j * k * (j.phi0_rad + j.angular_frequency_per_s * t[:n]))[:, None], axis=0
        )
        np.testing.assert_allclose(c, m_k, atol=1e-9 * np.abs(r.moment_ac_muB).max())


def test_all_orders_harmonics_do_not_depend_on_phi0():
    """phi0 only shifts the time origin: m_k of M_L,ac = Sum_k 2 Re[m_k e^{ik(phi0 + omega_J t)}]
    is the same for every phi0 (harmonic k of the solver carries e^{ik phi0})."""
    J = np.diag([1.0, 0.6])
    kw = dict(amplitude=J, amplitude_partner=J, normal_resistance_ohm=RESISTANCE_QUANTUM_OHM * 30, bias_mV=0.07)
    a = make(phi0_rad=0.0, **kw).observables("all_orders", static=False).harmonics()
    b = make(phi0_rad=1.1, **kw).observables("all_orders", static=False).harmonics()
    assert np.abs(a[1]).max() > 0.05 * np.abs(a[0]).max()
    np.testing.assert_allclose(b, a, rtol=0, atol=1e-8 * np.abs(a).max())


def test_regime_flags_agree_with_the_warnings():
    """Bits by hand (Delta = 0.18 meV: edges 0.18 and 0.36 meV, width 0.0036 meV; mean
    transmission pi R_Q/R_n = 0.645 > 0.5 at 20000 Ohm); the vectorised flags equal the scalar
    ones and the warning texts."""
    biases = np.array([0.05, 0.1775, -0.1830, 0.3585, 0.364])
    for rn, strong in ((41000.0, 0), (20000.0, 1)):
        j = make(normal_resistance_ohm=rn)
        flags = j.regime_flags(biases)
        np.testing.assert_array_equal(flags, strong + np.array([0, 2, 2, 2, 0]))
        for b, f in zip(biases, flags, strict=True):
            jb = make(normal_resistance_ohm=rn, bias_mV=float(b))
            assert jb.regime_flags() == f
            texts = jb.regime_warnings()
            assert any("mean channel transmission" in t for t in texts) == bool(f & 1)
            assert any("within 2%" in t for t in texts) == bool(f & 2)


def test_default_config_builds_the_papers_junction():
    j = junction_from_config(load_config())
    assert j.gap_left_meV == pytest.approx(0.18, rel=1e-8)
    assert j.bias_meV == pytest.approx(j.gap_left_meV / 2, rel=1e-6)


@pytest.mark.parametrize(
    "field, value",
    [
        ("gap_left_meV", -0.1),
        ("temperature_K", float("nan")),
        ("bias_mV", float("inf")),
        ("normal_resistance_ohm", 0.0),
        ("volume_nm3", -1.0),
        ("normalisation", "none"),
    ],
)
def test_bad_junction_input_names_the_field(field, value):
    with pytest.raises(ValueError, match=field):
        make(**{field: value})


def test_two_normal_leads_are_rejected():
    with pytest.raises(ValueError, match="both zero"):
        make(gap_left_meV=0.0, gap_right_meV=0.0)


@pytest.mark.parametrize("bias_mV", [0.09, -0.09])
def test_second_order_at_the_common_amplitude_approaches_all_orders(bias_mV):
    """Issue 25: both methods at the one J that R_n fixes.  The dc spin current (thermal
    quasiparticles, T = 0.6 K) of second order against the all-orders solver: the relative
    difference is the next order, J^2 ln(1/J) (the log of the BCS gap edge, as for the S-N
    spin filter in docs/all_orders.md Sec. 5), so it drops by 10 L/(L + ln 10) per decade of
    R_n, L = ln(1/x).  Measured 1.28e-2, 1.73e-3, 2.19e-4 at R_n/R_Q = 3e3, 3e4, 3e5
    (ratios 7.4, 7.9)."""
    J = np.diag([1.0, 0.6])
    diffs = []
    for rn in (3e3, 3e4, 3e5):
        j = make(
            temperature_K=0.6,
            bias_mV=bias_mV,
            normal_resistance_ohm=RESISTANCE_QUANTUM_OHM * rn,
            amplitude=J,
            amplitude_partner=J,
        )
        second = j.observables("second_order").spin_current_dc_muB_per_s[2]
        allord = j.observables("all_orders", tol=1e-8, static=False).spin_current_dc_muB_per_s[2]
        assert abs(second) > 0
        diffs.append(abs(allord / second - 1))
    assert diffs[2] < 3e-4
    for a, b in itertools.pairwise(diffs):
        assert 6.5 < a / b < 10


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


def test_all_orders_static_moment_agrees_with_second_order_at_weak_tunnelling():
    """M_dc of the all-orders method against the second-order method, both at the common J:
    equal at weak tunnelling, at the paper's bias eV = Delta/2 (T = 0.1 K: thermal
    quasiparticles negligible)."""
    J = np.diag([1.0, 0.6])
    kw = dict(
        gap_left_meV=0.18,
        gap_right_meV=0.18,
        temperature_K=0.1,
        bias_mV=0.09,
        normal_resistance_ohm=RESISTANCE_QUANTUM_OHM * 3e4,
        amplitude=J,
        amplitude_partner=J,
    )
    j = make(**kw)
    second = j.observables("second_order").moment_dc_muB
    allord = j.observables("all_orders")
    assert abs(second[2]) > 0
    assert allord.moment_dc_muB is not None
    assert allord.moment_dc_muB[2] == pytest.approx(
        second[2], rel=5e-4
    )  # measured 4.5e-5 (4.5e-4 at 3e3, 4.5e-6 at 3e5)
    assert any("closed lead" in n for n in allord.notes)


def test_all_orders_static_moment_not_given_with_a_normal_left_lead():
    r = make(gap_left_meV=0.0, temperature_K=0.0).observables("all_orders")
    assert r.moment_dc_muB is None
    assert r.diagnostics.reasons["M_dc"] == "normal_lead_beyond_second_order"
