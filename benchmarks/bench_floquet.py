"""Speed of the all-orders (Floquet-Keldysh) solver, spintunnel.floquet, against its baseline.

Targets (one thread, OPENBLAS_NUM_THREADS=1; issue 19):

1. Currents of a general 2x2 J (dc charge, dc spin vector, harmonics n = 1..4), averaged over
   tau in {0.3, 0.6, 0.95} x eV/Delta in {0.45, 0.8, 1.6, 3.0}, T = 0, tol = 1e-5, for
   J = t 1 (spin-degenerate) and a spin-active J of the same mean transmission:
   <= 25 ms per point (the compiled Fortran code of Cuevas et al., charge only, 2x2 Nambu:
   ~25 ms per dc point).
2. Low bias, many sidebands: tau = 0.99, eV = 0.05 Delta in <= 0.5 s.
3. ``static_magnetization``: <= 0.3 s per point.
4. ``floquet_iv`` of 200 biases (eV = 0.1 ... 3 Delta, tau = 0.9, spin-active J, 4 harmonics):
   <= 5 s.

BASELINE: the solver as it was before issue 19 (commit ``BASELINE_COMMIT``: 4x4 Nambu-spin
chain, 2x2 sub-site recursion vectorised in numpy).  Its modules are read with
``git show`` into a temporary package at run time -- they are not part of the package and
exist only to be timed side by side with the current code in the same process.

Also measured: the first-call compile time of the numba kernels (a subprocess with an empty
``NUMBA_CACHE_DIR``), the cached first call, and the import time of ``spintunnel``.

Run: ``OPENBLAS_NUM_THREADS=1 python -m benchmarks.bench_floquet`` (or via benchmarks/__main__).
"""

from __future__ import annotations

import importlib
import os
import pathlib
import subprocess
import sys
import tempfile
import time
import warnings

import numpy as np

from spintunnel.floquet import floquet_currents, floquet_iv, static_magnetization

BASELINE_COMMIT = "b0463dd"
ROOT = pathlib.Path(__file__).resolve().parent.parent
# spin-active amplitude (all spin components non-zero), rescaled to the transmission
J_SPIN = np.array([[1.0, 0.15 + 0.1j], [-0.1j, 0.85]])  # singular values 1.07, 0.78: mean tau up to 0.95
J0 = np.array([[1.0, 0.3 + 0.2j], [-0.1j, 0.5]])
GRID = [(tau, V) for tau in (0.3, 0.6, 0.95) for V in (0.45, 0.8, 1.6, 3.0)]


