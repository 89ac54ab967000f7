"""Symmetries of the finite model: SU(2) amplitudes, time reversal, singlet pair
transfer for momentum-independent amplitudes, spin filtering."""

import numpy as np
import pytest

from spintunnel.exact import FiniteJunction, default_levels, discrete_second_order, evolve, fit_harmonics
from spintunnel.exact.symmetry import (
    equilibrium_magnetization,
    time_reversal_blocks,
    time_reversal_defect,
)
from spintunnel.spin import PAULI, time_reversed

LEFT, RIGHT = default_levels(3, seed=2), default_levels(3, seed=55)


def _su2(seed):
    a = np.random.default_rng(seed).normal(size=4)
    a /= np.linalg.norm(a)
    return a[0] * np.eye(2) + 1j * np.einsum("i,ijk->jk", a[1:], PAULI)


def _complex_matrix(rng):
    return rng.normal(size=(2, 2)) + 1j * rng.normal(size=(2, 2))


@pytest.mark.parametrize("seed, T", [(0, 0.0), (1, 0.3)])
def test_su2_amplitude_leaves_left_lead_unmagnetized(seed, T):
    """J = t U, U in SU(2), in all four blocks: rotating the right lead's spins by U
    (which leaves its singlet pairing invariant) makes the tunnelling spin-independent,
    so the state stays spin-rotation invariant and M_L = 0 at all times."""
    U = _su2(seed)
    assert np.allclose(U @ U.conj().T, np.eye(2)) and np.isclose(np.linalg.det(U), 1)
    j = FiniteJunction(LEFT, RIGHT, 1.0, 0.8, temperature=T, bias=0.37, phi0=0.3, blocks=U, hopping=0.2)
    r = evolve(j, ramp_time=20, n_periods=2, samples_per_period=16, max_step=0.05, record_ramp=True)
    floor = 1e-12
    assert np.abs(r.ramp_magnetization).max() < floor
    assert np.abs(r.magnetization_sector).max() < floor
    assert np.abs(r.spin_current).max() < floor
    # the same amplitude without the SU(2) structure does magnetize (control)
    r2 = evolve(
        j.with_(blocks=U @ np.diag([1.2, 0.8])), ramp_time=20, n_periods=1, samples_per_period=16, max_step=0.05
    )
    assert np.abs(r2.magnetization).max() > 1e-4


def test_standard_partner_is_sigma_y_conjugation():
    """Jbar[-s,-s'] = s s' conj(J[s,s'])  <=>  Jbar = sigma_y J^* sigma_y."""
    J = _complex_matrix(np.random.default_rng(9))
    Jbar = time_reversed(J, "standard")
    Jpap = time_reversed(J, "paper")
    s = np.array([1, -1])
    for i in range(2):
        for k in range(2):
            assert np.isclose(Jbar[1 - i, 1 - k], s[i] * s[k] * np.conj(J[i, k]))
            assert np.isclose(Jpap[1 - i, 1 - k], np.conj(J[i, k]))
    # SU(2) amplitudes are their own standard partners (pure spin-orbit is TR-even)
    U = _su2(4)
    assert np.allclose(time_reversed(U, "standard"), U)


