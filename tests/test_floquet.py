"""All-orders (Floquet-Keldysh, CMRLY) charge and spin currents: checks against independent
results -- closed forms, BTK/Beenakker, the tunnel-junction quadrature, the excess current,
symmetries, and the independent second-order module."""

import numpy as np
import pytest
from scipy.integrate import quad, solve_ivp

from spintunnel.floquet import (
    SidebandCapWarning,
    amplitude_from_transmission,
    channel_transmissions,
    floquet_currents,
    normal_conductance,
)
from spintunnel.floquet.lead_greens import PAULI, bcs_dos, inverse_local_gf, local_gf

FAST = dict(tol=1e-5)


def _unitary(seed):
    rng = np.random.default_rng(seed)
    a = rng.normal(size=(2, 2)) + 1j * rng.normal(size=(2, 2))
    q, r = np.linalg.qr(a)
    return q * (np.diag(r) / np.abs(np.diag(r)))


def _so3(U):
    return np.array([[0.5 * np.trace(PAULI[i] @ U @ PAULI[j] @ U.conj().T).real for j in range(3)] for i in range(3)])


def _tunnel_qp_current(V, T, d1=1.0, d2=1.0):
    """int dE N_L(E) N_R(E+eV) [f(E) - f(E+eV)], by scipy quad (independent of the code)."""

    def N(E, D):
        return abs(E) / np.sqrt(E * E - D * D) if abs(E) > D else 0.0

    def f(E):
        return 0.5 * (1 - np.tanh(E / (2 * T))) if T > 0 else float(E < 0)

    def g(E):
        return N(E, d1) * N(E + V, d2) * (f(E) - f(E + V))

    if T == 0:
        a, b = -V + d2, -d1  # inverse square-root singularities at both ends
        if b <= a:
            return 0.0
        h = lambda E: abs(E) / np.sqrt(d1 - E) * abs(E + V) / np.sqrt(E + V + d2)
        return quad(h, a, b, weight="alg", wvar=(-0.5, -0.5), limit=500)[0]
    lo, hi = -V - d2 - d1 - 40 * T, d1 + V + 40 * T
    pts = [p for p in (-d1, d1, -V - d2, -V + d2) if lo < p < hi]
    return quad(g, lo, hi, points=pts, limit=500)[0]


# ----------------------------------------------------------------------------- leads
def test_lead_green_function_is_inverse_and_retarded():
    w = np.array([-3.0, -1.2, -0.4, 0.0, 0.5, 1.1, 4.0])
    g = local_gf(w, 1.0, broadening=0.01)
    gi = inverse_local_gf(w, 1.0, broadening=0.01)
    assert np.allclose(g @ gi, np.eye(4), atol=1e-12)
    # Im g^R < 0 on the diagonal (retarded), DOS = -W Im g_11 = BCS-Dynes DOS
    assert np.all(g[:, 0, 0].imag < 0)
    assert np.allclose(-g[:, 0, 0].imag, bcs_dos(w, 1.0, 0.01))
    # wide band: g -> -i/W far from the gap
    assert np.allclose(local_gf(np.array([1e6]), 1.0)[0], -1j * np.eye(4), atol=1e-5)


def test_transmission_of_spin_degenerate_contact():
    for tau in (1e-4, 0.3, 0.9, 1.0):
        t = amplitude_from_transmission(tau)
        assert 4 * t**2 / (1 + t**2) ** 2 == pytest.approx(tau, rel=1e-12)
        assert normal_conductance(t * np.eye(2)) == pytest.approx(tau / np.pi, rel=1e-12)
    assert np.allclose(channel_transmissions(np.diag([1.0, 0.5])), [1.0, 0.64])


