"""The dc spin current above the pair-breaking threshold (docs/all_orders.md, Sec. 10).

Case: finite band D = 2 (flat normal DOS), equal gaps Delta = 1, T = 0, eV = 2.5 Delta, spin-
conserving amplitude ``J_F = a diag(1, 0.5)`` (units of W = 2D/pi, as for
``floquet_currents(..., band=D)`` and ``uniform_band_junction``).

Tables:

0. ``orders``, ``channel_log``: the all-orders value against the golden rule (the
   a^2 ln(1/a) deviation, and its coefficient per spin channel).
1. ``implementation``: the package's ``floquet_currents`` against an independent Floquet
   solver written here (``sector_currents``: one 2x2 Nambu sector, dense sideband matrix,
   lead Green's functions in closed form, scipy quadrature), and the golden rule.
2. ``relaxed``: the exact finite model with every lead state relaxed at the rate gamma
   (``spintunnel.exact.relaxed_steady_state``, a Lindblad equation) against
   ``sector_currents`` with the same N levels and the Keldysh self-energies of that
   relaxation (retarded ``-i gamma/2``, lesser ``i gamma f(E_level)``): one identity, all
   orders in J.
3. ``limit``, ``continuum``: the relaxed continuum (``sector_currents``, N -> infinity; and
   its convergence in N) as gamma -> 0, against ``floquet_currents`` at gamma = 0; with the
   package's Dynes form (lesser ``-f(w) (g^R - g^A)``) at the same broadening.
4. ``laplace``, ``closed`` (``--closed``, about an hour): the closed exact model after a
   sudden switch, Laplace transformed (= the relaxed model); and with a smooth ramp 4,
   fitted on fixed time windows for N = 32 ... 128: the running dc spin current drifts
   towards the Floquet value as slowly as the relaxed continuum does as gamma -> 0.

Usage::

    OPENBLAS_NUM_THREADS=1 python docs/studies/above_threshold.py [--quick] [--closed]

``--quick`` runs one small row of tables 1 and 2 (a few seconds; used by the smoke test).
Units: hbar = e = k_B = 1, energies in Delta, (g/2) mu_B = 1; spin current = dM_z/dt of the
left lead, charge current = particle current L -> R.
"""

from __future__ import annotations

import argparse
import math
import time

import numpy as np
from scipy.integrate import quad, quad_vec

from spintunnel.exact import evolve, recurrence_time, relaxed_steady_state, uniform_band_junction, window_harmonics
from spintunnel.floquet import floquet_currents
from spintunnel.second_order import spin_current_dc

BAND = 2.0
BIAS = 2.5
GAP = 1.0
RATIO = 0.5  # J_F = a diag(1, RATIO)
RAMP = 4.0

_TX = np.array([[0, 1], [1, 0]], dtype=complex)


def amplitude(a):
    """``J_F = a diag(1, RATIO)`` in units of W (the Floquet solver's input)."""
    return a * np.diag([1.0, RATIO])


def grid_levels(n_levels, band=BAND):
    """Midpoint grid of ``uniform_band_junction``: ``xi_n = -D + (2D/N)(n + 1/2)``."""
    return -band + (2 * band / n_levels) * (np.arange(n_levels) + 0.5)


# ------------------------------------------------------------------- independent Floquet
def _inverse_energy_integral(z, gap, band):
    """``int_{-D}^{D} dxi / (E (z + E))``, ``E = sqrt(xi^2 + gap^2)``, for Im z != 0.

    With ``xi = gap sinh u`` and ``t = tanh(u/2)`` the integrand is
    ``2 / ((gap - z)(t^2 + kappa^2))``, ``kappa^2 = (z + gap)/(gap - z)``; partial fractions
    and ``int_{-T}^{T} dt/(t - p) = Log(T - p) - Log(-T - p)`` (continuous on the path for
    Im p != 0), ``T = tanh(asinh(D/gap)/2)``.
    """
    T = math.tanh(0.5 * math.asinh(band / gap))
    kappa = np.sqrt((z + gap) / (gap - z))

    def log_ratio(p):
        return np.log(T - p) - np.log(-T - p)

    return (log_ratio(1j * kappa) - log_ratio(-1j * kappa)) / (1j * kappa * (gap - z))


