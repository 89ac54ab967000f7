"""Finite-band leads in the Floquet solver (``band=D``): checks against independent results
(direct xi quadrature of the lead Green's function, Landauer sums with energy-dependent
transmissions, the wide-band limit, the tunnel formula) and against the exact finite-lead
time evolution (issue 6)."""

import numpy as np
import pytest
from scipy.integrate import quad

from spintunnel.floquet import floquet_currents
from spintunnel.floquet.lead_greens import bcs_dos, inverse_local_gf, local_gf

RHO = 1 / np.pi  # W = 1/(pi rho) = 1


def _xi_integral(z, D, gap, numerator):
    """rho int_{-D}^{D} dxi numerator(xi)/(z^2 - xi^2 - gap^2), scipy quad (Im z > 0)."""
    x0 = np.sqrt(max(z.real**2 - gap**2, 0.0))
    pts = [p for p in (-x0, x0) if -D < p < D] or None

    def part(f):
        return quad(f, -D, D, points=pts, limit=2000, epsabs=1e-13, epsrel=1e-12)[0]

    h = lambda xi: numerator(xi) / (z * z - xi * xi - gap * gap)  # noqa: E731
    return RHO * (part(lambda x: h(x).real) + 1j * part(lambda x: h(x).imag))


def _retarded_xi_integral(w, D, gap, numerator):
    """The same at z = w + i0 in the continuum: Cauchy principal value plus the delta term
    (-i pi sign(w) delta(w^2 - gap^2 - xi^2)), an independent form of the retarded side."""
    x0 = np.sqrt(w * w - gap * gap)
    # 1/(x0^2 - xi^2) = (1/2x0) [1/(x0 - xi) + 1/(x0 + xi)]
    a = -quad(numerator, -D, D, weight="cauchy", wvar=x0)[0]
    b = quad(numerator, -D, D, weight="cauchy", wvar=-x0)[0]
    re = (a + b) / (2 * x0)
    im = -np.pi * np.sign(w) * (numerator(x0) + numerator(-x0)) / (2 * x0) if x0 < D else 0.0
    return RHO * (re + 1j * im)


def _g_normal(w, D):
    """Closed form of a normal finite-band lead, rho [ln|(w+D)/(w-D)| - i pi theta(D-|w|)]."""
    return RHO * (np.log(abs((w + D) / (w - D))) - 1j * np.pi * (abs(w) < D))


# ----------------------------------------------------------------------------- lead
@pytest.mark.parametrize("w", [-5.0, -3.1, -2.0, -0.5, 0.0, 0.3, 1.5, 3.1, 3.3, 5.0])
def test_band_green_function_is_the_xi_integral(w):
    D, gap = 3.0, 1.0  # band edge sqrt(10) = 3.162: 3.1 inside, 3.3 and 5 outside
    ee = lambda xi: w + xi  # noqa: E731  (z + xi tau_z)_11 at eta->0
    eh = lambda xi: gap + 0.0 * xi  # noqa: E731  Dt_{0,3} = gap
    for eta in (0.02, 1e-3):
        z = w + 1j * eta
        g = local_gf(np.array([w]), gap, broadening=eta, band=D)[0]
        assert g[0, 0] == pytest.approx(_xi_integral(z, D, gap, lambda x: z + x), abs=1e-9)
        assert g[0, 3] == pytest.approx(_xi_integral(z, D, gap, eh), abs=1e-9)
    g = local_gf(np.array([w]), gap, band=D)[0]
    gi = inverse_local_gf(np.array([w]), gap, band=D)[0]
    assert np.allclose(g @ gi, np.eye(4), atol=1e-12)
    if abs(w) > gap:  # continuum (in or outside the band): retarded side, eta = +0
        assert g[0, 0] == pytest.approx(_retarded_xi_integral(w, D, gap, ee), abs=1e-9)
        assert g[0, 3] == pytest.approx(_retarded_xi_integral(w, D, gap, eh), abs=1e-9)
    else:  # in the gap: real, (z + Dt)/(w^2 - gap^2 - xi^2) has no pole
        assert g[0, 0] == pytest.approx(_xi_integral(w + 0j, D, gap, ee), abs=1e-10)
    # DOS: the BCS DOS cut at the band edge, -Im g_11 = |w|/sqrt(w^2 - 1) theta(E_b - |w|)
    n_ref = abs(w) / np.sqrt(w * w - 1) if 1 < abs(w) < np.hypot(D, 1) else 0.0
    assert bcs_dos(w, gap, band=D) == pytest.approx(n_ref, abs=1e-12)
    assert -g[0, 0].imag == pytest.approx(n_ref, abs=1e-12)
    # outside the band without broadening: Gamma = g^{-1} - g^{-1 dag} = 0 (no source)
    if abs(w) > np.hypot(D, gap):
        assert np.abs(gi - gi.conj().T).max() < 1e-13