# ----------------------------------------------------------------------------- priority 1
@pytest.mark.parametrize("tau, V", [(0.7, 0.3), (0.2, 1.7)])
def test_normal_contact_is_ohmic_landauer(tau, V):
    r = floquet_currents(bias=V, gap_left=0, gap_right=0, transmission=tau)
    assert r.charge[0].real == pytest.approx(tau * V / np.pi, rel=1e-10)
    assert np.abs(r.charge[1:]).max() < 1e-12
    assert np.abs(r.spin).max() < 1e-12


def test_resistance_input_equals_transmission_input():
    a = floquet_currents(bias=0.8, transmission=0.5)
    b = floquet_currents(bias=0.8, resistance=np.pi / 0.5)  # R_n = pi R_Q / tau
    assert np.allclose(a.charge, b.charge, rtol=1e-10, atol=1e-14)


@pytest.mark.parametrize("V", [0.3, 0.8])
def test_ns_perfect_transmission_doubles_conductance(V):
    """BTK, Z = 0 (tau = 1), T = 0: I = 2 V / R_n below the gap (perfect Andreev)."""
    r = floquet_currents(bias=V, gap_left=0.0, gap_right=1.0, transmission=1.0, **FAST)
    assert r.charge[0].real == pytest.approx(2 * V / np.pi, rel=1e-6)


def test_ns_subgap_current_follows_beenakker_andreev_probability():
    """I = (2/pi) int_0^eV R_A(E) dE, R_A = tau^2 / ((2-tau)^2 - 4(1-tau) E^2/Delta^2)."""
    tau, V = 0.5, 0.6
    RA = lambda E: tau**2 / ((2 - tau) ** 2 - 4 * (1 - tau) * E**2)
    ref = 2 / np.pi * quad(RA, 0, V)[0]
    r = floquet_currents(bias=V, gap_left=0.0, gap_right=1.0, transmission=tau, **FAST)
    assert r.charge[0].real == pytest.approx(ref, rel=1e-6)
    # same for the mirror junction (S left, N right)
    r2 = floquet_currents(bias=V, gap_left=1.0, gap_right=0.0, transmission=tau, **FAST)
    assert r2.charge[0].real == pytest.approx(ref, rel=1e-6)


def test_ns_above_gap_follows_btk():
    """BTK with Z^2 = 1/tau - 1 above the gap: I = (1/pi) int_0^eV (1 + A - B) dE, T = 0."""
    tau = 0.5
    Z2 = 1 / tau - 1

    def one_plus_a_minus_b(E):
        if E < 1:
            return 2 * tau**2 / ((2 - tau) ** 2 - 4 * (1 - tau) * E * E)
        u2 = 0.5 * (1 + np.sqrt(E * E - 1) / E)
        v2 = 1 - u2
        g = u2 + Z2 * (u2 - v2)
        return 1 + u2 * v2 / g**2 - (u2 - v2) ** 2 * Z2 * (1 + Z2) / g**2

    for V in (1.5, 3.0):
        ref = quad(one_plus_a_minus_b, 0, V, points=[1.0], limit=200)[0] / np.pi
        r = floquet_currents(bias=V, gap_left=0, gap_right=1, transmission=tau, **FAST)
        assert r.charge[0].real == pytest.approx(ref, rel=1e-7)


def test_tunnel_limit_josephson_harmonic_is_riedel_werthamer():
    """Tunnel limit, T = 0, eV < 2 Delta: the 2eV charge harmonic is the pair current
    I_J(V) sin(phi0 + 2eVt) with I_J = (Delta/e R_n) K(eV/2Delta) (complete elliptic
    integral, modulus eV/2Delta; Ambegaokar-Baratoff at V -> 0, Riedel peak at 2 Delta)."""
    from scipy.special import ellipk

    for V in (0.2, 1.4):
        dev = []
        for tau in (1e-2, 1e-3):
            r = floquet_currents(bias=V, transmission=tau, tol=1e-6)
            ref = tau / np.pi * ellipk((V / 2) ** 2)
            IJ = -2 * r.charge[1].imag  # I(t) = 2 Re(I_1 e^{i w_J t}) = I_J sin
            assert abs(r.charge[1].real) < 3e-3 * ref  # no cos term below 2 Delta
            dev.append(IJ / ref - 1)
        assert abs(dev[1]) < 5e-4
        assert 7 < dev[0] / dev[1] < 13


