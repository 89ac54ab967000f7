"""The forward model of the fit: the dc current of a spin-degenerate channel, tabulated.

A channel of transmission tau between two equal BCS leads (gap Delta, temperature T, Dynes
broadening Gamma) carries the dc current (CMRLY; the all-orders solver
:func:`spintunnel.floquet.floquet_currents` with J = t 1, gap 1)::

    I(V; tau) = (e Delta / hbar) y(eV/Delta; tau),      y = charge[0] of the solver at gap 1,

so ``I [nA] = Delta[meV] y NANOAMPERE_PER_REDUCED_CURRENT`` (:mod:`spintunnel.units`).
A contact of independent channels carries ``Sum_i I(V; tau_i)`` (docs/junction.md).

The solver is called in one place, :func:`channel_current`.  The fit needs y at many
(v, tau), so y is tabulated once per (T/Delta, Gamma/Delta) and interpolated, the PIN-code
way (Scheer et al., PRL 78, 3535 (1997)):

* tau: Chebyshev-Lobatto nodes on [0, 1] (``n_tau`` below v = 1/2, ``n_tau_high`` above;
  y(v, 0) = 0 needs no solve), barycentric polynomial interpolation.  y is analytic in tau
  on [0, 1); the convergence is slowest at low v and tau -> 1 (docs/fit.md).
* v = eV/Delta: piecewise, with breakpoints at the onsets v = 2/n (n = 1..``n_onsets``) of
  the n-th multiple Andreev reflection, where y has steps at small tau (at T > 0 too:
  the quasiparticle step at 2 Delta is a jump for any T < T_c); Chebyshev-Lobatto nodes
  in each piece (``v_nodes`` width^0.35), inset by :data:`ONSET_INSET` from an onset,
  barycentric interpolation.

The table is cached in memory per :class:`TableSpec` (a second fit at the same T/Delta and
Gamma/Delta reuses it).
"""

from __future__ import annotations

import math
import time
import warnings
from dataclasses import dataclass

import numpy as np

__all__ = ["TableSpec", "ChannelTable", "COARSE", "channel_current", "channel_table", "lobatto", "barycentric_matrix"]

#: Nodes next to an onset 2/n sit this far (in eV/Delta) from it, on either side.
ONSET_INSET = 1e-4


def channel_current(v: float, tau: float, temperature: float, broadening: float, tol: float) -> tuple[float, bool]:
    """y(v; tau): the dc particle current of one spin-degenerate channel in units of
    e Delta/hbar, and whether the solver converged.

    Parameters
    ----------
    v : float
        eV/Delta > 0.
    tau : float
        Transmission in (0, 1] (both spin channels).
    temperature, broadening : float
        k_B T/Delta and Gamma/Delta (>= 0).
    tol : float
        Tolerance of :func:`spintunnel.floquet.floquet_currents` (relative to G_N max(eV, Delta)).
    """
    from ..floquet import floquet_currents

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # non-convergence is returned, and counted by the table
        r = floquet_currents(
            np.eye(2),
            bias=float(v),
            gap_left=1.0,
            gap_right=1.0,
            temperature=float(temperature),
            broadening=float(broadening),
            transmission=float(tau),
            n_harmonics=0,
            tol=tol,
        )
    return float(r.charge[0].real), bool(r.converged)


def lobatto(a: float, b: float, m: int) -> np.ndarray:
    """m >= 2 Chebyshev-Lobatto nodes on [a, b], increasing, ends included."""
    k = np.arange(m)
    return a + (b - a) * 0.5 * (1 - np.cos(np.pi * k / (m - 1)))


def barycentric_matrix(x, nodes) -> np.ndarray:
    """L (len(x), len(nodes)) with ``p(x) = L @ p(nodes)`` for the polynomial through the
    Chebyshev-Lobatto ``nodes`` (barycentric weights (-1)^j, halved at the ends)."""
    x = np.asarray(x, dtype=float).reshape(-1)
    m = len(nodes)
    w = (-1.0) ** np.arange(m)
    w[0] *= 0.5
    w[-1] *= 0.5
    d = x[:, None] - nodes[None, :]
    exact = d == 0
    d[exact] = 1.0
    L = w[None, :] / d
    L /= L.sum(axis=1, keepdims=True)
    rows = exact.any(axis=1)
    L[rows] = exact[rows].astype(float)
    return L