@pytest.mark.parametrize("w", [-4.0, -2.999, -1.0, 0.0, 0.5, 2.999, 3.001, 7.0])
def test_band_normal_lead_closed_form(w):
    D = 3.0
    g = local_gf(np.array([w]), 0.0, band=D)[0]
    assert np.allclose(g, _g_normal(w, D) * np.eye(4), atol=1e-13)
    assert np.allclose(inverse_local_gf(np.array([w]), 0.0, band=D)[0] @ g, np.eye(4), atol=1e-12)


def test_band_infinite_limit_of_lead():
    w = np.array([-2.0, -0.5, 0.4, 1.5])
    assert np.allclose(local_gf(w, 1.0, 0.01, band=1e7), local_gf(w, 1.0, 0.01), atol=1e-6)


# ----------------------------------------------------------------------------- N-N
def _landauer(t, V, D, T=0.0):
    """int dw/2pi tau(w) [f(w) - f(w+V)], tau = 4 t^2 Im g_L Im g_R(w+V)/|1 - t^2 g g|^2
    (L energy w from mu_L, R energy w + V from mu_R)."""

    def tau(w):
        a, b = _g_normal(w, D), _g_normal(w + V, D)
        return 4 * t * t * a.imag * b.imag / abs(1 - t * t * a * b) ** 2

    if T == 0:
        pts = [p for p in (-D, D - V) if -V < p < 0] or None
        return quad(tau, -V, 0, points=pts, limit=400, epsabs=1e-14, epsrel=1e-12)[0] / (2 * np.pi)
    f = lambda e: 0.5 * (1 - np.tanh(e / (2 * T)))  # noqa: E731
    lo, hi = max(-D, -D - V), min(D, D - V)  # both leads inside their band
    pts = [p for p in (-V, 0.0) if lo < p < hi] or None
    return quad(lambda w: tau(w) * (f(w) - f(w + V)), lo, hi, points=pts, limit=400, epsabs=1e-14, epsrel=1e-12)[0] / (
        2 * np.pi
    )


@pytest.mark.parametrize(
    "D, V, T", [(3.0, 0.5, 0.0), (3.0, 2.5, 0.0), (3.0, 4.0, 0.0), (10.0, 1.0, 0.0), (3.0, 1.0, 0.4)]
)
def test_band_normal_spin_filter_is_landauer(D, V, T):
    tu, td = 0.7, 0.3
    r = floquet_currents(np.diag([tu, td]), bias=V, gap_left=0, gap_right=0, band=D, temperature=T, tol=1e-8)
    Iu, Id = _landauer(tu, V, D, T), _landauer(td, V, D, T)
    assert r.charge[0].real == pytest.approx(Iu + Id, rel=1e-9)
    assert r.spin[0, 2].real == pytest.approx(-(Iu - Id), rel=1e-9)  # dM_z/dt
    assert np.abs(r.spin[0, :2]).max() < 1e-14


def test_band_normal_contact_wide_limit_is_ohmic():
    tau, V = 0.7, 0.3
    r = floquet_currents(bias=V, gap_left=0, gap_right=0, transmission=tau, band=1e4)
    # Fermi-level transmission is unchanged by the band (phi(0) = 1); O(V^2/D^2) corrections
    assert r.charge[0].real == pytest.approx(tau * V / np.pi, rel=1e-8)