def test_excess_current_of_transparent_ss_contact():
    """tau = 1, T = 0: I - V/R_n -> (8/3) Delta / R_n at eV >> Delta (Richardson in 1/V)."""
    exc = {}
    for V in (24.0, 48.0):
        r = floquet_currents(bias=V, transmission=1.0, tol=1e-7)
        exc[V] = (r.charge[0].real - V / np.pi) * np.pi  # in units of Delta / R_n
    extrapolated = 2 * exc[48.0] - exc[24.0]
    assert extrapolated == pytest.approx(8 / 3, rel=1e-3)
    assert 0 < 8 / 3 - exc[48.0] < 8 / 3 - exc[24.0]  # approached from below


@pytest.mark.parametrize("V, T", [(2.5, 0.0), (3.0, 0.0), (2.5, 0.2)])
def test_tunnel_limit_is_quasiparticle_current(V, T):
    """tau -> 0: I = (1/R_n) int dE N(E) N(E+eV) [f(E) - f(E+eV)] above 2 Delta."""
    tau = 1e-3
    ref = tau / np.pi * _tunnel_qp_current(V, T)
    r = floquet_currents(bias=V, transmission=tau, temperature=T, **FAST)
    assert r.charge[0].real == pytest.approx(ref, rel=1e-3)


def test_tunnel_limit_thermal_subgap_current_converges_linearly_in_tau():
    """eV < 2 Delta, T > 0: quasiparticle current of thermal excitations; the all-orders
    excess (multiple Andreev reflection) is O(tau) relative."""
    V, T = 1.0, 0.3
    ref = _tunnel_qp_current(V, T)
    dev = []
    for tau in (1e-2, 1e-3):
        r = floquet_currents(bias=V, transmission=tau, temperature=T, **FAST)
        dev.append(r.charge[0].real / (tau / np.pi * ref) - 1)
    assert abs(dev[1]) < 0.03
    assert 7 < dev[0] / dev[1] < 13


def test_riedel_jump_at_twice_the_gap():
    """Tunnel limit, T = 0: the quasiparticle current jumps to (pi/2) Delta / R_n at
    eV = 2 Delta^+ (closed form); just above it the all-orders current approaches the
    tunnel formula as tau -> 0 (the gap-edge singularities are smeared by tunnelling)."""
    assert _tunnel_qp_current(2.0 + 1e-7, 0.0) == pytest.approx(np.pi / 2, rel=1e-3)
    V = 2.03
    ref = _tunnel_qp_current(V, 0.0)
    dev = []
    for tau in (1e-3, 1e-4):
        r = floquet_currents(bias=V, transmission=tau, **FAST)
        dev.append(abs(r.charge[0].real / (tau / np.pi) / ref - 1))
    assert dev[1] < 0.01 < dev[0]
    below = floquet_currents(bias=1.98, transmission=1e-3, **FAST).charge[0].real
    assert below / (1e-3 / np.pi) < 0.01


def test_subgap_structure_at_two_delta_over_n():
    """Multiple Andreev reflection: current steps at eV = 2 Delta / n (n = 2, 3)."""
    I = {V: floquet_currents(bias=V, transmission=0.2, **FAST).charge[0].real for V in (0.62, 0.70, 0.91, 1.03, 1.09)}
    assert I[1.03] > 3 * I[0.91]  # n = 2 onset at eV = Delta
    assert I[0.70] > 2.5 * I[0.62]  # n = 3 onset at eV = 2 Delta / 3
    assert I[1.09] < 1.1 * I[1.03]  # smooth between steps


