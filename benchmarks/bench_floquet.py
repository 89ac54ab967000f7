"""Speed of the all-orders (Floquet-Keldysh) solver, spintunnel.floquet.

Targets (one core): one bias point -- all harmonics, charge and spin -- in <= 1 s for
eV >= 0.1 Delta and transmission <= 0.9; a 200-point I-V with spin current in <= 2 min.
For comparison, a public Python Floquet-Keldysh code reports about 15 s per bias point for
the charge current alone.

Run: ``OMP_NUM_THREADS=1 python -m benchmarks.bench_floquet`` (or via benchmarks/__main__).
"""

from __future__ import annotations

import time

import numpy as np

from spintunnel.floquet import floquet_currents

# spin-active amplitude (all spin components non-zero), rescaled to the transmission
J_SPIN = np.array([[1.0, 0.15 + 0.1j], [-0.1j, 0.85]])  # singular values 1.07, 0.78: mean tau up to 0.97


def _point(bias, tau, **kw):
    t0 = time.perf_counter()
    r = floquet_currents(J_SPIN, bias=bias, transmission=tau, n_harmonics=6, **kw)
    return time.perf_counter() - t0, r


def single_points():
    """Time one bias point over a grid of (eV/Delta, tau); returns rows."""
    _point(1.0, 0.5)  # warm-up (imports, caches)
    rows = []
    for tau in (0.5, 0.9):
        for V in (0.1, 0.2, 0.5, 1.0, 2.5):
            dt, r = _point(V, tau)
            rows.append((V, tau, dt, r.nmax, r.n_sites, r.n_energy, r.converged,
                         r.charge[0].real))
    return rows


def solver_baselines(nE=2000, nmax=(12, 33), V=0.1, tau=0.9):
    """Sideband solve of one source column on nE energies: dense inverse of the whole
    chain (naive baseline, 100 energies only), the 4x4-block recursion, and the 2x2
    sub-site recursion used by the solver; returns (times per energy, max deviation)."""
    from spintunnel.floquet.sidebands import (chain_column, chain_matrices,
                                              dense_chain_matrix, source_column)
    from spintunnel.floquet.solver import channel_transmissions

    s = np.linalg.svd(J_SPIN, compute_uv=False)
    J = J_SPIN / s.max() * 0.6
    E = np.linspace(-2.0, 0.0, nE) + 1e-7 * np.pi   # off the exact gap edges
    t0 = time.perf_counter()
    D, U, _ = chain_matrices(E, "L", nmax, V, (1.0, 1.0), J, 0.0)
    X4 = chain_column(D, U, nmax[0])
    t4 = (time.perf_counter() - t0) / nE
    t0 = time.perf_counter()
    Xe, _, _, _ = source_column(E, "L", nmax, V, (1.0, 1.0), J, 0.0)
    t2 = (time.perf_counter() - t0) / nE
    K = D.shape[1]
    nd = 100
    t0 = time.perf_counter()
    dev = 0.0
    for e in range(nd):
        M = dense_chain_matrix(D[e], U)
        col = np.linalg.solve(M, np.eye(4 * K)[:, 4 * nmax[0]:4 * nmax[0] + 4])
        dev = max(dev, np.abs(col.reshape(K, 4, 4) - X4[e]).max())
    td = (time.perf_counter() - t0) / nd
    dev2 = np.abs(np.moveaxis(Xe, -1, 0) - X4[:, :, :2][..., [2, 3, 0, 1]]).max()
    return dict(sites=K, dense=td, block4=t4, sub2=t2, dev_dense=dev, dev_sub2=dev2,
                transmissions=channel_transmissions(J))


def iv_curve(n=200, tau=0.9, vmin=0.1, vmax=3.0):
    """A 200-point I-V (charge and spin, all harmonics) with timing."""
    V = np.linspace(vmin, vmax, n)
    t0 = time.perf_counter()
    res = [floquet_currents(J_SPIN, bias=v, transmission=tau, n_harmonics=6) for v in V]
    total = time.perf_counter() - t0
    nm = np.array([r.nmax for r in res])
    return total, V, res, nm


def main(iv_points: int = 200) -> None:
    print("bench_floquet: all-orders charge + spin current, 6 harmonics, tol = 1e-4, "
          "T = 0, Delta_L = Delta_R = 1, spin-active J")
    print(f"{'eV/Delta':>9} {'tau':>5} {'time [s]':>9} {'nmax':>5} {'sites':>6} "
          f"{'energies':>9} {'conv':>5} {'I_dc R_n/Delta':>15}")
    worst = 0.0
    for V, tau, dt, nmax, ns, ne, conv, i0 in single_points():
        GN = tau / np.pi  # mean channel transmission tau -> G_N = tau/pi
        print(f"{V:9.2f} {tau:5.2f} {dt:9.3f} {nmax:5d} {ns:6d} {ne:9d} {str(conv):>5} "
              f"{i0 / GN:15.5f}")
        worst = max(worst, dt)
    print(f"slowest single point: {worst:.3f} s (target <= 1 s)")
    b = solver_baselines()
    print(f"sideband solve, one source column, {b['sites']} lead sites, per energy: "
          f"dense inverse (naive) {1e6 * b['dense']:.0f} us | 4x4-block recursion "
          f"{1e6 * b['block4']:.1f} us | 2x2 sub-site recursion {1e6 * b['sub2']:.1f} us; "
          f"max deviation {max(b['dev_dense'], b['dev_sub2']):.1e}")
    total, V, res, nm = iv_curve(n=iv_points)
    print(f"I-V: {iv_points} points, eV/Delta in [{V[0]:.2f}, {V[-1]:.2f}], tau = 0.9: "
          f"{total:.1f} s (target <= 120 s); sidebands nmax from {nm.min()} to {nm.max()}, "
          f"all converged: {all(r.converged for r in res)}")


if __name__ == "__main__":
    main()
