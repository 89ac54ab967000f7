"""All-orders solver at negative bias and the right lead's spin current, against
independent results: Landauer with the singular-value decomposition of J, the
second-order (golden-rule) module, the tunnel-junction quadrature, Riedel-Werthamer."""

import numpy as np
import pytest
from scipy.integrate import quad
from scipy.special import ellipk

from spintunnel.floquet import floquet_currents
from spintunnel.spin import PAULI

FAST = dict(tol=1e-5)
J_ACTIVE = np.array([[1.0, 0.3 + 0.2j], [-0.1j, 0.5]])


def _spin_along(U, tau):
    """Tr[sigma U diag(tau) U^dag]: the spin carried by the channels of one side."""
    rho = U @ np.diag(tau) @ U.conj().T
    return np.array([np.trace(p @ rho).real for p in PAULI])


@pytest.mark.parametrize("V", [0.4, -0.4])
def test_normal_contact_spin_currents_of_both_leads(V):
    """N-N, generic complex J = U diag(s) V^dag: channel i has transmission
    tau_i = 4 s_i^2/(1 + s_i^2)^2, its spin state is U e_i in L and V e_i in R, so
    dM_L/dt = -(eV/2pi) Tr[sigma U tau U^dag], dM_R/dt = +(eV/2pi) Tr[sigma V tau V^dag]
    (Landauer), at either sign of the bias."""
    rng = np.random.default_rng(3)
    J = 0.6 * (rng.normal(size=(2, 2)) + 1j * rng.normal(size=(2, 2)))
    U, s, Vh = np.linalg.svd(J)
    tau = 4 * s**2 / (1 + s**2) ** 2
    left = floquet_currents(J, bias=V, gap_left=0, gap_right=0, n_harmonics=1)
    right = floquet_currents(J, bias=V, gap_left=0, gap_right=0, n_harmonics=1, lead="right")
    assert left.charge[0].real == pytest.approx(V * tau.sum() / (2 * np.pi), rel=1e-10)
    assert right.charge[0] == pytest.approx(left.charge[0], rel=1e-12)
    ref_L = -V / (2 * np.pi) * _spin_along(U, tau)
    ref_R = V / (2 * np.pi) * _spin_along(Vh.conj().T, tau)
    assert np.abs(left.spin[0] - ref_L).max() < 1e-12
    assert np.abs(right.spin[0] - ref_R).max() < 1e-12
    assert np.abs(ref_L + ref_R).max() > 1e-3  # spin is not conserved by this J


@pytest.mark.parametrize("gl, gr, V, T", [(1.0, 0.0, -1.5, 0.0), (1.0, 1.0, -1.0, 0.3), (1.0, 0.7, -2.3, 0.0)])
def test_negative_bias_weak_tunnelling_matches_second_order(gl, gr, V, T):
    """dc spin current at eV < 0 against spintunnel.second_order (golden rule, its own
    derivation at signed bias); difference ~ J^4 relative to J^2."""
    from spintunnel import second_order as so

    ref = np.asarray(so.spin_current_dc(J_ACTIVE, J_ACTIVE, V, T, gl, gr, cross="equal"))
    dev = []
    for t in (0.04, 0.02):
        r = floquet_currents(t * J_ACTIVE, bias=V, gap_left=gl, gap_right=gr, temperature=T, tol=1e-6)
        second = ref * t**2 / (4 * np.pi**2)
        dev.append(np.linalg.norm(r.spin[0].real - second) / np.linalg.norm(second))
    assert dev[1] < 0.012
    assert 2.5 < dev[0] / dev[1] < 4.5


@pytest.mark.parametrize("V", [-0.2, -1.4])
def test_negative_bias_pair_current_is_riedel_werthamer(V):
    """Tunnel limit, T = 0, |eV| < 2 Delta: I(t) = I_J sin(phi0 + 2eVt) with the signed eV
    and I_J = (Delta/e R_n) K(|eV|/2 Delta), even in V; no cos term."""
    tau = 1e-3
    r = floquet_currents(bias=V, transmission=tau, tol=1e-6)
    ref = tau / np.pi * ellipk((V / 2) ** 2)
    assert -2 * r.charge[1].imag == pytest.approx(ref, rel=5e-4)
    assert abs(r.charge[1].real) < 5e-4 * ref


def test_negative_bias_quasiparticle_current_unequal_gaps():
    """tau -> 0, Delta_L = 1, Delta_R = 0.6, T = 0.2, eV = -2: I = (1/R_n) int dE
    N_L(E) N_R(E + eV) [f(E) - f(E + eV)] (scipy quad, written at the signed bias)."""
    V, T, d1, d2, tau = -2.0, 0.2, 1.0, 0.6, 1e-3

    def N(E, D):
        return abs(E) / np.sqrt(E * E - D * D) if abs(E) > D else 0.0

    def f(E):
        return 0.5 * (1 - np.tanh(E / (2 * T)))

    pts = sorted({-d1, d1, -V - d2, -V + d2})
    ref = quad(lambda E: N(E, d1) * N(E + V, d2) * (f(E) - f(E + V)), -6, 6, points=pts, limit=500)[0] * tau / np.pi
    r = floquet_currents(bias=V, gap_left=d1, gap_right=d2, temperature=T, transmission=tau, **FAST)
    assert ref < 0
    assert r.charge[0].real == pytest.approx(ref, rel=1e-3)


def test_negative_bias_harmonics_carry_the_initial_phase():
    """Harmonic n carries e^{i n phi0} at eV < 0 too (paper's e^{i(phi0 + 2eVt)})."""
    kw = dict(bias=-0.9, gap_left=1.0, gap_right=0.8, transmission=0.4, n_harmonics=2, **FAST)
    a = floquet_currents(J_ACTIVE, phi0=0.0, **kw)
    b = floquet_currents(J_ACTIVE, phi0=0.7, **kw)
    for n in (1, 2):
        assert b.charge[n] == pytest.approx(a.charge[n] * np.exp(0.7j * n), abs=1e-6)
        assert np.abs(b.spin[n] - a.spin[n] * np.exp(0.7j * n)).max() < 1e-6
    assert b.charge[0] == pytest.approx(a.charge[0], abs=1e-7)


def test_negative_bias_su2_amplitude_carries_no_spin():
    U = np.array([[np.cos(0.4), -np.exp(-0.3j) * np.sin(0.4)], [np.exp(0.3j) * np.sin(0.4), np.cos(0.4)]])
    for lead in ("left", "right"):
        r = floquet_currents(0.7 * U, bias=-0.8, gap_left=1, gap_right=0.6, n_harmonics=3, lead=lead, **FAST)
        assert np.abs(r.spin).max() < 1e-12
        assert abs(r.charge[0]) > 1e-2


@pytest.mark.parametrize("kwargs, name", [(dict(bias=0.0), "bias"), (dict(bias=1.0, lead="middle"), "lead")])
def test_bad_bias_or_lead(kwargs, name):
    with pytest.raises(ValueError, match=name):
        floquet_currents(**kwargs)
