"""Finite-band Floquet solver against the exact finite-lead evolution (issue 6).

The exact model is the uniform midpoint grid of N levels on [-D, D] with all blocks J and
t0 = D/(pi N) (:func:`spintunnel.exact.continuum.uniform_band_junction`), whose continuum
limit is ``floquet_currents(J, band=D)``.  The exact currents are fitted
(c_0 + 2 harmonics of 2eV) on windows after the ramp and before the recurrence time
pi N/D.  Prints a markdown table (recorded in docs/all_orders.md).

Usage:  OPENBLAS_NUM_THREADS=1 python docs/studies/band_exact.py [NN|SS ...] [N ...]
(default N = 32 64 96; the Nambu dimension is 16 N, one Magnus step costs ~N^3).  A study
(minutes to an hour); tests/test_studies_smoke.py runs it at a tiny size.
"""

from __future__ import annotations

import sys
import time

import numpy as np

from spintunnel.exact import evolve, recurrence_time, uniform_band_junction, window_harmonics
from spintunnel.floquet import floquet_currents

BAND = 3.0
RAMP = 4.0
_TH = 0.6
_U = np.array([[np.cos(_TH), -np.sin(_TH) * np.exp(-0.4j)], [np.sin(_TH) * np.exp(0.4j), np.cos(_TH)]])

CASES = {
    # (a) N-N spin filter, static after gauging: dc charge and z-spin current
    "NN": dict(J=np.diag([0.8, 0.4]), bias=1.0, gap_left=0.0, gap_right=0.0, phi0=0.0),
    # (b) S-S, spin filter rotated on the left (x, y, z spin), mean tau = 0.45, phi0 = 0.7
    "SS": dict(J=_U @ np.diag([1.0, 0.5]), transmission=0.45, bias=1.5, gap_left=1.0, gap_right=1.0, phi0=0.7),
}


def floquet_reference(case):
    kw = dict(CASES[case])
    J = kw.pop("J")
    return floquet_currents(J, band=BAND, tol=1e-8, n_harmonics=2, **kw)


def exact_run(case, n_levels, ref):
    kw = CASES[case]
    j = uniform_band_junction(
        n_levels,
        BAND,
        ref.params["J"],
        gap_left=kw["gap_left"],
        gap_right=kw["gap_right"],
        bias=kw["bias"],
        phi0=kw["phi0"],
    )
    P = 2 * np.pi / kw["bias"]
    n_periods = int(np.ceil(recurrence_time(n_levels, BAND) / P))
    clock = time.perf_counter()
    res = evolve(j, ramp_time=RAMP, n_periods=n_periods, samples_per_period=32, max_step=0.2)
    return res, time.perf_counter() - clock


def windows(n_levels):
    """Fit windows [t_a, t_b]: t_b = T_rec - ramp - 4 (before the revival)."""
    tr = recurrence_time(n_levels, BAND)
    tb = tr - RAMP - 4.0
    return [(5.0, tb), (max(5.0, 0.25 * tr), tb), (0.5 * tr, tb)]


def rel(a, b):
    return float(np.linalg.norm(np.atleast_1d(a - b)) / np.linalg.norm(np.atleast_1d(b)))


def main(ns, cases=tuple(CASES), save_dir="/tmp"):
    """Print the table; the exact traces are kept in ``save_dir/band_exact_<case>_<N>.npz``."""
    print("| case | N | window | quantity | Floquet | exact | rel. diff |")
    print("|---|---|---|---|---|---|---|")
    for case in cases:
        ref = floquet_reference(case)
        for n in ns:
            res, sec = exact_run(case, n, ref)
            np.savez(f"{save_dir}/band_exact_{case}_{n}.npz", t=res.times, I=res.charge_current, S=res.spin_current)
            for ta, tb in windows(n):
                c, s = window_harmonics(res, ta, tb, 2)
                rows = [("I_c,0", ref.charge[0].real, c.static), ("I_s,0", ref.spin[0].real, s.static)]
                if case != "NN":
                    rows += [("I_c,1", ref.charge[1], c.harmonic(1)), ("I_s,1", ref.spin[1], s.harmonic(1))]
                for name, fv, ev in rows:
                    fmt = lambda x: np.array2string(
                        np.round(np.asarray(x), 5),  # noqa: E731
                        separator=", ",
                    )
                    print(
                        f"| {case} | {n} | [{ta:.0f}, {tb:.0f}] | {name} | {fmt(fv)} | {fmt(ev)} | {rel(ev, fv):.1e} |"
                    )
            print(f"<!-- {case} N={n}: exact evolution {sec:.0f} s -->", flush=True)


if __name__ == "__main__":
    args = sys.argv[1:]
    chosen = [a for a in args if a in CASES] or list(CASES)
    main([int(a) for a in args if a not in CASES] or [32, 64, 96], chosen)
