"""Fit the channel transmissions of a point contact to its measured I-V (docs/fit.md).

Model (independent spin-degenerate channels between equal BCS leads, :mod:`.forward`)::

    I(V) = Delta Sum_i y((V - I R_s)/Delta; tau_i) x NANOAMPERE_PER_REDUCED_CURRENT   [nA],

with the transmissions tau_i (i = 1..N), the gap Delta (given, from T_c, or fitted), an
optional series resistance R_s (the junction sees V - I R_s; the measured I is used there,
an errors-in-variables approximation good while I R_s errors are below the bias step) and
a Dynes broadening Gamma (an input, or the best of a scan of given values).  The temperature is the measurement's.

Least squares (``scipy.optimize.least_squares``, trust region with bounds) of the residuals
``(I_model - I)/sigma`` with sigma the given current errors, or 1 (then the noise is the
residual RMS and the covariance is scaled by chi^2/dof).  Several starts per N; the number
of channels, when not given, by the Bayesian information criterion
``BIC = n ln(RSS/n) + k ln n`` (``chi^2 + k ln n`` with known errors).  Uncertainties:
``C = (J^T J)^-1`` (x chi^2/dof without given errors) from the Jacobian J at the optimum;
a residual bootstrap on request.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.optimize import least_squares

from ..units import BOLTZMANN_MEV_PER_K, NANOAMPERE_PER_REDUCED_CURRENT, RESISTANCE_QUANTUM_OHM
from .forward import TableSpec, channel_table
from .io import DataError, IVData, check_enough_points, iv_data

__all__ = ["FitResult", "fit_channels", "fit_iv", "broadening_error", "ILL_CONDITIONING"]

#: Thresholds of the ill-conditioning warnings (docs/fit.md).
ILL_CONDITIONING = {"correlation": 0.95, "small_transmission": 0.05, "relative_error": 0.5}
#: Range of a fitted gap around its first estimate (relative).
GAP_RANGE = 0.2
#: Rebuild the table (its T/Delta, Gamma/Delta) when the fitted gap moved by more than this.
GAP_REBUILD = 0.02
#: Largest fitted series resistance, in units of the high-bias resistance of the data.
RS_MAX_OVER_RN = 0.2
#: Bounds of a transmission in the fit.
TAU_BOUNDS = (1e-4, 1.0)
#: Volts per (nA x Ohm), in mV.
_MV_PER_NA_OHM = 1e-6


@dataclass
class FitResult:
    """The fitted contact and how well it is determined (all in lab units).

    Attributes
    ----------
    transmissions : ndarray (N,)
        tau_i, descending.
    transmission_errors : ndarray (N,)
        1 sigma from the Jacobian.
    covariance : ndarray (P, P)
        Of the parameters ``names`` (tau_1..tau_N, then ``gap_meV``, ``series_resistance_ohm``
        where fitted).
    names : list of str
    gap_meV, gap_error_meV : float
        Delta used (fitted, given or from T_c) and its 1 sigma (0 unless fitted).
    gap_source : str
        "fitted", "given" or "from T_c".
    series_resistance_ohm, series_resistance_error_ohm : float
    broadening_meV, temperature_K : float
        Inputs (a Dynes broadening given as a list of values: the best of the scan).
    broadening_scan : dict or None
        Gamma (meV) -> RSS of each scanned value; ``broadening_error_meV`` its 1 sigma (parabola).
    normal_resistance_ohm, normal_resistance_error_ohm : float
        ``R_n = pi R_Q / Sum tau_i`` and its 1 sigma.
    chi2 : float
        ``Sum ((I_model - I)/sigma)^2``, sigma the given errors or the residual RMS.
    dof : int
    residual_rms_nA : float
    noise : str
        "given" (current errors) or "residual RMS".
    criterion : dict
        N -> BIC of each number of channels tried; ``channels_chosen_by``.
    ill_conditioned : bool
    warnings : list of str
    bias_mV, current_nA, model_nA : ndarray (n,)
        The fitted points and the model there.
    channel_currents_nA : ndarray (N, n)
        Each channel's current at the fitted points.
    bootstrap_errors : ndarray (N,) or None
    data : IVData
    excluded_points : int
        Points below ``min_bias_over_gap`` Delta, not fitted.
    table : dict
        The table's spec and build time.
    timings : dict
        Seconds: table build, least squares, bootstrap.
    """

    transmissions: np.ndarray
    transmission_errors: np.ndarray
    covariance: np.ndarray
    names: list
    gap_meV: float
    gap_error_meV: float
    gap_source: str
    series_resistance_ohm: float
    series_resistance_error_ohm: float
    broadening_meV: float
    temperature_K: float
    normal_resistance_ohm: float
    normal_resistance_error_ohm: float
    chi2: float
    dof: int
    residual_rms_nA: float
    noise: str
    criterion: dict
    ill_conditioned: bool
    warnings: list
    bias_mV: np.ndarray
    current_nA: np.ndarray
    model_nA: np.ndarray
    channel_currents_nA: np.ndarray
    data: IVData
    excluded_points: int
    table: dict
    timings: dict = field(default_factory=dict)
    bootstrap_errors: np.ndarray | None = None
    broadening_scan: dict | None = None
    broadening_error_meV: float = 0.0
    _model: Any = field(default=None, repr=False)

    @property
    def n_channels(self) -> int:
        return int(self.transmissions.size)

    @property
    def transmission_covariance(self) -> np.ndarray:
        """(N, N) covariance of the (descending) transmissions."""
        n = self.n_channels
        return self.covariance[:n, :n]

    def channel_current_nA(self, bias_mV) -> np.ndarray:
        """(N, len(bias)) each fitted channel's current (nA) at the junction biases (mV) inside
        the table's range."""
        return self._model.channels(np.asarray(bias_mV, dtype=float), self.transmissions, self.gap_meV)

    def to_dict(self) -> dict:
        """Plain JSON-able summary (docs/fit.md lists the keys)."""

        def f(x):
            return None if x is None or not math.isfinite(x) else float(x)

        return {
            "transmissions": [float(t) for t in self.transmissions],
            "transmission_errors": [f(e) for e in self.transmission_errors],
            "transmission_bootstrap_errors": None
            if self.bootstrap_errors is None
            else [f(e) for e in self.bootstrap_errors],
            "n_channels": self.n_channels,
            "parameters": list(self.names),
            "covariance": [[f(x) for x in row] for row in self.covariance],
            "gap_meV": self.gap_meV,
            "gap_error_meV": f(self.gap_error_meV),
            "gap_source": self.gap_source,
            "series_resistance_ohm": self.series_resistance_ohm,
            "series_resistance_error_ohm": f(self.series_resistance_error_ohm),
            "broadening_meV": self.broadening_meV,
            "broadening_error_meV": f(self.broadening_error_meV),
            "broadening_scan": None
            if self.broadening_scan is None
            else {str(k): v for k, v in self.broadening_scan.items()},
            "temperature_K": self.temperature_K,
            "normal_resistance_ohm": self.normal_resistance_ohm,
            "normal_resistance_error_ohm": f(self.normal_resistance_error_ohm),
            "chi2": self.chi2,
            "dof": self.dof,
            "reduced_chi2": self.chi2 / max(self.dof, 1),
            "residual_rms_nA": self.residual_rms_nA,
            "noise": self.noise,
            "criterion": self.criterion,
            "ill_conditioned": self.ill_conditioned,
            "warnings": list(self.warnings),
            "points_fitted": int(self.bias_mV.size),
            "points_excluded_below_min_bias": self.excluded_points,
            "data": self.data.to_dict(),
            "table": self.table,
            "timings_s": self.timings,
        }


