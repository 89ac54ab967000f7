"""Static magnetization to all orders against the adiabatically switched exact finite model.

Floquet: :func:`spintunnel.floquet.static_magnetization` with ``band=D`` (and the same code at
a -> 0, scaled by a^2: the band-limited second order).  Exact: the uniform-grid model of
:func:`spintunnel.exact.continuum.uniform_band_junction`, switched on by a smooth ramp, static
part fitted after it.  Prints the M_z rows recorded in docs/all_orders.md (Sec. 4).

Usage:  OPENBLAS_NUM_THREADS=1 python docs/studies/static_exact.py GAP_L GAP_R EV A N1,N2,.. RAMP [D] [--drift]
e.g.    ... 1 1 0.45 0.5 16,24,32,48 60 3          (S-S, J_F = 0.5 J0, D = 3)
        ... 1 1 0.45 0.5 80 15,30 3 --drift        (several ramps; slope of M(t) fitted)

``--drift`` (for contacts that inject quasiparticles): RAMP may be a list; the fit of M(t)
then has a linear term (its intercept at the end of the ramp and its slope are printed), and
the Floquet side adds the dc spin current, its average over the ramp envelope, and the part
of the moment that the injecting sources contribute inside the gap (finite: its integrand
grows only like (Delta - |w|)^(-1/2) at the gap edges), which ``static_magnetization``
leaves out.
A study (minutes; N = 80 takes about 6 min per ramp on one core); tests/test_studies_smoke.py
runs it at a tiny size.  Public API only: the injecting sources from the dense sideband chain
(:func:`spintunnel.floquet.magnetization.source_terms`, ``sources``, ``lead_sum``).
"""

from __future__ import annotations

import sys
import time

import numpy as np
from scipy.integrate import quad

from spintunnel.exact import evolve, fit_harmonics, ramp_envelope, uniform_band_junction
from spintunnel.floquet import floquet_currents, static_magnetization
from spintunnel.floquet.magnetization import lead_sum, source_terms, sources
from spintunnel.leads import fermi
from spintunnel.spin import PAULI

J0 = np.array([[1.0, 0.3 + 0.2j], [-0.1j, 0.5]])


def injecting_in_gap(J, V, gl, gr, D, n=14):
    """Moment of the injecting sources from inside the left gap (left lead, V > 0)."""
    gaps, gap = (gl, gr), gl
    srcs = sources("L", n, V, gaps, gap)
    inject = np.zeros(2 * n + 1, bool)
    for k, _, _, inj in srcs:
        inject[k + n] = inj
    if not inject.any():
        return np.zeros(3)

    k = np.arange(-n, n + 1)

    def integrand(E, c):
        """Re(-i Tr[sigma_c P(Y_inj)_ee(E)])/(2 pi), Y_inj = Sum_s (f(w_s) - f(E)) V_s Gamma_s V_s^dag
        over the injecting sources s (floquet.magnetization docstring), T = 0."""
        E = np.atleast_1d(E)
        f = fermi(E[:, None] + k * V, 0.0)
        weights = (f - f[:, n][:, None]) * inject
        Y = np.einsum("ek,ekab->eab", weights, source_terms(E, "L", n, V, gaps, J, 0.0, D))
        P = lead_sum(Y, E + 0j, gap, D)[:, :2, :2]
        return float((-1j * np.trace(PAULI[c] @ P[0])).real) / (2 * np.pi)

    return np.array(
        [
            sum(quad(integrand, lo, hi, args=(c,), limit=400, epsabs=1e-10)[0] for lo, hi in ((-gap, 0.0), (0.0, gap)))
            for c in range(3)
        ]
    )


def floquet_side(JF, V, gl, gr, D, drift):
    fl = static_magnetization(JF, bias=V, gap_left=gl, gap_right=gr, band=D)
    small = 1e-3
    second = static_magnetization(small * JF, bias=V, gap_left=gl, gap_right=gr, band=D).moment / small**2
    print(f"Floquet M = {fl.moment}, injection {fl.injection:.2g}; second order {second}")
    if drift:
        x = np.linspace(0.0, 1.0, 41)
        env = ramp_envelope(x)
        ramp = np.array(
            [
                floquet_currents(s * JF, bias=V, gap_left=gl, gap_right=gr, band=D, tol=1e-6, warn=False).spin[0].real
                if s > 1e-3
                else np.zeros(3)
                for s in env
            ]
        )
        spin = ramp[-1]  # the envelope ends at 1: full coupling
        inside = injecting_in_gap(JF, V, gl, gr, D)
        print(
            f"dc spin current {spin}; its average over the ramp envelope "
            f"{np.trapezoid(ramp, x, axis=0)} (per unit ramp time)"
        )
        print(f"injecting sources inside the gap: {inside}; Floquet M + that = {fl.moment + inside}")
    return fl.moment, second


def main(gl, gr, V, a, ns, ramps, D=3.0, drift=False):
    JF = a * J0
    M_fl, second = floquet_side(JF, V, gl, gr, D, drift)
    w = 2 * V
    for n in ns:
        for ramp in ramps:
            model = uniform_band_junction(n, D, JF, gap_left=gl, gap_right=gr, bias=V, phi0=0.3)
            clock = time.perf_counter()
            res = evolve(model, ramp_time=ramp, n_periods=3 if drift else 2, samples_per_period=16, max_step=0.25)
            t, Mt = res.times, res.magnetization
            if drift:
                cols = [np.ones_like(t), t] + [f(k * w * t) for k in (1, 2, 3) for f in (np.cos, np.sin)]
                coef = np.linalg.lstsq(np.array(cols).T, Mt, rcond=None)[0]
                M, extra = coef[0], f", slope {coef[1]}"
            else:
                M, extra = np.real(fit_harmonics(t, Mt, w, 2).coefficients[0]), ""
            print(
                f"N = {n}, ramp {ramp:g}: exact M = {M}{extra}; rel. to all orders "
                f"{np.linalg.norm(M - M_fl) / np.linalg.norm(M_fl):.2e}, to second order "
                f"{np.linalg.norm(M - second) / np.linalg.norm(second):.2e} "
                f"({time.perf_counter() - clock:.0f} s)",
                flush=True,
            )


if __name__ == "__main__":
    flags = [x for x in sys.argv[1:] if x.startswith("--")]
    args = [x for x in sys.argv[1:] if not x.startswith("--")]
    if len(args) < 6 or set(flags) - {"--drift"}:
        raise SystemExit(__doc__)
    main(
        float(args[0]),
        float(args[1]),
        float(args[2]),
        float(args[3]),
        [int(x) for x in args[4].split(",")],
        [float(x) for x in args[5].split(",")],
        float(args[6]) if len(args) > 6 else 3.0,
        drift="--drift" in flags,
    )