@pytest.mark.parametrize("T", [0.0, 0.2])
def test_only_the_standard_relation_gives_a_time_reversal_invariant_hamiltonian(T):
    """[H, Theta] = 0 with Theta c_{ks} Theta^-1 = s c_{-k,-s} iff Jbar = sigma_y J^* sigma_y.

    Consequence: at V = 0, phi0 = 0 the exact equilibrium M_L (TR-odd) and the
    second-order M_L vanish for `standard` but not for the printed (`paper`) relation.
    """
    rng = np.random.default_rng(11)
    J, Jx = _complex_matrix(rng), _complex_matrix(rng)
    out = {}
    for conv in ("standard", "paper"):
        j = FiniteJunction(
            LEFT,
            RIGHT,
            1.0,
            0.8,
            temperature=T,
            bias=0.0,
            phi0=0.0,
            blocks=time_reversal_blocks(J, Jx, conv),
            hopping=0.03,
        )
        sectors = equilibrium_magnetization(j)
        out[conv] = (
            time_reversal_defect(j),
            np.abs(sectors.sum(0)).max(),
            np.abs(discrete_second_order(j).static).max(),
            np.abs(sectors).max(),
        )
    defect, m_eq, m_2, m_sector = out["standard"]
    assert defect < 1e-14 and m_eq < 1e-13 and m_2 < 1e-15
    # Theta maps the k_n sector onto the -k_n sector with S -> -S: the sectors are
    # magnetized oppositely (spin-momentum locking), only their sum is TR-odd
    assert m_sector > 1e-5
    defect, m_eq, m_2, _ = out["paper"]
    assert defect > 0.1 and m_eq > 1e-5 and m_2 > 1e-5
    # a phase difference or a bias breaks time reversal for any amplitude
    j = FiniteJunction(LEFT, RIGHT, 1.0, 0.8, phi0=0.5, blocks=time_reversal_blocks(J, Jx), hopping=0.03)
    assert time_reversal_defect(j) > 1e-3


def test_standard_tr_link_stays_unmagnetized_during_exact_evolution_at_zero_bias():
    rng = np.random.default_rng(12)
    J, Jx = _complex_matrix(rng), _complex_matrix(rng)
    res = {}
    for conv in ("standard", "paper"):
        j = FiniteJunction(
            LEFT, RIGHT, 1.0, 0.8, temperature=0.0, bias=0.0, blocks=time_reversal_blocks(J, Jx, conv), hopping=0.03
        )
        r = evolve(j, ramp_time=30, n_periods=2, samples_per_period=8, max_step=0.05)
        res[conv] = np.abs(r.magnetization).max()
    assert res["standard"] < 1e-11
    assert res["paper"] > 1e-4


def test_momentum_independent_amplitude_transfers_singlet_pairs():
    """All four blocks equal to any J: J eps J^T = det(J) eps (eps = i sigma_y), so the
    transferred pair is a singlet: no 2eV harmonic at second order in either sector;
    the exact harmonic appears only at fourth order."""
    J = _complex_matrix(np.random.default_rng(13))
    J /= np.linalg.norm(J, 2)
    eps = np.array([[0, 1], [-1, 0]])
    assert np.allclose(J @ eps @ J.T, np.linalg.det(J) * eps)
    amps = []
    for t0 in (0.02, 0.04):
        j = FiniteJunction(LEFT, RIGHT, 1.0, 0.8, bias=0.37, phi0=0.3, blocks=J, hopping=t0)
        so = discrete_second_order(j)
        assert np.abs(so.harmonic_sector).max() < 1e-15
        assert np.abs(so.static).max() > 1e-5
        r = evolve(j, ramp_time=40, n_periods=6, samples_per_period=32)
        fit = fit_harmonics(r.times, r.magnetization_sector.reshape(len(r.times), -1), 2 * j.bias, 2)
        amps.append(np.abs(fit.harmonic(1)).max())
    assert abs(np.log2(amps[1] / amps[0]) - 4) < 0.2


@pytest.mark.parametrize("gaps", [(1.0, 0.8), (1.0, 0.0), (0.0, 1.0)])
def test_spin_filtering_gives_static_magnetization_also_with_a_normal_lead(gaps):
    """J = diag(1+z, 1-z): M_L,dc along z at second order, confirmed by the exact solver,
    for two superconductors and with either lead normal."""
    z = 0.3
    j = FiniteJunction(LEFT, RIGHT, *gaps, bias=0.37, phi0=0.3, blocks=np.diag([1 + z, 1 - z]), hopping=0.02)
    so = discrete_second_order(j)
    assert abs(so.static[2]) > 1e-5
    assert np.abs(so.static[:2]).max() < 1e-15
    r = evolve(j, ramp_time=40, n_periods=4, samples_per_period=32)
    exact = r.harmonics().static
    assert np.abs(exact - so.static).max() < 0.02 * abs(so.static[2])
    # no spin filtering (z = 0), no magnetization
    assert np.abs(discrete_second_order(j.with_(blocks=np.eye(2))).static).max() < 1e-15