class _Model:
    """I(V) of the channel sum at one table (the fit's forward model)."""

    def __init__(self, table):
        self.table = table

    def channels(self, v_junction_mV, taus, gap):
        """(N, n) channel currents in nA at the junction biases (mV)."""
        y = self.table.current(np.asarray(v_junction_mV) / gap, taus)  # (n, N)
        return (gap * NANOAMPERE_PER_REDUCED_CURRENT) * y.T

    def total(self, V, I, taus, gap, rs):
        return self.channels(V - _MV_PER_NA_OHM * rs * I, taus, gap).sum(axis=0)


def _gap_estimate(V, I) -> float:
    """Delta from the largest maximum of dI/dV above a third of the largest bias (the
    quasiparticle onset at eV = 2 Delta), mV -> meV."""
    G = np.gradient(I, V)
    sel = V > V.max() / 3
    if sel.sum() < 3:
        raise DataError("the gap cannot be estimated from these biases: give --gap-meV or --tc-K")
    k = np.flatnonzero(sel)[np.argmax(G[sel])]
    return 0.5 * V[k]


def _starts(total, n):
    """Starting transmissions with the sum ``total``: geometric, equal, one dominant."""
    starts = []
    for shape in (0.5 ** np.arange(n), np.ones(n), np.r_[1.0, np.full(n - 1, 0.15)] if n > 1 else np.ones(1)):
        t = total * shape / shape.sum()
        starts.append(np.clip(t, 0.02, 0.98))
    return starts


