"""Static magnetization to all orders against the adiabatically switched exact finite model.

Floquet: :func:`spintunnel.floquet.static_magnetization` with ``band=D`` (and the same code at
a -> 0, scaled by a^2: the band-limited second order).  Exact: the uniform-grid model of
:func:`spintunnel.exact.continuum.uniform_band_junction`, switched on by a smooth ramp much
longer than the recurrence time (the discrete state is followed adiabatically), static part
fitted over two periods.  Prints M_z rows recorded in docs/all_orders.md (Sec. 4).

Usage:  OPENBLAS_NUM_THREADS=1 python benchmarks/study_static_exact.py GAP_L GAP_R EV A N1,N2,.. RAMP [D]
e.g.    ... 1 1 0.45 0.5 16,24,32,48 60 3      (S-S, J_F = 0.5 J0, D = 3)
A study, not a speed benchmark: not run by ``python -m benchmarks`` (minutes).
"""

from __future__ import annotations

import sys
import time

import numpy as np

from spintunnel.exact import evolve, fit_harmonics
from spintunnel.exact.continuum import uniform_band_junction
from spintunnel.floquet import static_magnetization

J0 = np.array([[1.0, 0.3 + 0.2j], [-0.1j, 0.5]])


def main(gl, gr, V, a, ns, ramp, D=3.0):
    JF = a * J0
    fl = static_magnetization(JF, bias=V, gap_left=gl, gap_right=gr, band=D)
    small = 1e-3
    second = static_magnetization(small * JF, bias=V, gap_left=gl, gap_right=gr,
                                  band=D).moment / small**2
    print(f"Floquet M = {fl.moment}, injection {fl.injection:.2g}; second order {second}")
    for n in ns:
        model = uniform_band_junction(n, D, JF, gap_left=gl, gap_right=gr, bias=V, phi0=0.3)
        clock = time.perf_counter()
        res = evolve(model, ramp_time=ramp, n_periods=2, samples_per_period=16, max_step=0.25)
        M = np.real(fit_harmonics(res.times, res.magnetization, 2 * V, 2).coefficients[0])
        print(f"N = {n}: exact M = {M}, rel. to all orders "
              f"{np.linalg.norm(M - fl.moment) / np.linalg.norm(fl.moment):.2e}, to second order "
              f"{np.linalg.norm(M - second) / np.linalg.norm(second):.2e} "
              f"({time.perf_counter() - clock:.0f} s)", flush=True)


if __name__ == "__main__":
    args = sys.argv[1:]
    if len(args) < 6:
        raise SystemExit(__doc__)
    main(float(args[0]), float(args[1]), float(args[2]), float(args[3]),
         [int(x) for x in args[4].split(",")], float(args[5]),
         float(args[6]) if len(args) > 6 else 3.0)
