"""Singular (rank-deficient) links and J = 0 in the all-orders solver, against an independent
closed form: with one singular value zero the sideband chain falls apart into two-site pieces
(docs/all_orders.md Sec. 4, "Singular links"), and the current is the two-site Landauer
integral of the surviving channel, evaluated here by scipy quad."""

import numpy as np
import pytest
from scipy.integrate import quad

from spintunnel.floquet import floquet_currents, local_gf, static_magnetization
from spintunnel.spin import PAULI


def _g_ee(w, gap, band):
    """Electron element of the local Green's function (W = 1): -i N(w) in the wide band
    (BCS DOS N, zero in the gap, real part -w/sqrt(gap^2 - w^2) there); with a band the
    lead's own xi-integral form (leads.local_gf, tested against xi quadrature)."""
    if band is not None:
        return local_gf(np.array([w]), gap, band=band)[0, 0, 0]
    if abs(w) < gap:
        return -w / np.sqrt(gap * gap - w * w) + 0j
    return -1j * abs(w) / np.sqrt(w * w - gap * gap)


def _landauer(t, V, gaps, T, band):
    """int dE/2pi T(E) [f(E) - f(E + eV)], T = 4 t^2 Im g_L(E) Im g_R(E + eV) / |1 - t^2 g_L
    g_R|^2; wide band: T = 4 t^2 u/(1 + t^2 u)^2, u = N_L(E) N_R(E + eV)."""

    def trans(E):
        a, b = _g_ee(E, gaps[0], band), _g_ee(E + V, gaps[1], band)
        return 4 * t * t * a.imag * b.imag / abs(1 - t * t * a * b) ** 2

    def f(E):
        return 0.5 * (1 - np.tanh(E / (2 * T))) if T > 0 else float(E < 0)

    lo, hi = (-V, 0.0) if T == 0 else (-V - 30 * T, 30 * T)
    edges = {-gaps[0], gaps[0], -V - gaps[1], -V + gaps[1]}
    if band is not None:
        eb = [np.hypot(band, g) for g in gaps]
        edges |= {-eb[0], eb[0], -V - eb[1], -V + eb[1]}
    pts = sorted(p for p in edges if lo < p < hi)
    grid = [lo, *pts, hi]
    total = 0.0
    for a, b in zip(grid[:-1], grid[1:], strict=True):  # inverse square roots at the gap edges
        total += quad(lambda E: trans(E) * (f(E) - f(E + V)), a, b, limit=200, epsabs=1e-13, epsrel=1e-11)[0]
    return total / (2 * np.pi)


def _rotation(seed):
    rng = np.random.default_rng(seed)
    q, r = np.linalg.qr(rng.normal(size=(2, 2)) + 1j * rng.normal(size=(2, 2)))
    return q * (np.diag(r) / np.abs(np.diag(r)))


def _axis(U):
    """Bloch vector of the spin state U e_1."""
    v = U[:, 0]
    return np.array([(v.conj() @ P @ v).real for P in PAULI])


@pytest.mark.parametrize(
    "gaps, V, T, band",
    [
        ((1.0, 1.0), 2.5, 0.0, None),
        ((1.0, 1.0), 2.5, 0.0, 3.0),
        ((1.0, 0.7), 2.1, 0.2, None),
        ((1.0, 0.0), 1.4, 0.0, None),
        ((0.0, 1.0), 1.4, 0.1, 3.0),
        ((1.0, 1.0), 1.2, 0.3, None),
    ],
)
def test_perfect_spin_filter_is_the_two_site_landauer_integral(gaps, V, T, band):
    """J = U diag(t, 0) V^dag: no Andreev loop closes (the down-hole link is cut), so the dc
    current is the two-site Landauer integral of the up channel and there are no harmonics;
    the channel's spin U e_1 leaves L and V e_1 arrives in R with every electron."""
    t = 0.6
    U, W = _rotation(1), _rotation(2)
    J = U @ np.diag([t, 0.0]) @ W.conj().T
    ref = _landauer(t, V, gaps, T, band)
    kw = dict(bias=V, gap_left=gaps[0], gap_right=gaps[1], temperature=T, band=band, tol=1e-8, n_harmonics=2)
    left = floquet_currents(J, **kw)
    right = floquet_currents(J, lead="right", **kw)
    assert ref > 1e-3
    assert left.charge[0].real == pytest.approx(ref, rel=1e-7)
    assert np.abs(left.charge[1:]).max() < 1e-10 and np.abs(left.spin[1:]).max() < 1e-10
    np.testing.assert_allclose(left.spin[0].real, -ref * _axis(U), atol=1e-7 * ref)
    np.testing.assert_allclose(right.spin[0].real, ref * _axis(W), atol=1e-7 * ref)


def test_zero_link_carries_nothing():
    """J = 0: zero currents and moment, not an error; rescaling J = 0 to a transmission is."""
    r = floquet_currents(np.zeros((2, 2)), bias=0.7, n_harmonics=3)
    assert np.all(r.charge == 0) and np.all(r.spin == 0) and r.converged
    m = static_magnetization(np.zeros((2, 2)), bias=0.7)
    assert np.all(m.moment == 0) and m.finite
    with pytest.raises(ValueError, match="J = 0"):
        floquet_currents(np.zeros((2, 2)), bias=0.7, transmission=0.5)