def test_harmonics_carry_the_initial_phase():
    r0 = floquet_currents(bias=0.7, transmission=0.8, phi0=0.0)
    r1 = floquet_currents(bias=0.7, transmission=0.8, phi0=0.9)
    n = r0.harmonics
    assert np.allclose(r1.charge, r0.charge * np.exp(1j * n * 0.9), atol=1e-6)


# ----------------------------------------------------------------------------- priority 2
@pytest.mark.parametrize("gaps", [(1.0, 1.0), (0.0, 1.0), (1.0, 0.6)])
def test_su2_amplitude_carries_no_spin(gaps):
    """J = t U (U in SU(2)): a spin rotation of the right lead removes U, so the spin
    current and magnetization vanish at every order and harmonic."""
    U = _unitary(7)
    r = floquet_currents(0.7 * U, bias=0.55, gap_left=gaps[0], gap_right=gaps[1], phi0=0.3)
    assert np.abs(r.spin).max() < 1e-11 * max(np.abs(r.charge).max(), 1e-3)
    M = r.magnetization_harmonics()
    assert np.abs(M[1:]).max() < 1e-10


def test_spin_filter_normal_contact_spin_current():
    """N-N, J = diag(t_up, t_dn): dM_z/dt = -(tau_up - tau_dn) eV / 2 pi, exactly."""
    J = np.diag([0.5, 0.2])
    tau = channel_transmissions(J)
    r = floquet_currents(J, bias=0.7, gap_left=0, gap_right=0)
    assert r.spin[0, 2].real == pytest.approx(-(tau[0] - tau[1]) * 0.7 / (2 * np.pi), rel=1e-10)
    assert np.abs(r.spin[:, :2]).max() == 0


@pytest.mark.parametrize("lead", ["left", "right"])
@pytest.mark.parametrize("J", [np.diag([0.5, 0.2]), np.array([[0.5, 0.3 - 0.25j], [0.1j, -0.2 + 0.3j]])])
@pytest.mark.parametrize("gaps", [(0.0, 1.0), (1.0, 0.0)])
@pytest.mark.parametrize("band", [None, 2.0])
def test_andreev_reflection_carries_no_spin(gaps, J, lead, band):
    """N-S below the gap at T = 0: only singlet pairs cross, and a spin-mixing J maps the
    singlet onto itself ((A x A)|S> = det A |S>), so no dc spin current enters either lead,
    to all orders, while the Andreev charge current flows.  With a finite band the two
    electrons of a pair (at w and -2eV - w) are dressed differently and carry opposite spin
    energy by energy (docs/all_orders.md Sec. 4): the net current still vanishes.  Above
    the gap quasiparticles carry spin (control)."""
    r = floquet_currents(J, bias=0.7, gap_left=gaps[0], gap_right=gaps[1], lead=lead, band=band, tol=1e-8)
    assert r.charge[0].real > 1e-3
    assert np.abs(r.spin[0]).max() < 1e-10
    above = floquet_currents(J, bias=1.3, gap_left=gaps[0], gap_right=gaps[1], lead=lead, band=band)
    assert np.abs(above.spin[0]).max() > 1e-3


def test_spin_filter_gives_spin_along_z_only():
    r = floquet_currents(np.diag([0.6, 0.25]), bias=0.9, phi0=0.4)
    assert np.abs(r.spin[:, :2]).max() < 1e-14
    assert np.abs(r.spin[:, 2]).max() > 1e-4


def test_golden_rule_spin_current_of_superconductor_normal_filter():
    """S-N, J = diag(t, r t), T = 0, eV > Delta: lowest order
    dM_z/dt = -(4 t^2 - 4 r^2 t^2) sqrt(eV^2 - Delta^2) / 2 pi; the all-orders correction
    shrinks like t^2 (log t from the gap-edge singularity)."""
    V = 1.5
    dev = []
    for t in (0.05, 0.025):
        r = floquet_currents(np.diag([t, 0.4 * t]), bias=V, gap_left=1.0, gap_right=0.0, tol=1e-6)
        ref = -(4 * t**2 - 4 * (0.4 * t) ** 2) / (2 * np.pi) * np.sqrt(V**2 - 1)
        dev.append(r.spin[0, 2].real / ref - 1)
    assert abs(dev[1]) < 0.015
    assert 2.5 < dev[0] / dev[1] < 4.5