def lead_green(z, gap=GAP, band=BAND, levels=None):
    """Local Green's function of the contact orbital in one Nambu sector ``(c_up, c^dag_dn)``.

    Level ``xi`` has ``h = xi tau_z - gap tau_x`` ((S2): pair potential ``-Delta``), energies
    ``+-E``, ``E = sqrt(xi^2 + gap^2)``.  Returns ``(g, g_occ)``, shape ``z.shape + (2, 2)``:
    the retarded ``g(z) = <(z - h)^{-1}>`` and the part ``g_occ(z) = <P_-(xi) / (z + E)>``
    of the occupied (negative-energy) quasiparticle states at T = 0, with ``<.>`` the
    normalised level average: ``(1/2D) int_{-D}^{D} dxi`` (continuum, ``levels=None``) or
    ``(1/N) sum_n`` (the N levels of the finite model, whose contact orbital has exactly this
    weight per level).  The odd part in xi drops.  ``z`` with Im z > 0.
    """
    z = np.asarray(z, dtype=complex)
    if levels is None:
        rho = 1.0 / (2 * band)
        bp = _inverse_energy_integral(z, gap, band)
        bm = _inverse_energy_integral(-z, gap, band)
        a0 = 2 * math.asinh(band / gap)  # int dxi / E
        ap, am = a0 - z * bp, a0 + z * bm  # int dxi/(z + E), int dxi/(-z + E)
        s_one, s_tx = 0.5 * rho * (ap - am), 0.5 * rho * gap * (bp + bm)
        o_one, o_tx = 0.5 * rho * ap, 0.5 * rho * gap * bp
    else:
        xi = np.asarray(levels, dtype=float)
        E = np.sqrt(xi**2 + gap**2)
        zz = z[..., None]
        inv = (1.0 / (zz**2 - E**2)).mean(-1)
        s_one, s_tx = z * inv, -gap * inv
        o_one = (0.5 / (zz + E)).mean(-1)
        o_tx = gap * (0.5 / (E * (zz + E))).mean(-1)
    one, tx = np.eye(2), _TX
    g = s_one[..., None, None] * one + s_tx[..., None, None] * tx
    g_occ = o_one[..., None, None] * one + o_tx[..., None, None] * tx
    return g, g_occ