def fit_iv(
    data: IVData,
    *,
    temperature_K: float,
    channels: int | None = None,
    max_channels: int = 4,
    gap_meV: float | None = None,
    tc_K: float | None = None,
    broadening_meV: float | list[float] = 0.0,
    fit_series_resistance: bool = False,
    series_resistance_ohm: float = 0.0,
    min_bias_over_gap: float = 0.2,
    bootstrap: int = 0,
    seed: int = 0,
    table_options: dict | None = None,
    workers: int = 1,
) -> FitResult:
    """Fit an :class:`~.io.IVData` (see :func:`fit_channels` for the parameters)."""
    from ..leads import GAP_RATIO_WEAK_COUPLING, bcs_gap_meV

    if not (math.isfinite(temperature_K) and temperature_K >= 0):
        raise ValueError(f"temperature_K must be finite and >= 0, got {temperature_K!r}")
    if gap_meV is not None and tc_K is not None:
        raise ValueError("give the gap or T_c, not both")
    if channels is not None and not (isinstance(channels, (int, np.integer)) and 1 <= channels <= 8):
        raise ValueError(f"channels must be an integer in 1..8, got {channels!r}")
    if not (isinstance(max_channels, (int, np.integer)) and 1 <= max_channels <= 8):
        raise ValueError(f"max_channels must be an integer in 1..8, got {max_channels!r}")
    broadening = np.atleast_1d(np.asarray(broadening_meV, dtype=float))
    if (
        broadening.ndim != 1
        or not np.all(np.isfinite(broadening))
        or np.any(broadening < 0)
        or np.unique(broadening).size != broadening.size
    ):
        raise ValueError(
            f"broadening_meV must be one value >= 0 or a list of distinct values >= 0, got {broadening_meV!r}"
        )
    if not (math.isfinite(series_resistance_ohm) and series_resistance_ohm >= 0):
        raise ValueError(f"series_resistance_ohm must be >= 0, got {series_resistance_ohm!r}")
    if not (0.05 <= min_bias_over_gap < 2):
        raise ValueError(f"min_bias_over_gap must lie in [0.05, 2), got {min_bias_over_gap!r}")
    if gap_meV is not None:
        if not (math.isfinite(gap_meV) and gap_meV > 0):
            raise ValueError(f"gap_meV must be positive, got {gap_meV!r}")
        gap0, source = float(gap_meV), "given"
    elif tc_K is not None:
        if not (math.isfinite(tc_K) and tc_K > temperature_K):
            raise ValueError(f"tc_K must exceed the temperature, got {tc_K!r}")
        gap0, source = bcs_gap_meV(temperature_K, GAP_RATIO_WEAK_COUPLING * BOLTZMANN_MEV_PER_K * tc_K), "from T_c"
    else:
        gap0, source = _gap_estimate(data.bias_mV, data.current_nA), "fitted"
    fit_gap = source == "fitted"
    counts = [channels] if channels is not None else list(range(1, max_channels + 1))
    extra = int(fit_gap) + int(fit_series_resistance)
    check_enough_points(data, max(counts) + extra)
    warnings_out = []
    timings = {"table_s": 0.0, "least_squares_s": 0.0, "bootstrap_s": 0.0}
    scan = {}
    best = None
    for gamma in np.sort(broadening):
        g0 = gap0
        for _ in range(3):
            res = _fit_at(
                data,
                g0,
                fit_gap,
                temperature_K,
                float(gamma),
                fit_series_resistance,
                series_resistance_ohm,
                min_bias_over_gap,
                counts,
                table_options or {},
                workers,
                timings,
            )
            if not fit_gap or abs(res["gap"] / g0 - 1) <= GAP_REBUILD:
                break
            g0 = res["gap"]  # the table's T/Delta and Gamma/Delta follow the fitted gap
        else:
            warnings_out.append(f"the fitted gap still moved by more than {GAP_REBUILD:.0%} after 3 tables")
        scan[float(gamma)] = (res["criterion"][res["n"]], 2.0 * res["r"].cost, res["r"].x.size)
        if best is None or scan[float(gamma)][0] < best[0]:
            best = (scan[float(gamma)][0], float(gamma), res)
    assert best is not None  # broadening has at least one value (checked above)
    _, gamma, res = best
    out = _result(data, res, source, temperature_K, gamma, warnings_out, timings, bootstrap, seed)
    if broadening.size > 1:
        out.broadening_scan = {g: float(v[1]) for g, v in scan.items()}
        out.broadening_error_meV, note = broadening_error(scan, gamma, res["V"].size, data.current_error_nA is not None)
        if note:
            out.warnings.append(note)
    return out