def test_global_spin_rotation_covariance():
    """J -> U J U^dag rotates the spin current by the SO(3) image of U."""
    J = np.array([[0.5, 0.2j], [0.1, 0.3]])
    U = _unitary(3)
    r1 = floquet_currents(J, bias=0.8, phi0=0.2)
    r2 = floquet_currents(U @ J @ U.conj().T, bias=0.8, phi0=0.2)
    R = _so3(U)
    assert np.abs(r2.spin - r1.spin @ R.T).max() < 1e-10
    assert np.allclose(r2.charge, r1.charge, atol=1e-10)


# ----------------------------------------------------------------------------- priority 3
def test_weak_tunnelling_matches_second_order_module():
    """dc spin current of a spin-active J against spintunnel.second_order (independent
    derivation; normalised per rho_L rho_R with rho = pair-sector density 1/(2 pi W))."""
    from spintunnel import second_order as so

    J0 = np.array([[1.0, 0.3 + 0.2j], [-0.1j, 0.5]])
    for gl, gr, V, T in [(1.0, 0.0, 1.5, 0.0), (1.0, 1.0, 1.0, 0.3)]:
        ref = np.asarray(so.spin_current_dc(J0, J0, V, T, gl, gr, cross="equal"))
        dev = []
        for t in (0.04, 0.02):
            r = floquet_currents(t * J0, bias=V, gap_left=gl, gap_right=gr, temperature=T, tol=1e-6)
            second = ref * t**2 / (4 * np.pi**2)
            dev.append(np.linalg.norm(r.spin[0].real - second) / np.linalg.norm(second))
        assert dev[1] < 0.012
        assert 2.5 < dev[0] / dev[1] < 4.5  # difference ~ J^4 (relative J^2)


def test_ac_spin_current_vanishes_at_second_order():
    """The 2eV harmonic of the spin current has no J^2 term (second-order ac magnetization
    cancels): it scales at least like J^4."""
    J0 = np.array([[1.0, 0.3 + 0.2j], [-0.1j, 0.5]])
    amp = []
    for t in (0.1, 0.05):
        r = floquet_currents(t * J0, bias=0.6, tol=1e-6)
        amp.append(np.linalg.norm(r.spin[1]))
    assert amp[0] / amp[1] > 12  # J^4 would give 16, J^2 only 4


# ----------------------------------------------------------------------------- outputs
def test_magnetization_solves_relaxation_equation():
    """M from the harmonics against a direct integration of dM/dt = I_spin(t) - M/tau_s."""
    r = floquet_currents(np.diag([0.7, 0.3]), bias=0.6, gap_left=1.0, gap_right=0.0)
    tau_s = 3.0
    per = 2 * np.pi / r.omega_J
    sol = solve_ivp(
        lambda t, m: r.spin_trace(np.array([t]))[0] - m / tau_s,
        (0, 30 * tau_s),
        np.zeros(3),
        rtol=1e-10,
        atol=1e-13,
        dense_output=True,
    )
    t = 30 * tau_s - per * np.linspace(0, 1, 7)
    assert np.allclose(sol.sol(t).T, r.magnetization_trace(t, tau_s), atol=1e-7)
    assert r.magnetization_harmonics(tau_s)[0, 2].real == pytest.approx(tau_s * r.spin[0, 2].real)
    # without relaxation: the oscillating part, M_n = I_n / (i n omega_J)
    rac = floquet_currents(np.diag([0.7, 0.3]), bias=0.6)
    Mt = rac.magnetization_trace(t)
    dt = 1e-5
    dM = (rac.magnetization_trace(t + dt) - rac.magnetization_trace(t - dt)) / (2 * dt)
    osc = rac.spin_trace(t) - rac.spin[0].real
    assert np.allclose(dM, osc, atol=1e-7)
    assert Mt.shape == (7, 3)