def sector_currents(
    a, *, gamma=0.0, levels=None, lesser="level", bias=BIAS, gap=GAP, band=BAND, n_sidebands=8, epsrel=1e-10
):
    """dc currents of the spin-conserving contact at T = 0, all orders in J (independent Floquet).

    ``J_F = a diag(1, RATIO)`` joins the contact orbitals of two equal BCS leads with the
    hopping ``t_s = W J_s`` (``W = 2D/pi``).  In the Nambu sector ``psi = (c_up, c^dag_dn)``
    the tunnelling (S9-S10) is ``e^{i eVt} t_up psi^dag_Le psi_Re - e^{i eVt} t_dn
    psi^dag_Rh psi_Lh + h.c.`` (phi0 = 0: the dc part does not depend on it), so the
    Floquet matrix couples L(n) e to R(n+1) e and L(n) h to R(n-1) h; sidebands
    |n| <= ``n_sidebands``, energy ``w + n eV``, w in the zone [-eV/2, eV/2].  Each lead level has
    ``Sigma^R = -i gamma/2``, and the lesser function of a lead is

    * ``lesser="level"``: ``g^< = -[g_occ(z) - g_occ(z)^dag]`` (level-resolved relaxation,
      ``Sigma^< = i gamma f(E_level)``: the Lindblad model of ``relaxed_steady_state``);
    * ``lesser="fermi"``: ``g^< = -f(w) [g(z) - g(z)^dag]`` (a wide-band bath on every
      level: the Dynes form of ``floquet_currents(..., broadening=gamma/2)``),

    with ``z = w + i gamma/2`` (gamma = 0: ``z = w + 1e-12 i``; both forms agree).
    ``G^< = (1 + G^R T) g^< (1 + T G^A)``, ``G^R = (g^{-1} - T)^{-1}``, and

        I_up = -2 Im[t_up <c^dag_Lup c_Rup>],  dN_Ldn/dt = 2 Im[t_dn <psi^dag_Lh psi_Rh>],
        <psi^dag_L psi_R>_dc = -i sum_n int_zone dw/2pi G^<_{R(n +- 1), L(n)}(w),

    spin ``dM_z/dt = -I_up - dN_Ldn/dt``, charge ``I_up - dN_Ldn/dt`` (L -> R).

    Returns
    -------
    dict with ``spin``, ``charge`` (units Delta/hbar) and ``error`` (quadrature estimate).
    """
    if lesser not in ("level", "fermi"):
        raise ValueError(f"lesser must be 'level' or 'fermi', got {lesser!r}")
    W = 2 * band / math.pi
    t_up, t_dn = W * a, W * a * RATIO
    ns = np.arange(-n_sidebands, n_sidebands + 1)
    K = ns.size
    size = 4 * K  # index 4 i + 2 lead + nambu; lead 0 = L, 1 = R
    T = np.zeros((size, size), complex)
    for i in range(K - 1):
        T[4 * i, 4 * (i + 1) + 2] = t_up  # L(n) e -> R(n+1) e
        T[4 * (i + 1) + 1, 4 * i + 3] = -t_dn  # L(n+1) h -> R(n) h
    T = T + T.conj().T
    eta = max(0.5 * gamma, 1e-12)
    blocks = [(slice(4 * i + 2 * s, 4 * i + 2 * s + 2), i) for i in range(K) for s in (0, 1)]

    def integrand(w):
        z = w + ns * bias + 1j * eta  # (K,)
        g, g_occ = lead_green(z, gap, band, levels)
        dag = lambda m: np.conj(np.swapaxes(m, -1, -2))  # noqa: E731
        if lesser == "level":
            g_less = -(g_occ - dag(g_occ))
        else:
            g_less = -np.where(z.real < 0, 1.0, 0.0)[:, None, None] * (g - dag(g))
        G0 = np.zeros((size, size), complex)
        L0 = np.zeros((size, size), complex)
        for sl, i in blocks:
            G0[sl, sl], L0[sl, sl] = g[i], g_less[i]
        GR = np.linalg.inv(np.linalg.inv(G0) - T)
        X = np.eye(size) + GR @ T
        Gl = X @ L0 @ X.conj().T
        se = sum(Gl[4 * (i + 1) + 2, 4 * i] for i in range(K - 1))
        sh = sum(Gl[4 * i + 3, 4 * (i + 1) + 1] for i in range(K - 1))
        return np.array([se.real, se.imag, sh.real, sh.imag])

    # breakpoints: gap and band edges and w = 0 of every sideband, folded into the zone
    edges = {-bias / 2, bias / 2}
    for e in (gap, -gap, math.hypot(band, gap), -math.hypot(band, gap), 0.0):
        for n in ns:
            if -bias / 2 < e - n * bias < bias / 2:
                edges.add(e - n * bias)
    pts = sorted(edges)
    total, error = np.zeros(4), 0.0
    for lo, hi in zip(pts[:-1], pts[1:], strict=False):
        # x = lo + (hi - lo)(1 - cos pi u)/2 removes the |x - edge|^{-1/2} singularities
        def mapped(u, lo=lo, hi=hi):
            x = lo + (hi - lo) * (1 - math.cos(math.pi * u)) / 2
            return integrand(x) * (hi - lo) * math.pi / 2 * math.sin(math.pi * u)

        v, e = quad_vec(mapped, 0.0, 1.0, epsrel=epsrel, epsabs=1e-15, limit=4000)
        total, error = total + v, error + e
    se, sh = (total[0] + 1j * total[1]) / (2 * np.pi), (total[2] + 1j * total[3]) / (2 * np.pi)
    i_up = -2 * np.imag(t_up * (-1j) * se)
    dn_dt = 2 * np.imag(t_dn * (-1j) * sh)
    return dict(spin=-i_up - dn_dt, charge=i_up - dn_dt, error=error / (2 * np.pi))


