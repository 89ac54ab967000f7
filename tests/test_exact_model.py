"""The finite model: lead correlators (S3-S6, S17), validation, currents, Josephson
relation, time-step and ramp convergence, harmonic fits."""

import numpy as np
import pytest

from spintunnel.exact import FiniteJunction, default_levels, discrete_second_order, evolve, fit_harmonics
from spintunnel.exact.evolve import _nambu_from_majorana, _Propagator, _real_generator, ramp_envelope
from spintunnel.exact.symmetry import equilibrium_particle_current, grand_potential


def _index(a, s):
    """Mode index of level 0, momentum sign a (0: k, 1: -k), spin s (+1/-1)."""
    return 2 * a + (0 if s > 0 else 1)


@pytest.mark.parametrize("T", [0.0, 0.4])
@pytest.mark.parametrize("xi", [-0.7, 1.3])
def test_thermal_state_reproduces_bogoliubov_correlators(T, xi):
    """<c^dag c> = u^2 f + v^2 (1-f), <c_{-p,-s} c_{p,s}> = s u v (1 - 2f) (S3, S4, S6)."""
    gap = 0.9
    j = FiniteJunction([xi], [0.5], gap, 1.0, temperature=T, hopping=0.0)
    C = j.thermal_correlation()
    D = j.n_modes
    E = np.hypot(xi, gap)
    f = 0.0 if T == 0 else 1 / (np.exp(E / T) + 1)
    u2, v2, uv = 0.5 * (1 + xi / E), 0.5 * (1 - xi / E), gap / (2 * E)
    for a in (0, 1):
        for s in (1, -1):
            i, ip = _index(a, s), _index(1 - a, -s)
            assert np.isclose(1 - C[i, i].real, u2 * f + v2 * (1 - f))  # <c^dag c>
            assert np.isclose(C[ip, D + i], s * uv * (1 - 2 * f))  # <c_{-p-s} c_{ps}>


def test_two_time_anomalous_correlator_matches_S17():
    """<c_{p s}(t1) c_{-p,-s}(t2)> = s u v (e^{iE(t1-t2)} f - e^{iE(t2-t1)} (1-f)) (S17)."""
    xi, gap, T, t1, t2 = 0.6, 1.0, 0.5, 1.7, -0.4
    j = FiniteJunction([xi], [0.5], gap, 1.0, temperature=T, hopping=0.0)
    H0, C0, D = j.lead_hamiltonian_bdg(), j.thermal_correlation(), j.n_modes
    w, V = np.linalg.eigh(H0)
    W = lambda t: (V * np.exp(-1j * w * t)) @ V.conj().T  # noqa: E731
    G = W(t1) @ C0 @ W(t2).conj().T  # <Psi_i(t1) Psi_j(t2)^dag>
    E = np.hypot(xi, gap)
    f, uv = 1 / (np.exp(E / T) + 1), gap / (2 * E)
    for s in (1, -1):
        i, ip = _index(0, s), _index(1, -s)
        expected = s * uv * (np.exp(1j * E * (t1 - t2)) * f - np.exp(1j * E * (t2 - t1)) * (1 - f))
        assert np.isclose(G[i, D + ip], expected)


@pytest.mark.parametrize(
    "kwargs, name",
    [
        (dict(levels_left=[0.1, 0.1]), "levels_left"),
        (dict(levels_right=[np.nan]), "levels_right"),
        (dict(gap_left=-1.0), "gap_left"),
        (dict(temperature=-0.1), "temperature"),
        (dict(bias=np.inf), "bias"),
        (dict(hopping=np.ones((3, 3))), "hopping"),
        (dict(blocks=np.eye(3)), "blocks"),
        (dict(blocks={"pp": np.eye(2)}), "blocks"),
    ],
)
def test_invalid_parameters_raise_named_errors(kwargs, name):
    args = dict(levels_left=[-0.5, 0.8], levels_right=[-0.3, 0.9])
    args.update(kwargs)
    with pytest.raises(ValueError, match=name):
        FiniteJunction(**args)


def test_second_order_refuses_resonant_bias():
    # E_L - E_R = eV exactly: a real quasiparticle transition at T > 0
    j = FiniteJunction([0.0], [0.0], 1.5, 1.0, temperature=0.3, bias=0.5, hopping=0.01)
    with pytest.raises(ValueError, match="bias"):
        discrete_second_order(j)


def test_josephson_current_is_phase_derivative_of_grand_potential():
    """Equilibrium: i<[H_tun, N_L]> = -2 dOmega/dphi0 (H_tun ~ e^{i phi0/2} H_LR + h.c.)."""
    j = FiniteJunction(
        default_levels(3, seed=1), default_levels(3, seed=7), 1.0, 0.8, temperature=0.1, phi0=0.7, hopping=0.1
    )
    d = 1e-4
    dOmega = (grand_potential(j.with_(phi0=0.7 + d)) - grand_potential(j.with_(phi0=0.7 - d))) / (2 * d)
    assert np.isclose(equilibrium_particle_current(j), -2 * dOmega, rtol=1e-6)


def _random_junction(seed=3, T=0.2, t0=0.05):
    rng = np.random.default_rng(seed)
    blocks = {k: rng.normal(size=(2, 2)) + 1j * rng.normal(size=(2, 2)) for k in ("pp", "pm", "mp", "mm")}
    return FiniteJunction(
        default_levels(3, seed=2),
        default_levels(3, seed=55),
        1.0,
        0.8,
        temperature=T,
        bias=0.37,
        phi0=0.3,
        blocks=blocks,
        hopping=t0,
    )