def broadening_error(scan: dict, best: float, n_points: int, known_noise: bool) -> tuple[float, str | None]:
    """1 sigma of the Dynes broadening from a scan: a parabola through chi^2 at the best value
    and its two neighbours, ``chi^2 = a (Gamma - Gamma_0)^2 + c``, sigma = 1/sqrt(a) (chi^2
    = RSS/s^2 with s^2 = RSS_min/dof when the noise is not given).  NaN with a note where the
    best value is at an end of the scan or the parabola opens downwards.

    Parameters
    ----------
    scan : dict
        Gamma (meV) -> (criterion, RSS, number of fit parameters).
    """
    g = sorted(scan)
    k = g.index(best)
    if k == 0 or k == len(g) - 1:
        return math.nan, (
            f"the best Dynes broadening {best:g} meV is at an end of the scanned values "
            f"{g[0]:g}..{g[-1]:g} meV: widen the scan"
        )
    x = np.array(g[k - 1 : k + 2])
    rss = np.array([scan[v][1] for v in x])
    scale = 1.0 if known_noise else scan[best][1] / max(n_points - scan[best][2], 1)
    a = np.polyfit(x, rss / scale, 2)[0]
    if a <= 0:
        return math.nan, "the chi^2 of the Dynes scan has no minimum: its error is not given"
    return float(1.0 / math.sqrt(a)), None