def golden_rule(a):
    """Second-order dc spin current: ``spin_current_dc`` per rho_L rho_R, times
    ``rho_L rho_R = 1/(2 pi)^2`` per unit W (docs/all_orders.md, Sec. 5); the finite band
    does not enter (the window [Delta, eV - Delta] = [1, 1.5] lies inside E_b = sqrt 5)."""
    J = amplitude(a)
    return float(spin_current_dc(J, J, BIAS, 0.0, GAP, GAP, cross="equal")[2]) / (2 * np.pi) ** 2


def tunnel_integral():
    """``int dE N(E) N(E + eV)`` over the pair-breaking window [Delta - eV, -Delta] (BCS DOS
    ``|E|/sqrt(E^2 - Delta^2)``; the band edge sqrt(D^2 + Delta^2) lies outside it)."""
    dos = lambda E: abs(E) / math.sqrt(E * E - GAP**2)  # noqa: E731
    return quad(lambda E: dos(E) * dos(E + BIAS), GAP - BIAS, -GAP, limit=200)[0]


def floquet(a, broadening=0.0):
    """The package's all-orders solver at this case."""
    r = floquet_currents(amplitude(a), bias=BIAS, band=BAND, broadening=broadening, tol=1e-9, n_harmonics=1)
    return r.spin[0, 2].real, r.charge[0].real


# ------------------------------------------------------------------- tables
def table_implementation(amps=(0.05, 0.1, 0.2), epsrel=1e-10):
    print("| a | golden rule | floquet_currents | sector_currents | rel. diff | (Floquet - GR)/GR |")
    print("|---|---|---|---|---|---|")
    for a in amps:
        fs, _ = floquet(a)
        ss = sector_currents(a, epsrel=epsrel)["spin"]
        gr = golden_rule(a)
        print(f"| {a} | {gr:.7f} | {fs:.9f} | {ss:.9f} | {abs(ss / fs - 1):.1e} | {fs / gr - 1:+.3f} |", flush=True)


def table_orders(amps=(0.4, 0.2, 0.1, 0.05, 0.025, 0.0125, 0.00625)):
    """All orders against the golden rule: the tunnel formula per spin channel,
    ``I_s = (tau_s / 2 pi) int N N`` with ``tau_s = 4 J_s^2`` (units of W), gives
    ``dM_z/dt = -(I_up - I_dn)`` and ``I_c = I_up + I_dn``."""
    nn = tunnel_integral()
    taus = 4 * np.array([1.0, RATIO**2])
    print(f"int N N = {nn:.7f}")
    print("| a | I_s,0 Floquet | golden rule (spin_current_dc) | by hand | rel. dev. | /a^2 | I_c,0 rel. dev. /a^2 |")
    print("|---|---|---|---|---|---|---|")
    for a in amps:
        fs, fc = floquet(a)
        gr = golden_rule(a)
        hand = -(taus[0] - taus[1]) * a * a * nn / (2 * np.pi)
        charge = taus.sum() * a * a * nn / (2 * np.pi)
        print(
            f"| {a} | {fs:.6e} | {gr:.6e} | {hand:.6e} | {fs / gr - 1:+.4f} | "
            f"{(fs / gr - 1) / a**2:+.2f} | {(fc / charge - 1) / a**2:+.2f} |",
            flush=True,
        )