# ----------------------------------------------------------------------------- S-S, N-S
def _spin_active_J():
    th = 0.6
    U = np.array([[np.cos(th), -np.sin(th) * np.exp(-0.4j)], [np.sin(th) * np.exp(0.4j), np.cos(th)]])
    return 0.5 * U @ np.diag([1.0, 0.5])


def test_band_to_wide_band_superconducting_limit():
    kw = dict(bias=1.5, phi0=0.7, tol=1e-7, n_harmonics=1)
    J = _spin_active_J()
    w = floquet_currents(J, **kw)
    r = {D: floquet_currents(J, band=D, **kw) for D in (40.0, 80.0, 160.0)}
    # dc: the difference falls like 1/D (phi - 1 = 2 i q/(pi D) + ...)
    d = {D: r[D].charge[0].real - w.charge[0].real for D in r}
    assert d[40.0] / d[80.0] == pytest.approx(2.0, rel=0.03)
    assert d[80.0] / d[160.0] == pytest.approx(2.0, rel=0.02)
    rich = 2 * r[160.0].charge[0].real - r[80.0].charge[0].real
    assert rich == pytest.approx(w.charge[0].real, rel=1e-4)
    ds = {D: np.abs(r[D].spin[0] - w.spin[0]).max() for D in r}
    assert ds[80.0] / ds[160.0] == pytest.approx(2.0, rel=0.03)
    # 2eV harmonic: the difference falls like (a ln D + b)/D (the q/D correction weighted
    # by a 1/E^2 tail); fit a, b on D = 40, 80 and predict D = 160
    h = {D: abs(r[D].charge[1] - w.charge[1]) * D for D in r}
    a = (h[80.0] - h[40.0]) / np.log(2.0)
    assert h[160.0] == pytest.approx(h[80.0] + a * np.log(2.0), rel=0.01)
    assert abs(r[160.0].charge[1] - w.charge[1]) < 0.03 * abs(w.charge[1])


def _tunnel_ns(V, D, tau):
    """Tunnel formula G_N int N_N(w) N_S(w+V) dw (T = 0), finite-band BCS DOS
    N_S = |E|/sqrt(E^2 - 1) theta(sqrt(D^2+1) - |E|), N_N = theta(D - |w|)."""
    a = max(-V, -D, 1.0 - V)
    b = min(0.0, D, np.hypot(D, 1.0) - V)
    if b <= a:
        return 0.0
    h = lambda w: (w + V) / np.sqrt(w + V + 1.0)  # noqa: E731, times (w + V - 1)^{-1/2}
    lo_singular = abs(a - (1.0 - V)) < 1e-14
    if lo_singular:
        val = quad(h, a, b, weight="alg", wvar=(-0.5, 0.0), limit=200, epsabs=1e-14)[0]
    else:
        val = quad(lambda w: h(w) / np.sqrt(w + V - 1.0), a, b, limit=200, epsabs=1e-14)[0]
    return tau / np.pi * val


@pytest.mark.parametrize("D, V", [(4.0, 1.5), (4.0, 2.5), (2.0, 2.1), (2.0, 3.0)])
def test_band_ns_tunnel_limit_quasiparticle_current(D, V):
    tau = 1e-4
    r = floquet_currents(bias=V, gap_left=0, gap_right=1.0, transmission=tau, band=D, tol=1e-7)
    # corrections O(tau), enhanced by the band-edge logarithms (3e-4 at D = 2, eV = 3)
    assert r.charge[0].real == pytest.approx(_tunnel_ns(V, D, tau), rel=1e-3)


def test_band_negative_bias_is_the_mirror_landauer():
    D, V, tu, td = 3.0, 2.5, 0.7, 0.3
    r = floquet_currents(np.diag([tu, td]), bias=-V, gap_left=0, gap_right=0, band=D, tol=1e-8)
    Iu, Id = _landauer(tu, V, D), _landauer(td, V, D)
    assert r.charge[0].real == pytest.approx(-(Iu + Id), rel=1e-9)
    assert r.spin[0, 2].real == pytest.approx(Iu - Id, rel=1e-9)