def baseline_modules():
    """The baseline floquet package (``git show BASELINE_COMMIT``) as a temporary package;
    None if git or the commit is not available."""
    files = ("__init__", "leads", "sidebands", "quadrature", "solver", "magnetization")
    tmp = pathlib.Path(tempfile.mkdtemp(prefix="spintunnel_baseline_"))
    pkg = tmp / "floquet_baseline"
    pkg.mkdir()
    for f in files:
        try:
            text = subprocess.run(
                ["git", "show", f"{BASELINE_COMMIT}:src/spintunnel/floquet/{f}.py"],
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        except (OSError, subprocess.CalledProcessError):
            return None
        text = text.replace("from ..spin import", "from spintunnel.spin import")
        text = text.replace("from ..leads import", "from spintunnel.leads import")
        (pkg / f"{f}.py").write_text(text)
    sys.path.insert(0, str(tmp))
    return importlib.import_module("floquet_baseline")


def _timed(f, *a, **kw):
    t0 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = f(*a, **kw)
    return time.perf_counter() - t0, r


def _diff(a, b):
    return max(np.abs(a.charge - b.charge).max(), np.abs(a.spin - b.spin).max())


def grid(base):
    """Target 1: per-point times of the new and the baseline solver, and their difference."""
    rows = []
    for tau, V in GRID:
        for name, J in (("t 1", np.eye(2)), ("spin", J_SPIN)):
            kw = dict(bias=V, transmission=tau, tol=1e-5, n_harmonics=4)
            t_new, r = _timed(floquet_currents, J, **kw)
            t_old, o = _timed(base.floquet_currents, J, **kw) if base else (np.nan, None)
            rows.append((tau, V, name, t_new, t_old, r, _diff(r, o) if o else np.nan))
    return rows


def low_bias(base):
    """Target 2: tau = 0.99, eV = 0.05 (spin-degenerate; the spin-active J reaches 0.95)."""
    out = []
    for J, tau in ((np.eye(2), 0.99), (J_SPIN, 0.95)):
        kw = dict(bias=0.05, transmission=tau, tol=1e-5, n_harmonics=4)
        t_new, r = _timed(floquet_currents, J, **kw)
        t_old, o = _timed(base.floquet_currents, J, **kw) if base else (np.nan, None)
        out.append((tau, t_new, t_old, r, _diff(r, o) if o else np.nan))
    return out


def default_amplitude():
    """J of the package's default junction (the built-in run configuration)."""
    from spintunnel.config import load_config
    from spintunnel.junction import junction_from_config
    from spintunnel.units import RESISTANCE_QUANTUM_OHM

    j = junction_from_config(load_config())
    r = floquet_currents(
        j.amplitude,
        bias=j.bias_meV,
        gap_left=j.gap_left_meV,
        gap_right=j.gap_right_meV,
        n_harmonics=1,
        resistance=j.normal_resistance_ohm / RESISTANCE_QUANTUM_OHM,
    )
    return r.params["J"], dict(bias=j.bias_meV, gap_left=j.gap_left_meV, gap_right=j.gap_right_meV)


def magnetization(base):
    """Target 3: static_magnetization, new vs baseline."""
    Jd, kwd = default_amplitude()
    cases = [
        ("default junction", Jd, kwd),
        ("S-S', 0.5 J0, eV = 0.7", 0.5 * J0, dict(bias=0.7, gap_left=1, gap_right=0.8)),
        ("S-N, 0.5 J0, eV = 0.8", 0.5 * J0, dict(bias=0.8, gap_left=1, gap_right=0)),
        ("S-S, 0.3 J0, eV = 0.2", 0.3 * J0, dict(bias=0.2)),
        ("S-S, 0.3 J0, eV = 1.3, D = 5", 0.3 * J0, dict(bias=1.3, band=5.0)),
    ]
    out = []
    for name, J, kw in cases:
        t_new, r = _timed(static_magnetization, J, **kw)
        t_old, o = _timed(base.static_magnetization, J, **kw) if base else (np.nan, None)
        out.append((name, t_new, t_old, np.abs(r.moment - o.moment).max() if o else np.nan, np.abs(r.moment).max()))
    return out


def iv_curve(base, n=200, tau=0.9, vmin=0.1, vmax=3.0, n_base=20):
    """Target 4: a 200-point I-V (charge and spin, 4 harmonics); the baseline on every
    (n // n_base)-th bias, scaled to n points."""
    V = np.linspace(vmin, vmax, n)
    t_new, out = _timed(floquet_iv, V, J_SPIN, transmission=tau, n_harmonics=4, tol=1e-5)
    t_old = np.nan
    if base:
        sub = V[:: n // n_base]
        t_old, _ = _timed(base.floquet_iv, sub, J_SPIN, transmission=tau, n_harmonics=4, tol=1e-5)
        t_old *= n / sub.size
    return t_new, t_old, out


def _subprocess_seconds(code, env=None):
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", **(env or {}))
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT, check=True
    ).stdout
    return [float(x) for x in out.split()]


_FIRST_CALLS = """
import time; t0 = time.perf_counter()
import numpy as np
from spintunnel.floquet import floquet_currents, static_magnetization
t1 = time.perf_counter()
floquet_currents(np.diag([0.6, 0.3]), bias=0.8, n_harmonics=2)
t2 = time.perf_counter()
static_magnetization(np.diag([0.3, 0.1]), bias=0.7)
t3 = time.perf_counter()
print(t1 - t0, t2 - t1, t3 - t2)
"""


def first_calls():
    """(import, first floquet_currents, first static_magnetization) in seconds, with an
    empty numba cache (compile) and with the package's cache (load)."""
    with tempfile.TemporaryDirectory() as d:
        cold = _subprocess_seconds(_FIRST_CALLS, {"NUMBA_CACHE_DIR": d})
    warm = _subprocess_seconds(_FIRST_CALLS)
    imp = min(
        _subprocess_seconds(
            "import time; t0 = time.perf_counter(); import spintunnel; print(time.perf_counter() - t0)"
        )[0]
        for _ in range(3)
    )
    return cold, warm, imp


def main() -> None:
    base = baseline_modules()
    print(
        f"bench_floquet: all-orders solver vs baseline (commit {BASELINE_COMMIT}"
        f"{'' if base else ': NOT AVAILABLE'}), one thread, T = 0, Delta_L = Delta_R = 1"
    )
    floquet_currents(J_SPIN, bias=1.0, transmission=0.5)  # load the compiled kernels
    static_magnetization(0.3 * J0, bias=0.7)

    rows = grid(base)
    print("1) currents, tol = 1e-5, 4 harmonics, charge + spin")
    print(
        f"{'tau':>5} {'eV':>5} {'J':>5} {'new [ms]':>9} {'base [ms]':>10} {'ratio':>6} "
        f"{'nmax':>5} {'energies':>9} {'q.err':>8} {'|new-base|':>10}"
    )
    for tau, V, name, tn, to, r, d in rows:
        print(
            f"{tau:5.2f} {V:5.2f} {name:>5} {1e3 * tn:9.1f} {1e3 * to:10.1f} {to / tn:6.1f} "
            f"{r.nmax:5d} {r.n_energy:9d} {r.quadrature_error:8.1e} {d:10.1e}"
        )
    for name in ("t 1", "spin"):
        tn = np.mean([x[3] for x in rows if x[2] == name])
        to = np.mean([x[4] for x in rows if x[2] == name])
        print(
            f"   mean per point, J = {name}: new {1e3 * tn:.1f} ms, baseline {1e3 * to:.1f} ms, "
            f"ratio {to / tn:.1f} (target <= 25 ms)"
        )

    print("2) low bias, eV = 0.05 Delta, tol = 1e-5")
    for tau, tn, to, r, d in low_bias(base):
        print(
            f"   tau = {tau}: new {tn:.3f} s, baseline {to:.3f} s, ratio {to / tn:.1f}; nmax "
            f"{r.nmax}, {r.n_energy} energies, converged {r.converged}, |new - base| {d:.1e} "
            "(target <= 0.5 s)"
        )

    print("3) static_magnetization (T = 0, tol = 1e-6)")
    for name, tn, to, d, m in magnetization(base):
        print(
            f"   {name:30s} new {tn:.3f} s, baseline {to:.3f} s, ratio {to / tn:5.1f}; "
            f"|M| {m:.3e}, |new - base| {d:.1e} (target <= 0.3 s)"
        )

    t_new, t_old, out = iv_curve(base)
    print(
        f"4) I-V, 200 biases eV = 0.1 ... 3, tau = 0.9, spin-active J, 4 harmonics: new "
        f"{t_new:.2f} s, baseline {t_old:.1f} s (20 biases, scaled), ratio "
        f"{t_old / t_new:.1f}; all converged {bool(out['converged'].all())} (target <= 5 s)"
    )

    cold, warm, imp = first_calls()
    print(
        f"5) first calls in a fresh process: numba compile (empty cache) {cold[1]:.1f} s "
        f"(floquet_currents) + {cold[2]:.1f} s (static_magnetization); with the cache "
        f"{warm[1]:.2f} s + {warm[2]:.2f} s; import spintunnel {imp:.2f} s"
    )


if __name__ == "__main__":
    main()
