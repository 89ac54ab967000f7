"""Static moment of a *normal* observed lead beyond second order: the lead-sum candidate
against the adiabatically switched exact finite model (docs/all_orders.md Sec. 4, "A normal
observed lead beyond second order").

Candidate: ``M_FS + M_eq`` with ``M_FS = rho Tr[sigma Re X^R_ee(0)]`` (the Fermi-surface term
with the full T-matrix at the Fermi level) and ``M_eq`` the lead-sum part (non-zero only for
a finite band).  Exact: :func:`spintunnel.exact.continuum.uniform_band_junction` with a normal
left lead, smooth ramp, static part fitted over 3 periods.  Prints M / a^2.

Usage:  OPENBLAS_NUM_THREADS=1 python benchmarks/study_normal_lead.py EV D A1,A2,.. N1,N2,.. [RAMP]
e.g.    ... 0.8 2 0.1,0.3,0.5 24,32,48 60
A study, not a speed benchmark: not run by ``python -m benchmarks`` (N = 64: 7 min per run).
"""

from __future__ import annotations

import sys
import time

import numpy as np

from spintunnel.exact import evolve, fit_harmonics
from spintunnel.exact.continuum import uniform_band_junction
from spintunnel.floquet import magnetization as _mag
from spintunnel.spin import PAULI

J0 = np.array([[1.0, 0.3 + 0.2j], [-0.1j, 0.5]])
GAPS = (0.0, 1.0)          # normal left (observed) lead, BCS right lead


def candidate(J, V, D, n=16):
    """M_FS + M_eq for the normal left lead (wide band: D = None)."""
    X = _mag._t_matrix_imag(np.array([1e-10]), "L", n, V, GAPS, J, 0.0, D)[0]
    fs = np.array([np.trace(p @ X[:2, :2]).real for p in PAULI]) / np.pi
    return fs + _mag._equilibrium_part("L", n, V, GAPS, 0.0, J, 0.0, D, 128)


def main(V, D, amps, ns, ramp=60.0):
    print(f"second order (a -> 0): {candidate(1e-3 * J0, V, D) / 1e-6}")
    for a in amps:
        print(f"a = {a}: candidate M_FS + M_eq = {candidate(a * J0, V, D) / a**2}", flush=True)
        for n in ns:
            clock = time.perf_counter()
            model = uniform_band_junction(n, D, a * J0, gap_left=GAPS[0], gap_right=GAPS[1],
                                          bias=V, phi0=0.3)
            res = evolve(model, ramp_time=ramp, n_periods=3, samples_per_period=16,
                         max_step=0.25)
            M = np.real(fit_harmonics(res.times, res.magnetization, 2 * V, 3).coefficients[0])
            print(f"  N = {n}: exact M = {M / a**2} ({time.perf_counter() - clock:.0f} s)",
                  flush=True)


if __name__ == "__main__":
    args = sys.argv[1:]
    if len(args) < 4:
        raise SystemExit(__doc__)
    main(float(args[0]), float(args[1]), [float(x) for x in args[2].split(",")],
         [int(x) for x in args[3].split(",")], float(args[4]) if len(args) > 4 else 60.0)