@dataclass(frozen=True)
class TableSpec:
    """What a table covers and how finely.

    Attributes
    ----------
    temperature, broadening : float
        k_B T/Delta and Gamma/Delta.
    v_min, v_max : float
        The range of eV/Delta (0 < v_min < v_max).
    n_tau : int
        Chebyshev-Lobatto nodes in tau on [0, 1] below eV = Delta/2 (high-order multiple
        Andreev reflection: y converges slowest in tau there).
    n_tau_high : int
        The same at and above eV = Delta/2.
    v_nodes : int
        Nodes in a piece of width 1 in eV/Delta; a piece of width w has
        ``max(7, ceil(v_nodes w^0.35))`` (the onset singularities converge slowly: docs/fit.md).
    n_onsets : int
        Breakpoints at the onsets 2/n, n = 1..n_onsets (below 2/n_onsets one smooth piece).
    tol : float
        Solver tolerance of each node.
    """

    temperature: float
    broadening: float
    v_min: float
    v_max: float
    n_tau: int = 13
    n_tau_high: int = 9
    v_nodes: int = 17
    n_onsets: int = 6
    tol: float = 3e-4

    def __post_init__(self):
        if not (0 < self.v_min < self.v_max and math.isfinite(self.v_max)):
            raise ValueError(f"table range must satisfy 0 < v_min < v_max, got {self.v_min}, {self.v_max}")
        if self.temperature < 0 or self.broadening < 0:
            raise ValueError("temperature and broadening must be >= 0")
        if min(self.n_tau, self.n_tau_high) < 3 or self.n_onsets < 1 or self.v_nodes < 2:
            raise ValueError("n_tau, n_tau_high >= 3, n_onsets >= 1 and v_nodes >= 2 are needed")

    def pieces(self) -> list[tuple[float, float, np.ndarray, np.ndarray]]:
        """[(left, right, v nodes, tau nodes)]: the pieces of [v_min, v_max] and their nodes."""
        onsets = [2.0 / n for n in range(1, self.n_onsets + 1) if self.v_min < 2.0 / n < self.v_max]
        edges = sorted([self.v_min, self.v_max] + onsets)
        out = []
        for a, b in zip(edges[:-1], edges[1:], strict=False):
            lo = a + (ONSET_INSET if a in onsets else 0.0)
            hi = b - (ONSET_INSET if b in onsets else 0.0)
            m = max(7, int(math.ceil(self.v_nodes * (b - a) ** 0.35)))
            taus = lobatto(0.0, 1.0, self.n_tau_high if a >= 0.5 - 1e-12 else self.n_tau)
            out.append((a, b, lobatto(lo, hi, m), taus))
        return out


class ChannelTable:
    """y(v; tau) of one spin-degenerate channel on the nodes of a :class:`TableSpec`
    (module docstring); :meth:`current` interpolates it.

    Attributes
    ----------
    spec : TableSpec
    pieces : list of (left, right, v nodes, tau nodes)
    values : list of ndarray (m_piece, n_tau_piece)
        y at the nodes of each piece.
    build_seconds : float
        Time spent in the solver.
    solves : int
        Solver calls.
    unconverged : int
        Nodes where the solver did not reach its tolerance.
    """

    def __init__(self, spec: TableSpec, workers: int = 1):
        self.spec = spec
        self.pieces = spec.pieces()
        jobs = [(float(v), float(t)) for _, _, vs, ts in self.pieces for v in vs for t in ts[1:]]
        t0 = time.perf_counter()
        results = _run(jobs, spec, workers)
        self.build_seconds = time.perf_counter() - t0
        self.solves = len(jobs)
        self.unconverged = sum(not ok for _, ok in results)
        y = iter(r for r, _ in results)
        self.values = []
        for _, _, vs, ts in self.pieces:
            block = np.zeros((vs.size, ts.size))  # y(v, tau = 0) = 0
            for i in range(vs.size):
                for k in range(1, ts.size):
                    block[i, k] = next(y)
            self.values.append(block)

    def current(self, v, taus) -> np.ndarray:
        """y (len(v), len(taus)) in units of e Delta/hbar at eV/Delta = v for each tau."""
        v = np.asarray(v, dtype=float).reshape(-1)
        taus = np.clip(np.atleast_1d(np.asarray(taus, dtype=float)), 0.0, 1.0)
        lo, hi = self.spec.v_min, self.spec.v_max
        if np.any(v < lo * (1 - 1e-9)) or np.any(v > hi * (1 + 1e-9)):
            bad = v[(v < lo * (1 - 1e-9)) | (v > hi * (1 + 1e-9))]
            raise ValueError(f"eV/Delta = {bad[:3].tolist()} outside the table [{lo:g}, {hi:g}]")
        out = np.empty((v.size, taus.size))
        last = len(self.pieces) - 1
        for k, (a, b, vs, ts) in enumerate(self.pieces):
            sel = ((v >= a) | (k == 0)) & ((v < b) | (k == last))
            if sel.any():
                out[sel] = barycentric_matrix(v[sel], vs) @ self.values[k] @ barycentric_matrix(taus, ts).T
        return out

    def summary(self) -> dict:
        return {
            "temperature_over_gap": self.spec.temperature,
            "broadening_over_gap": self.spec.broadening,
            "bias_range_over_gap": [self.spec.v_min, self.spec.v_max],
            "tau_nodes": [int(self.spec.n_tau), int(self.spec.n_tau_high)],
            "bias_nodes": int(sum(p[2].size for p in self.pieces)),
            "solves": self.solves,
            "unconverged_nodes": self.unconverged,
            "build_seconds": self.build_seconds,
        }


def _node(args):
    (v, t), spec = args
    return channel_current(v, t, spec.temperature, spec.broadening, spec.tol)


def _run(jobs, spec, workers):
    if workers <= 1 or len(jobs) < 2 * workers:
        return [_node((j, spec)) for j in jobs]
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(_node, [(j, spec) for j in jobs], chunksize=max(1, len(jobs) // (8 * workers))))


#: Table options for quick looks and tests: about 2.5x fewer solves than the default, interpolation
#: errors up to ~1e-3 of a channel's high-bias current (docs/fit.md).
COARSE = {"n_tau": 9, "n_tau_high": 7, "v_nodes": 9, "n_onsets": 4, "tol": 1e-3}

_CACHE: dict = {}


def channel_table(spec: TableSpec, workers: int = 1) -> ChannelTable:
    """The table of ``spec``, built once per process (cached)."""
    if spec not in _CACHE:
        _CACHE[spec] = ChannelTable(spec, workers)
    return _CACHE[spec]