def test_spin_and_charge_currents_are_time_derivatives():
    """Heisenberg-equation currents equal d<S_L>/dt (5-point finite difference)."""
    j = _random_junction()
    r = evolve(j, ramp_time=20, n_periods=1, samples_per_period=512, max_step=0.01)
    h = r.times[1] - r.times[0]
    M = r.magnetization
    fd = (M[:-4] - 8 * M[1:-3] + 8 * M[3:-1] - M[4:]) / (12 * h)
    scale = np.abs(r.spin_current).max()
    assert scale > 1e-5
    assert np.abs(fd - r.spin_current[2:-2]).max() < 1e-5 * scale


def test_time_step_and_ramp_errors_are_controlled():
    """Magnus-4 converges as h^4; the smooth ramp error falls quickly with its length.

    Both are far below the fourth-order physics (|exact - 2nd| ~ 1.5e-5 here)."""
    j = _random_junction(T=0.0, t0=0.02)

    def static(step, ramp):
        r = evolve(j, ramp_time=ramp, n_periods=4, samples_per_period=32, max_step=step)
        return r.harmonics().static

    ref = static(0.025, 40)
    e1 = np.abs(static(0.2, 40) - ref).max()
    e2 = np.abs(static(0.1, 40) - ref).max()
    assert e2 < 2e-8
    assert e1 / e2 > 8  # fourth order: 16 with an exact reference
    r1 = np.abs(static(0.05, 10) - static(0.05, 80)).max()
    r2 = np.abs(static(0.05, 20) - static(0.05, 80)).max()
    assert r2 < 1e-7 and r2 < r1 / 20
    physics = np.abs(ref - discrete_second_order(j).static).max()
    assert physics > 100 * max(e2, r2)


@pytest.mark.parametrize("gap_left, T", [(1.0, 0.0), (0.0, 0.3)])
def test_real_majorana_step_is_the_nambu_magnus_step(gap_left, T):
    """The step taken in real arithmetic (Majorana basis, precomputed commutators) equals
    exp(-i K) of the Nambu-basis Magnus-4 exponent, built from H_BdG(t) directly and
    exponentiated by scipy's Pade expm; it is unitary and particle-hole symmetric."""
    from scipy.linalg import expm

    j = _random_junction(T=T, t0=0.3).with_(gap_left=gap_left)
    prop = _Propagator(j)
    env = lambda t: 0.2 + 0.3 * t  # noqa: E731 - a ramp, so g differs at the two Gauss points
    t, h = 0.7, 0.25
    t1, t2 = t + h * (0.5 - np.sqrt(3) / 6), t + h * (0.5 + np.sqrt(3) / 6)
    H1, H2 = j.bdg_hamiltonian(t1, env(t1)), j.bdg_hamiltonian(t2, env(t2))
    K = 0.5 * h * (H1 + H2) - 1j * (np.sqrt(3) / 12) * h**2 * (H2 @ H1 - H1 @ H2)
    W = _nambu_from_majorana(prop.step(t, h, env))
    assert np.abs(W - expm(-1j * K)).max() < 1e-13
    assert np.abs(W @ W.conj().T - np.eye(len(W))).max() < 1e-13
    D = j.n_modes
    tau_x = np.block([[np.zeros((D, D)), np.eye(D)], [np.eye(D), np.zeros((D, D))]])
    assert np.abs(tau_x @ W.conj() @ tau_x - W).max() < 1e-13


def test_real_generator_refuses_a_matrix_without_particle_hole_symmetry():
    j = _random_junction(T=0.0, t0=0.1)
    with pytest.raises(ValueError, match="particle-hole"):
        _real_generator(j.tunnelling_bdg())  # X alone is not Hermitian-BdG


def test_ramp_envelope_is_smooth_step():
    x = np.linspace(0, 1, 101)
    for shape in ("smooth", "sin2"):
        g = ramp_envelope(x, shape)
        assert g[0] == 0 and g[-1] == 1 and np.all(np.diff(g) >= 0)
        assert np.allclose(g + g[::-1], 1)


def test_fit_harmonics_recovers_known_coefficients():
    t = np.linspace(0, 30, 600, endpoint=False)
    w = 0.8
    c0, c1, c2 = 0.3, 0.1 - 0.2j, 0.05j
    y = c0 + 2 * (c1 * np.exp(1j * w * t)).real + 2 * (c2 * np.exp(2j * w * t)).real
    fit = fit_harmonics(t, np.stack([y, -y], axis=1), w, 2)
    assert np.allclose(fit.static, [c0, -c0])
    assert np.allclose(fit.harmonic(1), [c1, -c1])
    assert np.allclose(fit.harmonic(2), [c2, -c2])
    assert np.all(fit.errors < 1e-12)
    with pytest.raises(ValueError, match="frequency"):
        fit_harmonics(t, y, -1.0)
    # a taper changes nothing for an exact harmonic signal; it suppresses an off-harmonic
    # component (a slow exponential transient) in the fitted static part
    taper = np.sin(np.pi * t / 30) ** 2
    assert np.allclose(fit_harmonics(t, y, w, 2, weights=taper).harmonic(1), c1)
    noisy = y + 0.05 * np.exp(-t / 3)
    plain = abs(fit_harmonics(t, noisy, w, 2).static - c0)
    tapered = abs(fit_harmonics(t, noisy, w, 2, weights=taper).static - c0)
    assert tapered < 0.5 * plain
    with pytest.raises(ValueError, match="weights"):
        fit_harmonics(t, y, w, 2, weights=-taper)