def test_sideband_cap_warning_deep_subgap():
    with pytest.warns(SidebandCapWarning):
        r = floquet_currents(bias=0.05, transmission=0.95, nmax_cap=25, tol=1e-6)
    assert not r.converged


@pytest.mark.parametrize(
    "kwargs, name",
    [
        (dict(bias=np.nan), "bias"),
        (dict(bias=1.0, gap_left=-1.0), "gap_left"),
        (dict(bias=1.0, temperature=np.nan), "temperature"),
        (dict(bias=1.0, transmission=1.5), "transmission"),
        (dict(bias=1.0, n_harmonics=-1), "n_harmonics"),
        (dict(bias=1.0, tol=2.0), "tol"),
        (dict(bias=1.0, broadening=-0.1), "broadening"),
        (dict(bias=1.0, phi0=np.inf), "phi0"),
        (dict(bias=1.0, resistance=0.5), "resistance"),
        (dict(J=np.diag([1.0, 0.1]), bias=1.0, transmission=0.99), "transmission"),
    ],
)
def test_bad_input_names_the_parameter(kwargs, name):
    with pytest.raises(ValueError, match=name):
        floquet_currents(**kwargs)


def test_iv_sweep_collects_points():
    from spintunnel.floquet import floquet_iv

    out = floquet_iv([0.5, 2.5], gap_left=0.0, gap_right=0.0, transmission=0.4)
    assert np.allclose(out["charge"][:, 0].real, 0.4 * np.array([0.5, 2.5]) / np.pi)
    assert out["spin"].shape == (2, 5, 3)


def test_bad_amplitude_shape():
    with pytest.raises(ValueError, match="J"):
        floquet_currents(np.eye(3), bias=1.0)


# ----------------------------------------------------------------------------- numerics
@pytest.mark.parametrize(
    "V, broadening, band, E",
    [(0.4, 0.01, None, [-1.3, -0.3, 0.7, 2.1]), (1.05, 0.0, 2.5, [-2.9, -1.3, -0.3, 0.7, 2.1, 3.0])],
)  # finite band: sites far outside it
def test_fast_sideband_solver_matches_dense_inverse(V, broadening, band, E):
    """The 2x2 sub-site recursion against a dense inverse of the full 4x4-block chain
    (wide band with Dynes broadening; finite band)."""
    from spintunnel.floquet.sidebands import chain_matrices, dense_chain_matrix, source_column

    J = np.array([[0.5, 0.1j], [0.2, 0.3]])
    E = np.array(E)
    for src, gaps in (("L", (1.0, 0.8)), ("R", (0.0, 1.0))):
        nm = (3, 4)
        D, U, _ = chain_matrices(E, src, nm, V, gaps, J, 0.3, broadening, band=band)
        K = D.shape[1]
        Xe, Gam, _, _ = source_column(E, src, nm, V, gaps, J, 0.3, broadening, band=band)
        order = [2, 3, 0, 1] if src == "L" else [0, 1, 2, 3]  # source sub-site order
        for e in range(E.size):
            G = np.linalg.inv(dense_chain_matrix(D[e], U))
            s0 = 4 * nm[0]
            for k in range(K):
                ref = G[4 * k : 4 * k + 2, s0 : s0 + 4][:, order]
                assert np.allclose(Xe[k, :, :, e], ref, atol=1e-12)


