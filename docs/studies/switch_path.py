"""Does the static moment of a *normal* observed lead depend on how the coupling was switched
on?  (docs/all_orders.md Sec. 4, "A normal observed lead beyond second order".)

The exact finite model (:func:`spintunnel.exact.continuum.uniform_band_junction`, normal left
lead, BCS right lead, eV = 0.8, D = 2, J = a J0) is switched on along one of three paths in
the space of amplitudes, each ending at the same J = a J0:

``scale``  J(t) = g(t) a J0, one smooth ramp of length 2 STAGE;
``diag``   the diagonal part of a J0 first (STAGE), then the off-diagonal part (STAGE);
``off``    the off-diagonal part first, then the diagonal part.

Then it runs 3 periods at full coupling and prints the time average of M_L (M / a^2, with
16 samples per period: the average over whole periods is the static part).  If M_L were a
property of the steady state, the three would agree up to non-adiabatic corrections.

Usage:  OPENBLAS_NUM_THREADS=1 python docs/studies/switch_path.py A N STAGE PATH
e.g.    ... 0.5 80 50 diag     (needs pi N / D > 2 STAGE + 3 periods: N = 80 allows STAGE 50)
A study (N = 80: ~20 min); tests/test_studies_smoke.py runs it at a tiny size.  Public API
only: the steps are fourth-order Magnus steps of ``FiniteJunction.bdg_hamiltonian``.
"""

from __future__ import annotations

import sys
import time

import numpy as np

from spintunnel.exact import ramp_envelope, recurrence_time, uniform_band_junction
from spintunnel.exact.model import magnetization_from_correlation

J0 = np.array([[1.0, 0.3 + 0.2j], [-0.1j, 0.5]])
V, D, PHI0 = 0.8, 2.0, 0.3
GAUSS = np.array([0.5 - np.sqrt(3) / 6, 0.5 + np.sqrt(3) / 6])  # 2-point Gauss-Legendre nodes on [0, 1]


def envelopes(path, stage):
    """(g_diag(t), g_off(t)) on -2 stage < t < 0."""
    total = 2.0 * stage
    if path == "scale":
        g = lambda t: ramp_envelope((t + total) / total)  # noqa: E731
        return g, g
    first = lambda t: ramp_envelope((t + total) / stage)  # noqa: E731
    second = lambda t: ramp_envelope((t + stage) / stage)  # noqa: E731
    if path == "diag":
        return first, second
    if path == "off":
        return second, first
    raise SystemExit(f"PATH must be scale, diag or off, got {path!r}")


def static_moment(a, n, stage, path, max_step=0.25, periods=3, samples=16):
    Jd = np.diag(np.diag(J0))
    kw = dict(gap_left=0.0, gap_right=1.0, bias=V, phi0=PHI0)
    full = uniform_band_junction(n, D, a * J0, **kw)
    diag = uniform_band_junction(n, D, a * Jd, **kw)  # the same leads, J's two parts
    off = uniform_band_junction(n, D, a * (J0 - Jd), **kw)
    H0 = full.lead_hamiltonian_bdg()
    P = 2 * np.pi / V
    if 2 * stage + periods * P > recurrence_time(n, D):
        raise SystemExit(f"2 STAGE + {periods} periods exceeds the recurrence time {recurrence_time(n, D):.1f}")
    gd, go = envelopes(path, stage)

    def step(t, h, g1=None, g2=None):
        hs = []
        for tt in t + h * GAUSS:
            a1 = gd(tt) if g1 is None else g1
            a2 = go(tt) if g2 is None else g2
            hs.append(diag.bdg_hamiltonian(tt, a1) + off.bdg_hamiltonian(tt, a2) - H0)
        H1, H2 = hs
        K = 0.5 * h * (H1 + H2) - 1j * (np.sqrt(3) / 12) * h**2 * (H2 @ H1 - H1 @ H2)
        w, U = np.linalg.eigh(0.5 * (K + K.conj().T))
        return (U * np.exp(-1j * w)) @ U.conj().T

    C = full.thermal_correlation()
    nr = int(np.ceil(2 * stage / max_step))
    h = 2 * stage / nr
    W = np.eye(C.shape[0], dtype=complex)
    for i in range(nr):
        W = step(-2 * stage + i * h, h) @ W
    per = int(np.ceil(P / samples / max_step))
    h = P / (samples * per)
    nl = full.n_left
    M = []
    for j in range(periods * samples):
        Wl = W[:nl]
        M.append(magnetization_from_correlation(full, (Wl @ C @ Wl.conj().T)[:, :nl]).sum(axis=0))
        for i in range(per):
            W = step(j * P / samples + i * h, h, 1.0, 1.0) @ W
    return np.mean(M, axis=0)


if __name__ == "__main__":
    if len(sys.argv) != 5:
        raise SystemExit(__doc__)
    a, n, stage, path = float(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
    clock = time.perf_counter()
    M = static_moment(a, n, stage, path)
    print(
        f"a = {a}, N = {n}, stage = {stage}, path = {path}: M / a^2 = {M / a**2} ({time.perf_counter() - clock:.0f} s)",
        flush=True,
    )