def _fit_at(data, gap0, fit_gap, T_K, broadening_meV, fit_rs, rs0, min_v, counts, table_options, workers, timings):
    V_all, I_all = data.bias_mV, data.current_nA
    use = V_all >= min_v * gap0
    V, I = V_all[use], I_all[use]
    if V.size < max(5, 2 * (max(counts) + int(fit_gap) + int(fit_rs)) + 1):
        raise DataError(
            f"{data.source}: only {V.size} points above {min_v:g} Delta = {min_v * gap0:.4g} mV; too few for the fit"
        )
    sigma = np.ones(V.size) if data.current_error_nA is None else data.current_error_nA[use]
    lo, hi = (gap0 * (1 - GAP_RANGE), gap0 * (1 + GAP_RANGE)) if fit_gap else (gap0, gap0)
    G_hi = _high_bias_conductance(V, I, gap0)
    total = G_hi * math.pi * RESISTANCE_QUANTUM_OHM * 1e-6  # Sum tau = pi R_Q G, G in nA/mV = 1e-6 S
    rs_max = RS_MAX_OVER_RN / G_hi * 1e6 if fit_rs else rs0  # Ohm (G_hi in nA/mV = 1e-6 S)
    v_lo = float(np.min(V - _MV_PER_NA_OHM * max(rs_max, rs0) * I)) / hi
    if v_lo < 0.05:
        raise DataError(
            f"the lowest junction bias would be eV/Delta = {v_lo:.3g} (below 0.05; with the series "
            "resistance V - I R_s): raise --min-bias-over-gap or fix the series resistance"
        )
    spec = TableSpec(
        temperature=BOLTZMANN_MEV_PER_K * T_K / gap0,
        broadening=broadening_meV / gap0,
        v_min=0.98 * min(v_lo, min_v),
        v_max=1.02 * V.max() / lo,
        **table_options,
    )
    t0 = time.perf_counter()
    table = channel_table(spec, workers)
    timings["table_s"] += time.perf_counter() - t0
    model = _Model(table)
    t0 = time.perf_counter()
    best_per_n, criterion = {}, {}
    for n in counts:
        best = None
        for start in _starts(total, n):
            resid = _residuals(model, V, I, sigma, n, fit_gap, gap0, fit_rs, rs0)
            for g in (0.95 * gap0, gap0, 1.05 * gap0) if fit_gap else (gap0,):
                p0 = list(start) + ([g] if fit_gap else []) + ([0.1 * rs_max] if fit_rs else [])
                r = least_squares(
                    resid,
                    p0,
                    bounds=_bounds(n, fit_gap, (lo, hi), fit_rs, rs_max),
                    x_scale="jac",
                    method="trf",
                    jac="3-point",
                    xtol=1e-10,
                    ftol=1e-12,
                    gtol=1e-12,
                    max_nfev=400,
                )
                if best is None or r.cost < best.cost:
                    best = r
        r = best
        rss = 2.0 * r.cost
        k = r.x.size
        nobs = V.size
        bic = (rss if data.current_error_nA is not None else nobs * math.log(max(rss, 1e-300) / nobs)) + k * math.log(
            nobs
        )
        criterion[n] = bic
        best_per_n[n] = r
    timings["least_squares_s"] += time.perf_counter() - t0
    n = min(criterion, key=criterion.get)
    r = best_per_n[n]
    gap = r.x[n] if fit_gap else gap0
    rs = r.x[-1] if fit_rs else rs0
    return dict(
        n=n,
        r=r,
        gap=gap,
        rs=rs,
        V=V,
        I=I,
        sigma=sigma,
        model=model,
        table=table,
        criterion=criterion,
        fit_gap=fit_gap,
        fit_rs=fit_rs,
        excluded=int((~use).sum()),
        chosen=len(counts) > 1,
        gap_bounds=(lo, hi),
        rs_max=rs_max,
    )


def _high_bias_conductance(V, I, gap):
    """Slope dI/dV (nA/mV) of the points above 2.5 Delta (Ohmic part), else I/V at the top."""
    sel = V > 2.5 * gap
    if sel.sum() >= 3:
        return float(np.polyfit(V[sel], I[sel], 1)[0])
    return float(I[-1] / V[-1])


def _covariance(r, dof, known_noise):
    J = r.jac
    JTJ = J.T @ J
    cov = np.linalg.pinv(JTJ, rcond=1e-13, hermitian=True)
    if not known_noise:
        cov = cov * (2.0 * r.cost / max(dof, 1))
    cond = float(np.linalg.cond(JTJ)) if np.all(np.isfinite(JTJ)) else math.inf
    return cov, cond