def test_band_hole_block_agrees():
    """The hole block puts the R source at R(-1): with a finite band no shift term is
    added in either block, so the two must agree (a check of the no-anomaly claim)."""
    J = _spin_active_J()
    kw = dict(bias=1.3, gap_left=1.0, gap_right=0.7, phi0=0.4, band=4.0, tol=1e-7, n_harmonics=2)
    e = floquet_currents(J, **kw)
    h = floquet_currents(J, _nambu_block="h", **kw)
    assert np.allclose(e.charge, h.charge, atol=1e-9)
    assert np.allclose(e.spin, h.spin, atol=1e-9)


def test_band_source_gamma_vanishes_outside_the_band():
    """(g^R)^{-1} - (g^A)^{-1} of a source is zero beyond the band edge sqrt(D^2 + Delta^2)
    (no states there); the chain itself is checked against a dense inverse with a band in
    tests/test_floquet.py::test_fast_sideband_solver_matches_dense_inverse."""
    from spintunnel.floquet.sidebands import chain_matrices

    J = np.array([[0.5, 0.1j], [0.2, 0.3]])
    E = np.array([-2.9, -2.75, -1.3, 2.1, 2.75, 3.0])  # |E| > 2.69 outside the band
    for src, gaps in (("L", (1.0, 0.8)), ("R", (0.0, 1.0))):
        D, _, _ = chain_matrices(E, src, (3, 4), 1.05, gaps, J, 0.3, band=2.5)
        eb = np.hypot(2.5, gaps[0] if src == "L" else gaps[1])
        for e in range(E.size):
            Dsrc = D[e, 3]
            gamma = np.abs(Dsrc - Dsrc.conj().T).max()
            assert (gamma < 1e-13) if abs(E[e]) > eb else (gamma > 1e-3)


def _broadened_band_dos(w, gap, G, D):
    """N(w) = -(1/pi) Im int_{-D}^{D} dxi z/(z^2 - xi^2 - Delta^2), z = w + i G: the xi
    integral by quad (independent of the closed form of leads.band_factor)."""
    z = w + 1j * G
    f = lambda xi, part: part(z / (z * z - xi * xi - gap * gap))  # noqa: E731
    return -quad(f, -D, D, args=(np.imag,), limit=200, epsabs=1e-13)[0] / np.pi


@pytest.mark.parametrize("V", [2.5, 4.0])
def test_band_with_dynes_tunnel_limit(V):
    """S-S, D = 3, Gamma = 0.05 Delta, tunnel limit: G_N int N_L(w) N_R(w + V) dw over
    [-V, 0] (T = 0) with the Dynes finite-band DOS from its xi integral.  At eV = 4 part of
    the window lies beyond the band edge sqrt(D^2 + 1) = 3.16, reached only by the Dynes
    tails; truncating the sources at the band edge would miss it."""
    G, D, tau = 0.05, 3.0, 1e-4
    r = floquet_currents(bias=V, transmission=tau, broadening=G, band=D, tol=1e-7)
    ref = quad(
        lambda w: _broadened_band_dos(w, 1.0, G, D) * _broadened_band_dos(w + V, 1.0, G, D),
        -V,
        0.0,
        points=[-1.0, 1.0 - V, -np.hypot(D, 1.0), np.hypot(D, 1.0) - V],
        limit=400,
    )[0]
    # measured 6.9e-5 (eV = 2.5), 2.4e-5 (eV = 4); without Dynes the current differs by 5-10 %
    assert r.charge[0].real / (tau / np.pi) == pytest.approx(ref, rel=5e-4)


def test_band_with_dynes_hole_block_and_small_gamma_limit():
    """No shift term with band + Dynes: electron and hole blocks agree (the R source sits at
    R(+1) in one, R(-1) in the other, so a missing or spurious anomaly would show); and
    Gamma -> 0 approaches the compact-support result linearly."""
    J = _spin_active_J()
    kw = dict(bias=1.3, gap_left=1.0, gap_right=0.7, phi0=0.4, band=4.0, tol=1e-7, n_harmonics=1)
    e = floquet_currents(J, broadening=0.02, **kw)
    h = floquet_currents(J, broadening=0.02, _nambu_block="h", **kw)
    assert np.allclose(e.charge, h.charge, atol=1e-9) and np.allclose(e.spin, h.spin, atol=1e-9)
    ref = floquet_currents(J, **kw)
    d = {G: np.abs(floquet_currents(J, broadening=G, **kw).charge - ref.charge).max() for G in (0.01, 0.005)}
    assert 1.6 < d[0.01] / d[0.005] < 2.4


