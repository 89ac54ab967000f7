"""Speed and accuracy of the channel fit, spintunnel.fit (issue 22).

Target (one core): a 3-channel fit to ~150 points in <= 60 s, table included.  The data are
synthetic, from the all-orders solver directly (not timed): Delta = 0.18 meV, T = 0.1 K,
tau = 0.92, 0.45, 0.12, 150 biases from 0.2 to 3 Delta, 0.3 % noise.  Printed: the fit
(true, fitted, 1 sigma), the time split (table build = solver calls, least squares), the same
fit again from the cached table, and the default table against the solver at 20 random
(eV/Delta, tau) off its nodes.

Run: ``OMP_NUM_THREADS=1 python -m benchmarks.bench_fit [--figure PATH]`` (or via benchmarks/__main__).
"""

from __future__ import annotations

import sys
import time

import numpy as np

from spintunnel.fit import fit_channels
from spintunnel.fit.forward import channel_current
from spintunnel.units import BOLTZMANN_MEV_PER_K, NANOAMPERE_PER_REDUCED_CURRENT

GAP, T_K = 0.18, 0.1
TAUS = (0.92, 0.45, 0.12)
BIASES = np.linspace(0.2, 3.0, 150) * GAP


def synthetic(seed=0):
    """The channel sum from the solver (tol 1e-5), with 0.3 % noise of the largest current (nA)."""
    kT = BOLTZMANN_MEV_PER_K * T_K / GAP
    I = sum(np.array([channel_current(v / GAP, t, kT, 0.0, 1e-5)[0] for v in BIASES]) for t in TAUS)
    I = I * GAP * NANOAMPERE_PER_REDUCED_CURRENT
    return I + 0.003 * np.abs(I).max() * np.random.default_rng(seed).standard_normal(I.size)


def table_accuracy(table, n=20, seed=1):
    """Largest and median |table - solver| / (tau/pi max(eV, Delta)) at random points."""
    rng = np.random.default_rng(seed)
    v = rng.uniform(table.spec.v_min, table.spec.v_max, n)
    tau = rng.uniform(0.02, 1.0, n)
    direct = np.array(
        [
            channel_current(a, b, table.spec.temperature, table.spec.broadening, 1e-6)[0]
            for a, b in zip(v, tau, strict=False)
        ]
    )
    interp = np.array([table.current([a], [b])[0, 0] for a, b in zip(v, tau, strict=False)])
    err = np.abs(interp - direct) / (tau / np.pi * np.maximum(v, 1.0))
    return float(err.max()), float(np.median(err)), float(v[np.argmax(err)]), float(tau[np.argmax(err)])


def main(figure=None) -> None:
    t0 = time.perf_counter()
    current = synthetic()
    print(
        f"bench_fit: synthetic data, {BIASES.size} biases, 3 channels {TAUS} (solver, not timed: "
        f"{time.perf_counter() - t0:.1f} s)"
    )
    t0 = time.perf_counter()
    r = fit_channels(BIASES, current, temperature_K=T_K, gap_meV=GAP, channels=3)
    total = time.perf_counter() - t0
    for t, f, e in zip(TAUS, r.transmissions, r.transmission_errors, strict=False):
        print(f"  tau true {t:.3f}  fitted {f:.4f} +- {e:.4f}  ({(f - t) / e:+.1f} sigma)")
    tb = r.table
    print(
        f"  3-channel fit, {r.bias_mV.size} points: {total:.1f} s (target <= 60 s) = table {r.timings['table_s']:.1f} s "
        f"({tb['solves']} solver calls, {tb['bias_nodes']} bias x {tb['tau_nodes']} tau nodes, "
        f"{r.timings['table_s'] / tb['solves'] * 1e3:.0f} ms each) + least squares {r.timings['least_squares_s']:.2f} s; "
        f"residual RMS {r.residual_rms_nA:.3g} nA, warnings: {r.warnings or 'none'}"
    )
    t0 = time.perf_counter()
    r2 = fit_channels(BIASES, current, temperature_K=T_K, gap_meV=GAP)
    print(
        f"  again from the cached table, N chosen by BIC ({r2.n_channels}; "
        + ", ".join(f"N={k}: {v:.0f}" for k, v in r2.criterion["values"].items())
        + f"): {time.perf_counter() - t0:.2f} s"
    )
    worst, median, v, tau = table_accuracy(r._model.table)
    print(
        f"  default table vs solver at 20 random points: largest error {worst:.1e}, median {median:.1e} of "
        f"tau/pi max(eV, Delta) (largest at eV/Delta = {v:.3f}, tau = {tau:.3f})"
    )
    if figure:
        from spintunnel.fit.plot import fit_figure

        print(f"  figure: {fit_figure(r, figure)}")


if __name__ == "__main__":
    main(sys.argv[sys.argv.index("--figure") + 1] if "--figure" in sys.argv else None)