def _result(data, res, source, T_K, broadening_meV, warnings_out, timings, bootstrap, seed):
    r, n, V, I, sigma, model = res["r"], res["n"], res["V"], res["I"], res["sigma"], res["model"]
    known = data.current_error_nA is not None
    dof = V.size - r.x.size
    cov, cond = _covariance(r, dof, known)
    names = (
        [f"tau_{i + 1}" for i in range(n)]
        + (["gap_meV"] if res["fit_gap"] else [])
        + (["series_resistance_ohm"] if res["fit_rs"] else [])
    )
    order = np.argsort(-r.x[:n])
    perm = np.r_[order, np.arange(n, r.x.size)]
    x = r.x[perm]
    cov = cov[np.ix_(perm, perm)]
    taus = x[:n]
    err = np.sqrt(np.clip(np.diag(cov), 0, None))
    gap, rs = res["gap"], res["rs"]
    model_I = model.total(V, I, taus, gap, rs)
    chans = model.channels(V - _MV_PER_NA_OHM * rs * I, taus, gap)
    resid = model_I - I
    rms = float(np.sqrt(np.mean(resid**2)))
    chi2 = float(np.sum((resid / sigma) ** 2)) if known else float(dof)
    total = float(taus.sum())
    rn = math.pi * RESISTANCE_QUANTUM_OHM / total
    var_sum = float(np.sum(cov[:n, :n]))
    rn_err = rn * math.sqrt(max(var_sum, 0.0)) / total
    flags = _ill_conditioning(taus, err[:n], cov[:n, :n], cond)
    if res["fit_gap"]:
        lo, hi = res["gap_bounds"]
        if min(gap - lo, hi - gap) < 1e-3 * gap:
            flags.append(
                f"the fitted gap {gap:.4g} meV is at the edge of its range [{lo:.4g}, {hi:.4g}] meV: give "
                "--gap-meV or --tc-K"
            )
    for i, t in enumerate(taus):
        if t >= TAU_BOUNDS[1] - 1e-9:
            flags.append(f"channel {i + 1} sits at tau = 1, the bound: its error is not meaningful")
    if res["table"].unconverged:
        warnings_out.append(f"{res['table'].unconverged} table nodes did not reach the solver tolerance")
    if res["excluded"]:
        warnings_out.append(f"{res['excluded']} points below the lowest fitted bias were left out")
    summary = dict(res["table"].summary(), built_in_this_fit=timings["table_s"] > 0.5 * res["table"].build_seconds)
    criterion = {
        "name": "BIC" + (" (chi^2 + k ln n)" if known else " (n ln(RSS/n) + k ln n)"),
        "values": {str(k): float(v) for k, v in res["criterion"].items()},
        "channels_chosen_by": "criterion" if res["chosen"] else "given",
    }
    out = FitResult(
        transmissions=taus,
        transmission_errors=err[:n],
        covariance=cov,
        names=names,
        gap_meV=float(gap),
        gap_error_meV=float(err[n]) if res["fit_gap"] else 0.0,
        gap_source=source,
        series_resistance_ohm=float(rs),
        series_resistance_error_ohm=float(err[-1]) if res["fit_rs"] else 0.0,
        broadening_meV=float(broadening_meV),
        temperature_K=float(T_K),
        normal_resistance_ohm=rn,
        normal_resistance_error_ohm=rn_err,
        chi2=chi2,
        dof=dof,
        residual_rms_nA=rms,
        noise="given" if known else "residual RMS",
        criterion=criterion,
        ill_conditioned=bool(flags),
        warnings=flags + warnings_out,
        bias_mV=V,
        current_nA=I,
        model_nA=model_I,
        channel_currents_nA=chans,
        data=data,
        excluded_points=res["excluded"],
        table=summary,
        timings=timings,
        _model=model,
    )
    if bootstrap:
        t0 = time.perf_counter()
        out.bootstrap_errors = _bootstrap(res, resid, bootstrap, seed)
        timings["bootstrap_s"] = time.perf_counter() - t0
    return out


def _ill_conditioning(taus, err, cov, cond) -> list[str]:
    """Warning lines where the transmissions are poorly determined (docs/fit.md)."""
    th = ILL_CONDITIONING
    out = []
    d = np.sqrt(np.clip(np.diag(cov), 1e-300, None))
    corr = cov / np.outer(d, d)
    n = taus.size
    for i in range(n):
        for j in range(i + 1, n):
            if abs(corr[i, j]) > th["correlation"]:
                out.append(
                    f"channels {i + 1} and {j + 1} (tau = {taus[i]:.3g}, {taus[j]:.3g}) are correlated "
                    f"{corr[i, j]:+.2f}: the data fix their sum better than their split (nearly equal or "
                    "interchangeable channels): ill-conditioned"
                )
    for i, (t, e) in enumerate(zip(taus, err, strict=False)):
        if t < th["small_transmission"]:
            out.append(
                f"channel {i + 1} has tau = {t:.3g} < {th['small_transmission']}: its subgap structure is "
                "near the noise, its value is ill-conditioned"
            )
        elif e > th["relative_error"] * t:
            out.append(
                f"channel {i + 1}: tau = {t:.3g} +- {e:.2g} is poorly determined (error above "
                f"{th['relative_error']:.0%})"
            )
    if not math.isfinite(cond) or cond > 1e12:
        out.append(f"the Jacobian is (nearly) singular (condition number {cond:.1e} of J^T J)")
    return out