def table_channel_log(ratios=(0.0, 0.5, 1.0), amps=(0.05, 0.025, 0.0125)):
    """The log belongs to one spin channel: the up current ``(I_c,0 - I_s,0)/2`` of
    ``J = a diag(1, r)`` deviates from its golden rule by ``a^2 (A_r + x ln(1/a))``; x from
    successive halvings of a, for several r."""
    nn = tunnel_integral()
    print("| r | x (a = 0.05 -> 0.025) | x (0.025 -> 0.0125) |")
    print("|---|---|---|")
    for r in ratios:
        rel = []
        for a in amps:
            f = floquet_currents(a * np.diag([1.0, r]), bias=BIAS, band=BAND, tol=1e-10, n_harmonics=0)
            up = 0.5 * (f.charge[0].real - f.spin[0, 2].real)
            rel.append((up / (4 * a * a * nn / (2 * np.pi)) - 1) / a**2)
        x = -np.diff(rel) / math.log(2)
        print(f"| {r} | {x[0]:.3f} | {x[1]:.3f} |", flush=True)


def table_relaxed(cases=((8, 0.2, 0.2), (16, 0.1, 0.2), (16, 0.1, 0.1), (32, 0.05, 0.1)), max_step=0.05, epsrel=1e-10):
    print(
        "| N | gamma | a | exact relaxed I_s,0 | sector_currents (N levels) | rel. diff | I_c,0 rel. diff | exact [s] |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for n, gamma, a in cases:
        j = uniform_band_junction(n, BAND, amplitude(a), bias=BIAS)
        clock = time.perf_counter()
        r = relaxed_steady_state(j, gamma, samples_per_period=16, max_step=max_step)
        sec = time.perf_counter() - clock
        es, ec = r.spin_current[:, 2].mean(), -r.charge_current.mean()
        f = sector_currents(a, gamma=gamma, levels=grid_levels(n), epsrel=epsrel)
        print(
            f"| {n} | {gamma} | {a} | {es:.9f} | {f['spin']:.9f} | "
            f"{abs(es / f['spin'] - 1):.1e} | {abs(ec / f['charge'] - 1):.1e} | {sec:.1f} |",
            flush=True,
        )


def table_limit(amps=(0.1, 0.2), gammas=(0.1, 0.05, 0.02, 0.01, 5e-3, 2e-3, 1e-3, 1e-4, 1e-5, 1e-6)):
    print(
        "| a | gamma | relaxed continuum I_s,0 | rel. to Floquet(0) | Dynes form "
        "(sector) | floquet_currents(broadening=gamma/2) |"
    )
    print("|---|---|---|---|---|---|")
    for a in amps:
        f0, _ = floquet(a)
        for gamma in gammas:
            lv = sector_currents(a, gamma=gamma)["spin"]
            if gamma >= 0.01:
                fe = sector_currents(a, gamma=gamma, lesser="fermi")["spin"]
                pk = f"{floquet(a, broadening=gamma / 2)[0]:.9f}"
                fe = f"{fe:.9f}"
            else:
                fe = pk = "–"
            print(f"| {a} | {gamma:g} | {lv:.8f} | {lv / f0 - 1:+.1e} | {fe} | {pk} |", flush=True)
        print(f"| {a} | 0 | {f0:.8f} (floquet_currents) | 0 | | |", flush=True)


def table_continuum(a=0.2, gamma=0.05, ns=(32, 64, 128, 256)):
    cont = sector_currents(a, gamma=gamma)["spin"]
    print(f"| N | relaxed N levels, gamma = {gamma} | rel. to continuum {cont:.8f} |")
    print("|---|---|---|")
    for n in ns:
        s = sector_currents(a, gamma=gamma, levels=grid_levels(n))["spin"]
        print(f"| {n} | {s:.8f} | {s / cont - 1:+.1e} |", flush=True)


def closed_run(a, n_levels, samples=16, max_step=0.2):
    """Closed exact model (smooth ramp 4) up to the recurrence time pi N / D."""
    j = uniform_band_junction(n_levels, BAND, amplitude(a), bias=BIAS)
    periods = int(math.ceil((recurrence_time(n_levels, BAND) - RAMP) / (2 * math.pi / BIAS)))
    return evolve(j, ramp_time=RAMP, n_periods=periods, samples_per_period=samples, max_step=max_step)


def table_closed(amps=(0.1, 0.2), ns=(32, 48, 64, 96, 128), width=10.0):
    windows = [(t, t + width) for t in np.arange(5.0, 200.0, width)]
    for a in amps:
        f0, _ = floquet(a)
        runs = {n: closed_run(a, n) for n in ns}
        print(
            f"\na = {a}: I_s,0 (Floquet {f0:.5f}) fitted on [t_a, t_a + {width:g}] "
            "(c_0 + 2 harmonics of 2eV); '–': window ends after T_rec - 8"
        )
        print("| t_a | " + " | ".join(f"N = {n}" for n in ns) + " |")
        print("|---|" + "---|" * len(ns))
        for ta, tb in windows:
            cells = []
            for n in ns:
                if tb > recurrence_time(n, BAND) - RAMP - 4:
                    cells.append("–")
                    continue
                _, s = window_harmonics(runs[n], ta, tb, 2)
                cells.append(f"{s.static[2]:.5f}")
            if all(c == "–" for c in cells):
                break
            print(f"| {ta:.0f} | " + " | ".join(cells) + " |", flush=True)


def table_laplace(a=0.2, n_levels=48, gammas=(0.15, 0.2, 0.3), n_phases=4, samples=32):
    """Closed model after a *sudden* switch, averaged over the switching phase, Laplace
    transformed: ``gamma int_0^inf dtau e^{-gamma tau} <I_s(tau)>_phase`` is exactly the dc
    spin current of the relaxed model (Duhamel: the relaxed state is the closed evolution from
    C_0 started at every earlier time with weight gamma e^{-gamma tau}); the integral is cut
    at T_rec - 4 (tail estimated as e^{-gamma tau_max} I(tau_max))."""
    P = 2 * math.pi / BIAS
    periods = int((recurrence_time(n_levels, BAND) - 4) // P)
    spins = []
    for k in range(n_phases):  # phi0 -> phi0 + 2 pi is a gauge: phases in [0, 2 pi)
        j = uniform_band_junction(n_levels, BAND, amplitude(a), bias=BIAS, phi0=2 * math.pi * k / n_phases)
        r = evolve(j, ramp_time=0.0, n_periods=periods, samples_per_period=samples, max_step=0.2)
        spins.append(r.spin_current[:, 2])
    t, mean = r.times, np.mean(spins, axis=0)
    m = (t.size - 1) // 2 * 2 + 1  # odd number of points for Simpson
    t, mean = t[:m], mean[:m]
    w = np.ones(m)
    w[1:-1:2], w[2:-1:2] = 4.0, 2.0
    w *= (t[1] - t[0]) / 3
    print(
        f"| gamma | Laplace of the closed model (N = {n_levels}, {n_phases} phases) | "
        f"relaxed, N = {n_levels} levels | relaxed continuum |"
    )
    print("|---|---|---|---|")
    for gamma in gammas:
        lap = gamma * np.sum(w * np.exp(-gamma * t) * mean) + np.exp(-gamma * t[-1]) * mean[-1]
        disc = sector_currents(a, gamma=gamma, levels=grid_levels(n_levels))["spin"]
        cont = sector_currents(a, gamma=gamma)["spin"]
        print(f"| {gamma} | {lap:.7f} | {disc:.7f} | {cont:.7f} |", flush=True)
    return t, mean


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="one small row of tables 1, 2")
    p.add_argument("--closed", action="store_true", help="also the closed-model windows")
    args = p.parse_args(argv)
    if args.quick:
        table_implementation(amps=(0.1,), epsrel=1e-6)
        table_relaxed(cases=((4, 0.3, 0.2),), max_step=0.1, epsrel=1e-6)
        return
    table_orders()
    table_channel_log()
    table_implementation()
    table_relaxed()
    table_limit()
    table_continuum()
    if args.closed:
        table_laplace()
        table_closed()


if __name__ == "__main__":
    main()