@pytest.mark.parametrize("kw", [dict(band=0.5), dict(band=1.0), dict(band=np.inf), dict(band=np.nan), dict(band="x")])
def test_band_bad_input(kw):
    with pytest.raises(ValueError, match="band|broadening"):
        floquet_currents(bias=1.0, **kw)


# ----------------------------------------------------------------------------- exact solver
def _exact_window(J, n_levels, D, ramp, taper=None, **kw):
    from spintunnel.exact import evolve
    from spintunnel.exact.continuum import recurrence_time, uniform_band_junction, window_harmonics

    j = uniform_band_junction(n_levels, D, J, **kw)
    tr = recurrence_time(n_levels, D)
    P = 2 * np.pi / kw["bias"]
    res = evolve(j, ramp_time=ramp, n_periods=int(np.ceil(tr / P)), samples_per_period=32, max_step=0.2)
    return window_harmonics(res, 5.0, tr - ramp - 4.0, 2, taper=taper)


def test_band_matches_exact_finite_leads_normal_spin_filter():
    """N-N spin filter: uniform grid of N = 32 levels on [-3, 3], J_F = pi N t0 J_ex / D.
    Exact: fit on [5, T_rec - 8], T_rec = pi N/D.  Larger N (docs/all_orders.md, docs/studies/
    band_exact.py): 7.5e-5 (N = 32), 1.6e-5 (64) for the charge."""
    J, D, V = np.diag([0.8, 0.4]), 3.0, 1.0
    f = floquet_currents(J, bias=V, gap_left=0, gap_right=0, band=D, tol=1e-8)
    c, s = _exact_window(J, 32, D, 4.0, gap_left=0.0, gap_right=0.0, bias=V)
    # sign conventions: exact charge_current = +dN_L/dt (window_harmonics flips it),
    # spin_current = dM_L/dt as in the Floquet solver
    assert c.static == pytest.approx(f.charge[0].real, rel=1e-3)
    assert s.static[2] == pytest.approx(f.spin[0, 2].real, rel=2e-3)
    assert np.abs(s.static[:2]).max() < 1e-12


def test_band_matches_exact_finite_leads_superconducting_spin_active():
    """S-S, J = U diag(1, 0.5) (spin filter rotated on the left: x, y, z spin), mean
    tau = 0.45, eV = 1.5, phi0 = 0.7, D = 3, N = 32, Hann-weighted fit on [5, T_rec - 8].
    The harmonics carry e^{i phi0} in both codes (a convention mismatch would be a 68 %
    error).  Tolerances from the N = 32/64/96 study (docs/all_orders.md): at N = 32 the
    differences are 2.4e-3 (I_c,0), 6.4e-3 (I_c,1), 1.0e-2 (I_s,0), 8.3e-3 (I_s,1); the
    rest is the slowly decaying gap-edge switch-on transient and the level spacing."""
    J0 = _spin_active_J()
    f = floquet_currents(J0, bias=1.5, phi0=0.7, transmission=0.45, band=3.0, tol=1e-8, n_harmonics=2)
    c, s = _exact_window(f.params["J"], 32, 3.0, 4.0, taper="hann", bias=1.5, phi0=0.7)

    def rel(a, b):
        return np.linalg.norm(np.atleast_1d(a - b)) / np.linalg.norm(np.atleast_1d(b))

    assert rel(c.static, f.charge[0].real) < 1e-2
    assert rel(c.harmonic(1), f.charge[1]) < 2e-2
    assert rel(s.static, f.spin[0].real) < 5e-2
    assert rel(s.harmonic(1), f.spin[1]) < 2e-2
    # the phase convention: with phi0 -> 0 the Floquet harmonic would be off by |e^{i phi0}-1|
    assert rel(c.harmonic(1), f.charge[1] * np.exp(-0.7j)) > 0.5