def _bootstrap(res, resid, n_boot, seed):
    """1 sigma of the sorted transmissions over ``n_boot`` residual-resampled refits."""
    rng = np.random.default_rng(seed)
    r, n = res["r"], res["n"]
    model_I = res["I"] + resid
    bounds = _bounds(n, res["fit_gap"], res["gap_bounds"], res["fit_rs"], res["rs_max"])
    samples = []
    for _ in range(n_boot):
        I_star = model_I + rng.choice(resid, size=resid.size, replace=True)
        fun = _residuals(
            res["model"], res["V"], I_star, res["sigma"], n, res["fit_gap"], res["gap"], res["fit_rs"], res["rs"]
        )
        rb = least_squares(fun, r.x, bounds=bounds, x_scale="jac", method="trf", jac="3-point", max_nfev=200)
        samples.append(np.sort(rb.x[:n])[::-1])
    return np.std(np.array(samples), axis=0, ddof=1)


def _bounds(n, fit_gap, gap_bounds, fit_rs, rs_max):
    """(lower, upper) of the parameters tau_1..tau_n [, Delta] [, R_s]."""
    lo = [TAU_BOUNDS[0]] * n + ([gap_bounds[0]] if fit_gap else []) + ([0.0] if fit_rs else [])
    hi = [TAU_BOUNDS[1]] * n + ([gap_bounds[1]] if fit_gap else []) + ([rs_max] if fit_rs else [])
    return lo, hi


def _residuals(model, V, I, sigma, n, fit_gap, gap, fit_rs, rs):
    """The weighted residuals ``(I_model - I)/sigma`` as a function of the parameters (the
    gap and R_s fixed at ``gap``, ``rs`` unless fitted)."""

    def fun(p):
        return (model.total(V, I, p[:n], p[n] if fit_gap else gap, p[-1] if fit_rs else rs) - I) / sigma

    return fun


def fit_channels(bias_mV, current_nA, *, temperature_K: float, current_error_nA=None, **options) -> FitResult:
    """Fit the transmissions of N independent channels to a measured I-V (docs/fit.md).

    Parameters
    ----------
    bias_mV, current_nA : array_like (n,)
        The measured bias V (mV, strictly increasing; negative biases are folded in,
        ``(I(V) - I(-V))/2``) and current I (nA).
    temperature_K : float
        Temperature of the measurement, K.
    current_error_nA : array_like (n,), optional
        1-sigma errors of the currents (nA); without them the noise is the residual RMS.
    channels : int, optional
        N; when not given, N = 1..``max_channels`` (default 4) are fitted and the Bayesian
        information criterion chooses.
    gap_meV : float, optional
        Delta in meV, fixed.  ``tc_K`` instead: Delta(T) of BCS with Delta(0) = 1.764 k_B T_c.
        Neither: Delta is fitted (within +-20 % of the dI/dV maximum's eV/2).
    broadening_meV : float or sequence of float
        Dynes broadening Gamma of both leads (meV), an input (default 0); a list of values is
        scanned (one table each) and the best is kept, with a 1-sigma error from the parabola
        of chi^2 through its neighbours (:func:`broadening_error`).
    fit_series_resistance : bool
        Fit a series resistance R_s (Ohm, 0 .. 0.2 R_n); ``series_resistance_ohm`` fixes it instead.
    min_bias_over_gap : float
        Points below this eV/Delta are not fitted (default 0.2; the supercurrent branch and
        the highest multiple Andreev reflections are not described by the dc model there).
    bootstrap : int
        Residual-bootstrap refits for ``transmission_bootstrap_errors`` (0: none).
    table_options : dict
        :class:`~.forward.TableSpec` fields ``n_tau``, ``n_tau_high``, ``v_nodes``, ``n_onsets``, ``tol``.
    workers : int
        Processes that build the table.

    Returns
    -------
    FitResult
        Transmissions (descending) with 1-sigma errors, the gap, R_n, chi^2, the residual RMS,
        the criterion and the ill-conditioning warnings.
    """
    data = iv_data(bias_mV, current_nA, current_error_nA)
    return fit_iv(data, temperature_K=temperature_K, **options)