@pytest.mark.parametrize("detuning, real", [(0.0, True), (-0.25, False)])
def test_thermal_quasiparticles_carry_real_spin_transfer(detuning, real):
    """One level per lead with E_k - E_p = eV + detuning, spin filter diag(1.5, 0.5).

    On resonance the thermally excited quasiparticles make a real (on-shell) transfer:
    at T = 0.4 the magnetization swing is O(f_p - f_k), independent of t0, and the
    spin current grows ~ t0 (the transfer rate); at T = 0 (no quasiparticles) the same
    resonance gives only the virtual t0^2 response, and the discrete second order is
    finite at T = 0 but singular (ValueError) at T > 0. Off resonance both are ~ t0^2.
    """
    gl, gr, V, xk = 1.0, 0.8, 0.37, 0.9
    Ep = np.hypot(xk, gl) - V - detuning
    xp = np.sqrt(Ep**2 - gr**2)
    swing = {}
    for T in (0.0, 0.4):
        out = []
        for t0 in (0.02, 0.04):
            j = FiniteJunction([xk], [xp], gl, gr, temperature=T, bias=V, blocks=np.diag([1.5, 0.5]), hopping=t0)
            r = evolve(j, ramp_time=5, n_periods=40, samples_per_period=16, max_step=0.1)
            out.append((np.abs(r.magnetization[:, 2]).max(), np.abs(r.spin_current[:, 2]).max()))
        swing[T] = out
        exponent = np.log2(out[1][0] / out[0][0])
        if real and T > 0:
            assert exponent < 0.3 and out[0][0] > 1e-2
            assert 0.6 < np.log2(out[1][1] / out[0][1]) < 1.2
            with pytest.raises(ValueError, match="resonant"):
                discrete_second_order(j)
        else:
            assert 1.7 < exponent < 2.5 and out[1][0] < 2e-3
            if real:
                discrete_second_order(j)  # T = 0: equal occupations, no real transition
    if real:
        assert swing[0.4][0][0] > 100 * swing[0.0][0][0]


def test_paper_bent_link_amplitude_is_su2_so_it_cannot_magnetize():
    """The pure-Rashba bent link (S26) is J0 times an SU(2) matrix. It is its own
    `standard` time-reversal partner (not its own `paper` partner), so a
    momentum-independent link has J_ab = J for all blocks, and then M_L = 0 exactly:
    the nonzero spin factor of Eq. (15)/(S28) needs the printed relation."""
    a, theta = 0.7, 0.4  # k_so d, segment angle
    c, s = np.cos(a / 2), np.sin(a / 2)
    J = (c**2 - s**2 * np.cos(2 * theta)) * np.eye(2) + 1j * (
        np.sin(a) * np.cos(theta) * PAULI[1] + s**2 * np.sin(2 * theta) * PAULI[2]
    )
    assert np.allclose(J @ J.conj().T, np.eye(2)) and np.isclose(np.linalg.det(J), 1)
    assert np.allclose(time_reversed(J, "standard"), J)
    assert not np.allclose(time_reversed(J, "paper"), J)
    j = FiniteJunction(LEFT, RIGHT, 1.0, 1.0, bias=0.37, phi0=0.3, blocks=J, hopping=0.05)
    so = discrete_second_order(j)
    assert np.abs(so.static).max() < 1e-15 and np.abs(so.harmonic_sector).max() < 1e-15
    r = evolve(j, ramp_time=20, n_periods=2, samples_per_period=16)
    assert np.abs(r.magnetization_sector).max() < 1e-12