def test_spin_filter_josephson_spin_current_is_fourth_order():
    """J = t diag(1, r), S-S, eV = 1.4 Delta (below 2 Delta): the 2eV harmonic of dM_z/dt
    is proportional to t_up t_dn (t_up^2 - t_dn^2) -- fourth order, absent at second."""
    coef = []
    for t, r in ((0.05, 0.5), (0.025, 0.5), (0.05, 0.25)):
        res = floquet_currents(t * np.diag([1.0, r]), bias=1.4, tol=1e-6)
        coef.append(res.spin[1, 2] / (t * r * t * (t**2 - (r * t) ** 2)))
    assert abs(coef[0]) > 0.5
    assert coef[1] == pytest.approx(coef[0], rel=0.01)  # t^4 scaling
    assert coef[2] == pytest.approx(coef[0], rel=0.01)  # spin structure r (1 - r^2)


def test_spin_harmonic_k_starts_at_order_2k_plus_2():
    """J = t diag(1, 1/2), S-S, eV = 0.6 Delta, T = 0: harmonic k of the charge current starts
    at t^(2k) (k pairs cross coherently), harmonic k of dM_z/dt only at t^(2k + 2).  k = 1 is
    the second-order cancellation (second-order theory and exact solver, independent code);
    k >= 2 its continuation: a singlet pair crosses any 2x2 link as a singlet,
    J i sigma_y J^T = det(J) i sigma_y, so the spin needs one more J J^dag process
    (docs/all_orders.md Sec. 6).  Measured slopes 4.003, 5.993, 7.958 (spin) at t = 0.1 -> 0.05."""
    res = [floquet_currents(t * np.diag([1.0, 0.5]), bias=0.6, n_harmonics=3, tol=1e-9) for t in (0.1, 0.05)]
    spin = np.log(np.abs(res[0].spin[1:, 2]) / np.abs(res[1].spin[1:, 2])) / np.log(2)
    charge = np.log(np.abs(res[0].charge[1:]) / np.abs(res[1].charge[1:])) / np.log(2)
    np.testing.assert_allclose(spin, [4, 6, 8], atol=0.1)
    np.testing.assert_allclose(charge, [2, 4, 6], atol=0.1)


@pytest.mark.parametrize(
    "kw", [dict(bias=0.8, phi0=0.3), dict(bias=0.5, gap_left=0.0), dict(bias=2.5, temperature=0.2, gap_right=0.6)]
)
def test_hole_block_gives_the_same_currents(kw):
    """Electron block, Tr[X G^<_{RL,ee}], against the hole block of the doubled Nambu basis,
    -Tr[X^T G^<_{LR,hh}] (spin enters as sigma^T there; the R source then sits at R(-1),
    so the shift term changes sign).  Using sigma instead of sigma^T fails for sigma_y."""
    J = np.array([[0.5, 0.2j], [0.1, 0.3]])
    a = floquet_currents(J, tol=1e-6, **kw)
    b = floquet_currents(J, tol=1e-6, _nambu_block="h", **kw)
    assert np.abs(a.charge - b.charge).max() < 1e-10
    assert np.abs(a.spin - b.spin).max() < 1e-10


def test_dynes_broadened_tunnel_limit():
    """Gamma = 0.05 Delta: tunnel formula with Dynes DOS N = Re[z/sqrt(z^2 - Delta^2)],
    z = E + i Gamma (scipy quad); the all-orders excess is O(tau), also below 2 Delta."""
    G = 0.05

    def ref(V):
        g = lambda E: bcs_dos(np.array([E]), 1.0, G)[0] * bcs_dos(np.array([E + V]), 1.0, G)[0]
        return quad(g, -V, 0, points=[-1.0, 1.0 - V], limit=500)[0]

    r = floquet_currents(bias=2.5, transmission=1e-3, broadening=G, tol=1e-6)
    assert r.charge[0].real / (1e-3 / np.pi) == pytest.approx(ref(2.5), rel=1.5e-3)
    dev = [
        floquet_currents(bias=1.5, transmission=tau, broadening=G, tol=1e-6).charge[0].real / (tau / np.pi) / ref(1.5)
        - 1
        for tau in (1e-2, 1e-3)
    ]
    assert abs(dev[1]) < 0.02 and 7 < dev[0] / dev[1] < 13
