"""Benchmark of the exact solver: wall time per Josephson period against the number of
levels per lead, with the Floquet reuse of the period propagator against the naive
baseline (time-stepping every period), and the real Majorana-basis Magnus step against
the complex Nambu-basis one it replaced (same step, complex eigendecomposition).

Run: ``python -m benchmarks`` (all benchmarks) or ``python benchmarks/bench_exact.py``.
"""

import time

import numpy as np

from spintunnel.exact import FiniteJunction, default_levels, discrete_second_order, evolve
from spintunnel.exact.evolve import _GAUSS, _nambu_from_majorana, _Propagator

N_PERIODS = 20


def _junction(n):
    rng = np.random.default_rng(0)
    blocks = {k: rng.normal(size=(2, 2)) + 1j * rng.normal(size=(2, 2)) for k in ("pp", "pm", "mp", "mm")}
    return FiniteJunction(
        default_levels(n, seed=1),
        default_levels(n, seed=2),
        1.0,
        0.8,
        temperature=0.0,
        bias=0.37,
        phi0=0.3,
        blocks=blocks,
        hopping=0.02 / np.sqrt(n),
    )


def _complex_step(prop, t, h, envelope):
    """Baseline: the same Magnus-4 step in the Nambu basis, complex Hermitian eigensolve."""
    H1, H2 = (prop.hamiltonian(s, envelope(s)) for s in t + h * _GAUSS)
    K = 0.5 * h * (H1 + H2) - 1j * (np.sqrt(3) / 12) * h**2 * (H2 @ H1 - H1 @ H2)
    w, V = np.linalg.eigh(0.5 * (K + K.conj().T))
    return (V * np.exp(-1j * w)) @ V.conj().T


def _step_times(junction, h, n_steps=4):
    """Seconds per step (with its product onto W) of the real and the complex step, and
    the largest deviation of their Nambu-basis unitaries."""
    prop = _Propagator(junction)
    env = lambda t: 0.5  # noqa: E731
    dim = 2 * junction.n_modes
    runs = {
        "real": (lambda t: prop.step(t, h, env), np.eye(dim)),
        "complex": (lambda t: _complex_step(prop, t, h, env), np.eye(dim, dtype=complex)),
    }
    seconds, unitary = {}, {}
    for name, (step, W) in runs.items():
        clock = time.perf_counter()
        for i in range(n_steps):
            W = step(i * h) @ W
        seconds[name] = (time.perf_counter() - clock) / n_steps
        unitary[name] = W
    deviation = np.abs(_nambu_from_majorana(unitary["real"]) - unitary["complex"]).max()
    return seconds["real"], seconds["complex"], deviation


def main(sizes=(4, 8, 16, 32), max_step=0.2, ramp_time=20.0):
    print(
        "exact solver: N levels/lead, Nambu dim, ramp + 1 period + "
        f"{N_PERIODS} periods reused (max_step={max_step}, ramp_time={ramp_time})"
    )
    print(
        f"{'N':>4} {'dim':>5} {'ramp[s]':>8} {'period[s]':>9} {'sample[s]':>9} "
        f"{'total[s]':>8} {'naive[s]':>8} {'2nd order[s]':>12} "
        f"{'step real/complex[ms]':>22} {'ratio':>6} {'deviation':>9}"
    )
    rows = []
    for n in sizes:
        j = _junction(n)
        t = time.perf_counter()
        r = evolve(j, ramp_time=ramp_time, n_periods=N_PERIODS, samples_per_period=16, max_step=max_step)
        total = time.perf_counter() - t
        t = time.perf_counter()
        discrete_second_order(j)
        t2 = time.perf_counter() - t
        tm = r.timings
        naive = tm["ramp"] + N_PERIODS * tm["period"]
        rows.append((n, tm["period"]))
        real, cplx, dev = _step_times(j, max_step)
        print(
            f"{n:>4} {8 * n * 2:>5} {tm['ramp']:>8.2f} {tm['period']:>9.2f} "
            f"{tm['sampling']:>9.2f} {total:>8.2f} {naive:>8.1f} {t2:>12.3f} "
            f"{f'{1e3 * real:.1f} / {1e3 * cplx:.1f}':>22} {cplx / real:>6.2f} {dev:>9.1e}"
        )
    j = _junction(sizes[0])
    coarse = evolve(j, ramp_time=ramp_time, n_periods=4, max_step=max_step).harmonics()
    fine = evolve(j, ramp_time=ramp_time, n_periods=4, max_step=max_step / 4).harmonics()
    so = discrete_second_order(j)
    print(
        f"accuracy at N={sizes[0]}: |M_dc(step {max_step}) - M_dc(step {max_step / 4})| = "
        f"{np.abs(coarse.static - fine.static).max():.1e}, signal {np.abs(fine.static).max():.1e}, "
        f"|exact - 2nd order| = {np.abs(fine.static - so.static).max():.1e}"
    )
    if len(rows) >= 2:
        (n1, p1), (n2, p2) = rows[-2], rows[-1]
        print(
            f"time per period scales as N^{np.log(p2 / p1) / np.log(n2 / n1):.2f} "
            f"between N={n1} and N={n2} (dense eigh/matmul: N^3 asymptotically)"
        )


if __name__ == "__main__":
    main()
