"""The main job's results: computed from a config, as a dictionary, a table, a NetCDF trace
and figures. Only :func:`write_outputs` touches files; the CLI decides where.

The methods come from the registry (:mod:`spintunnel.methods`); this module names none.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np

from . import __version__, estimates
from . import methods as _methods
from .junction import Junction, junction_from_config
from .methods import QUANTITIES, MethodResult
from .units import RESISTANCE_QUANTUM_OHM, rq_over_rn

#: Errors raised by a method that the report turns into "not available" (with the message);
#: anything else is a bug and propagates.
_METHOD_ERRORS = (ValueError, RuntimeError, NotImplementedError, ArithmeticError)


def _vec(v):
    return None if v is None else [float(x) + 0.0 for x in np.real(v)]


def _err(e):
    return None if e is None or not math.isfinite(e) else float(e)


def method_summary(junction: Junction, r: MethodResult, spin_relaxation_time_ns=None) -> dict:
    """One method's observables in physical units, as plain numbers, with its diagnostics.

    With a spin relaxation time tau_s (ns), also the steady moment of the relaxation model
    ``dM/dt = I_s(t) - M/tau_s``: its static part ``tau_s I_s,dc`` (mu_B) and field (mT).  It
    is the accumulated spin only; where M_dc is finite it adds to it.
    """
    omega = abs(junction.angular_frequency_per_s)
    harm = r.harmonics()
    amp = 2.0 * np.abs(harm[0])  # amplitude of 2 Re[m e^{i phase}] per component
    out = {
        "method": r.method,
        "label": _methods.get(r.method).label,
        "regime": _methods.get(r.method).regime,
        "notes": list(r.notes),
        "diagnostics": r.diagnostics.to_dict(),
        "M_dc_muB": _vec(r.moment_dc_muB),
        "M_ac_amplitude_muB": None if r.moment_ac_muB is None else _vec(amp),
        "M_ac_phase_rad": None if r.moment_ac_muB is None else [float(x) for x in np.angle(harm[0])],
        "M_ac_amplitude_norm_muB": None if r.moment_ac_muB is None else float(np.linalg.norm(amp)),
        "spin_current_ac_amplitude_muB_per_s": None if r.moment_ac_muB is None else _vec(omega * amp),
        "spin_current_ac_amplitude_hbar_per_s": None if r.moment_ac_muB is None else _vec(0.5 * omega * amp),
        "spin_current_dc_muB_per_s": _vec(r.spin_current_dc_muB_per_s),
        "B_ac_amplitude_in_V0_mT": None if r.moment_ac_muB is None else float(junction.field_mT(np.linalg.norm(amp))),
        # every harmonic k = 1, 2, ... of 2eV: M_ac(t) = Sum_k 2 Re[m_k e^{ik(phi0 + 2eVt)}],
        # row k - 1 (k = 1 repeats M_ac_*)
        "M_harmonics_amplitude_muB": [_vec(x) for x in 2.0 * np.abs(harm)],
        "M_harmonics_phase_rad": [_vec(x) for x in np.angle(harm)],
        "M_harmonics_amplitude_norm_muB": [float(x) for x in np.linalg.norm(2.0 * np.abs(harm), axis=1)],
        "extras": {k: (float(v) if math.isfinite(v) else None) for k, v in r.extras.items()},
    }
    if r.moment_dc_muB is not None:
        out["M_dc_norm_muB"] = float(np.linalg.norm(r.moment_dc_muB))
        out["B_dc_in_V0_mT"] = float(junction.field_mT(np.linalg.norm(r.moment_dc_muB)))
    if spin_relaxation_time_ns is not None and r.spin_current_dc_muB_per_s is not None:
        relaxed = spin_relaxation_time_ns * 1e-9 * np.asarray(r.spin_current_dc_muB_per_s)
        out["M_relaxed_muB"] = _vec(relaxed)
        out["B_relaxed_in_V0_mT"] = float(junction.field_mT(np.linalg.norm(relaxed)))
    return out


def recommended_summary(junction: Junction, results: dict) -> dict:
    """The recommended answer per quantity (:func:`spintunnel.methods.recommend`) as plain
    numbers: ``value`` (vector per component; for ``M_ac`` the amplitude 2|m_1| per
    component, with ``phase_rad``; for ``M_harmonics`` one amplitude vector per k >= 2),
    ``error`` (same unit; for amplitudes 2x the error of m), ``method``, ``unit``, ``note``,
    ``converged``."""
    out = {}
    for q, rec in _methods.recommend(results).items():
        entry = {
            "value": None,
            "error": None,
            "method": rec.method,
            "unit": rec.unit,
            "note": rec.note,
            "converged": rec.converged,
        }
        if rec.value is not None:
            v = np.asarray(rec.value)
            if q == "M_ac":
                entry["value"], entry["phase_rad"] = _vec(2 * np.abs(v)), [float(x) for x in np.angle(v)]
                entry["error"] = _err(2 * rec.error)
            elif q == "M_harmonics":
                entry["value"] = [_vec(2 * np.abs(x)) for x in v]
                entry["phase_rad"] = [[float(y) for y in np.angle(x)] for x in v]
                entry["error"] = _err(2 * rec.error)
            else:
                entry["value"], entry["error"] = _vec(v), _err(rec.error)
        out[q] = entry
    return out


def work(cfg) -> float:
    """The estimated work of a run (seconds by the methods' cost hints): each method once, and
    the bias-sweep figure; the unit of the ``progress`` of :func:`compute` and
    :func:`bias_sweep`."""
    n = cfg.output.sweep_points
    figure = [m.quick().cost_hint_s * n for m in (cfg.methods.method(x) for x in cfg.methods.methods)]
    return (
        sum(cfg.methods.method(x).cost_hint_s for x in cfg.methods.methods)
        + sum(w for w in figure if w <= FIGURE_BUDGET_S)
        + DETECTOR_COST_S
    )


#: Estimated seconds of the spin-density profile and the detector field of a run.
DETECTOR_COST_S = 1.5
#: Quadrature target of the run's spin-density profile (relative).
DETECTOR_QUAD_TOL = 1e-3


def detector(cfg, junction: Junction, recommended: dict, progress=None):
    """The stray field at the configured detector from the computed spin density of the left
    lead (:func:`spintunnel.profile.junction_spin_density`, docs/profile.md), beside the
    paper's estimate mu_0 M/V0 for the recommended moments.  Returns ``(summary dict,
    SpinDensity or None)``; where the density is not given, the dict says why."""
    from . import profile

    pos = [cfg.detector.lateral_nm, 0.0, cfg.detector.height_nm]
    out: dict[str, Any] = {
        "position_nm": pos,
        "material": profile.ALUMINIUM.name,
        "paper_estimate": "mu_0 M / V0 with the whole moment in V0 (S30 ff.)",
    }
    for q, key in (("M_dc", "paper_V0_field_dc_mT"), ("M_ac", "paper_V0_field_ac_amplitude_mT")):
        v = recommended[q]["value"]
        out[key] = None if v is None else float(junction.field_mT(np.linalg.norm(v)))
    density = None
    try:
        # 1e-3 is ample for a field that is compared over orders of magnitude, and keeps the run
        # fast where a source window opens within round-off of a gap edge (eV = Delta(0)/2 at
        # the default, with Delta(T) a hair below Delta(0))
        density = profile.junction_spin_density(junction, harmonics=(0, 1, 2), quad_tol=DETECTOR_QUAD_TOL)
        B = density.field([pos]).values[0]  # (harmonic, component), mT
        ks = list(density.harmonics)
        out["static_mT"] = _vec(B[ks.index(0)]) if 0 in ks else None
        out["harmonics"] = [int(k) for k in ks if k > 0]
        out["ac_amplitude_mT"] = [_vec(2 * np.abs(B[i])) for i, k in enumerate(ks) if k > 0]
        out["ac_amplitude_norm_mT"] = [float(np.linalg.norm(2 * np.abs(B[i]))) for i, k in enumerate(ks) if k > 0]
        out["notes"] = list(density.notes)
    except ValueError as exc:
        out["not_given"] = str(exc)
    if progress is not None:
        progress.advance(DETECTOR_COST_S)
    return out, density


def _coupling_fields(junction: Junction) -> dict:
    """J/W, rho_L rho_R |J0|^2 and j of the junction; for a multi-channel junction one entry
    per channel (lists), and ``channels`` with each channel's tau_i (docs/junction.md)."""
    parts = junction.channel_junctions()
    fields: dict[str, list] = {
        "amplitude_J_over_W_real": [np.real(p.amplitude_W).tolist() for p in parts],
        "amplitude_J_over_W_imag": [np.imag(p.amplitude_W).tolist() for p in parts],
        "rho_L_rho_R_J0_squared": [p.coupling for p in parts],
        "amplitude_j_real": [np.real(p._j()).tolist() for p in parts],
        "amplitude_j_imag": [np.imag(p._j()).tolist() for p in parts],
    }
    if not junction.multichannel:
        return {k: v[0] for k, v in fields.items()}
    return {"channels": [float(t) for t in junction.channel_transmissions], **fields}


def compute(cfg, progress=None) -> dict:
    """Run the configured methods on the configured junction; return the results dictionary.

    ``progress`` is an optional :class:`spintunnel.progress.Progress` (units of :func:`work`).
    """
    junction = junction_from_config(cfg)
    results = {}
    for name in cfg.methods.methods:
        method = cfg.methods.method(name)
        within = None if progress is None else progress.within(method.cost_hint_s)
        try:
            results[name] = method.compute(junction, progress=within)[0]
        except _METHOD_ERRORS as exc:
            results[name] = _methods.unavailable(
                name, junction.bias_mV, "failed", f"{type(exc).__name__}: {exc}", junction.regime_flags()
            )
        if progress is not None:
            progress.advance(method.cost_hint_s)
    rq_rn = rq_over_rn(junction.resistance_ohm)
    tau = junction.transmissions
    summary: dict[str, Any] = {
        "spintunnel_version": __version__,
        "junction": {
            "gap_left_meV": junction.gap_left_meV,
            "gap_right_meV": junction.gap_right_meV,
            "temperature_K": junction.temperature_K,
            "bias_mV": junction.bias_mV,
            "phi0_rad": junction.phi0_rad,
            "normal_resistance_ohm": junction.normal_resistance_ohm,
            "spin_relaxation_time_ns": cfg.junction.spin_relaxation_time_ns,
            "volume_nm3": junction.volume_nm3,
            "josephson_frequency_GHz": junction.josephson_frequency_GHz if junction.superconducting_both else None,
            "period_ns": junction.period_s * 1e9 if math.isfinite(junction.period_s) else None,  # None: no bias
            "R_Q_ohm": RESISTANCE_QUANTUM_OHM,
            "R_Q_definition": "hbar/e^2 (as in the paper, S30)",
            "R_Q_over_R_n": rq_rn,
            "channel_transmissions": [float(x) for x in tau],
            **_coupling_fields(junction),
            "golden_rule_resistance_ohm": junction.golden_rule_resistance_ohm,
            "coupling": "one amplitude J for every method, fixed by R_n through the all-orders normal conductance "
            "R_n = 2 pi R_Q / Sum tau_i; the golden-rule R_n at that J is its second-order approximation",
            "printed_route_normalisation": junction.normalisation,
            "time_reversal_for_printed_route": cfg.methods.time_reversal,
            "broadening_meV": junction.broadening_meV,
        },
        "regime_warnings": junction.regime_warnings(),
        "recommended": recommended_summary(junction, results),
        "methods": {m: method_summary(junction, r, cfg.junction.spin_relaxation_time_ns) for m, r in results.items()},
    }
    gap = max(junction.gap_left_meV, junction.gap_right_meV)
    if junction.superconducting_both:
        v = abs(junction.bias_meV)
        summary["estimates"] = {
            "S30_ac_moment_with_3_16_muB": estimates.ac_moment_estimate_paper(v, gap, rq_rn)["with_3_16"],
            "S30_ac_moment_rounded_muB": estimates.ac_moment_estimate_paper(v, gap, rq_rn)["rounded"],
            "S47_dc_moment_spin_independent_part_muB": estimates.dc_moment_estimate_paper(
                junction.bias_meV, gap, rq_rn
            ),
            "spin_to_charge_ratio_paper": estimates.spin_to_charge_ratio_paper(v, gap),
            "spin_to_charge_ratio_ambegaokar_baratoff": estimates.spin_to_charge_ratio_ambegaokar_baratoff(
                v, gap, junction.kT_meV
            ),
            "Ic_Rn_paper_mV": estimates.critical_current_times_rn_paper(gap),
            "Ic_Rn_ambegaokar_baratoff_mV": estimates.critical_current_times_rn_ambegaokar_baratoff(
                gap, junction.kT_meV
            ),
        }
    summary["detector"], density = detector(cfg, junction, summary["recommended"], progress)
    return {"summary": summary, "junction": junction, "results": results, "spin_density": density}


def bias_sweep(cfg, junction: Junction, progress=None) -> dict:
    """|M_ac| and |M_dc| (mu_B) against bias (mV) for each configured method, for the figure.

    ``cfg.output.sweep_points`` biases from 0 to 1.25 (Delta_L + Delta_R), cell centres, each
    method in its quick variant (:meth:`Method.quick`); a method whose estimated cost exceeds
    :data:`FIGURE_BUDGET_S` is left out (and listed).  Special biases of the printed
    kernels are marked.  Non-converged points are kept and listed per method.  ``progress``
    as in :func:`compute`.
    """
    from .kernels import special_biases
    from .sweep import evaluate

    top = 1.25 * (junction.gap_left_meV + junction.gap_right_meV)
    n = cfg.output.sweep_points
    biases = top * (np.arange(n) + 0.5) / n
    specials = []
    if junction.gap_left_meV > 0:
        for kind in ("dc", "ac"):
            specials += [
                float(s[0])
                for s in special_biases(kind, junction.kT_meV, junction.gap_left_meV, junction.gap_right_meV)
            ]
    chosen = {name: cfg.methods.method(name).quick() for name in cfg.methods.methods}
    skipped = [name for name, m in chosen.items() if m.cost_hint_s * n > FIGURE_BUDGET_S]
    curves = {}
    for name, m in chosen.items():
        if name in skipped:
            continue
        weight = m.cost_hint_s * n
        res = evaluate(junction, biases, m, progress=None if progress is None else progress.within(weight))
        if progress is not None:
            progress.advance(weight)
        curves[name] = {
            "M_ac_amplitude_muB": np.array(
                [np.nan if r.moment_ac_muB is None else 2 * np.linalg.norm(np.abs(r.moment_ac_muB)) for r in res]
            ),
            "M_dc_norm_muB": np.array(
                [np.nan if r.moment_dc_muB is None else np.linalg.norm(r.moment_dc_muB) for r in res]
            ),
            "converged": np.array([r.converged for r in res]),
            "line_style": m.line_style,
            "label": m.label,
        }
    return {
        "bias_mV": biases,
        "special_biases_mV": np.array(sorted(set(specials))),
        "curves": curves,
        "skipped": skipped,
        "operating_bias_mV": abs(junction.bias_mV),
    }


#: Seconds a method may take for the bias-sweep figure of a run (estimated from its cost hint).
FIGURE_BUDGET_S = 20.0


# ----------------------------------------------------------------------------- the table
def _fmt(x, err=None, signed=True) -> str:
    """A number with 3 significant digits; 0 where it is below its error estimate.

    Components carry their sign (``signed``); norms are printed without one.
    """
    if err is not None and math.isfinite(err) and abs(x) <= err:
        return "0"
    return f"{x + 0.0:+.3e}" if signed else f"{x + 0.0:.3e}"


def _fmt_vec(v, err=None) -> str:
    return "(" + ", ".join(_fmt(x, err) for x in v) + ")"


def _fmt_err(err) -> str:
    return "-" if err is None or not math.isfinite(err) else f"{err:.1e}"


def _rows(entry_value, entry_error, quantity, omega, field, relax=None):
    """(label, text, error text) rows of one quantity from a value in the summary's form."""
    rows = []
    if quantity == "M_dc":
        rows.append(("M_dc (x, y, z) [mu_B]", _fmt_vec(entry_value, entry_error), _fmt_err(entry_error)))
        rows.append(("  B of M_dc in V0 (paper's estimate) [mT]", f"{field(np.linalg.norm(entry_value)):.3e}", ""))
    elif quantity == "M_ac":
        amp = np.asarray(entry_value)
        rows.append(("M_ac amplitude 2|m_1| (x, y, z) [mu_B]", _fmt_vec(amp, entry_error), _fmt_err(entry_error)))
        rows.append(("  |M_ac| (2eV) [mu_B]", _fmt(np.linalg.norm(amp), entry_error, signed=False), ""))
        rows.append(("  B of |M_ac| in V0 (paper's estimate) [mT]", f"{field(np.linalg.norm(amp)):.3e}", ""))
        e = None if entry_error is None else omega * entry_error
        rows.append(("  spin current ac amplitude [mu_B/s]", _fmt_vec(omega * amp, e), _fmt_err(e)))
    elif quantity == "M_harmonics":
        for k, amp in enumerate(entry_value, start=2):
            rows.append(
                (
                    f"|M| of harmonic {k} ({2 * k}eV) [mu_B]",
                    _fmt(np.linalg.norm(amp), entry_error, signed=False),
                    _fmt_err(entry_error),
                )
            )
    elif quantity == "spin_current_dc":
        rows.append(("spin current dc (x, y, z) [mu_B/s]", _fmt_vec(entry_value, entry_error), _fmt_err(entry_error)))
        if relax is not None:
            tau_ns, steady = relax
            e = None if entry_error is None else tau_ns * 1e-9 * entry_error
            rows.append((f"  tau_s I_s,dc, tau_s = {tau_ns:g} ns [mu_B]", _fmt_vec(steady, e), _fmt_err(e)))
    return rows


def format_table(summary: dict, compare: bool = False) -> str:
    """A readable table: the junction, the recommended answer per quantity (value, error,
    method), then (``compare``) every method side by side, then notes and warnings."""
    j = summary["junction"]
    tau = ", ".join(f"{t:.3g}" for t in j["channel_transmissions"])
    lines = [
        f"junction: Delta_L = {j['gap_left_meV']:.6g} meV, Delta_R = {j['gap_right_meV']:.6g} meV, T = {j['temperature_K']:.4g} K, "
        f"V = {j['bias_mV']:.6g} mV, phi0 = {j['phi0_rad']:.4g} rad",
        f"          R_n = {j['normal_resistance_ohm']:.6g} Ohm, R_Q/R_n = {j['R_Q_over_R_n']:.4g} (R_Q = hbar/e^2 = {j['R_Q_ohm']:.6g} Ohm)",
        *(
            [
                f"          {len(j['channels'])} independent channels, tau_i = "
                + ", ".join(f"{t:.4g}" for t in j["channels"])
                + " (observables are channel sums)"
            ]
            if "channels" in j
            else []
        ),
        f"          coupling: one J for every method, from R_n by the all-orders normal conductance: channel transmissions "
        f"{tau}; rho_L rho_R |J0|^2 = {', '.join(f'{c:.4g}' for c in np.atleast_1d(j['rho_L_rho_R_J0_squared']))}; golden-rule R_n at this J = "
        f"{j['golden_rule_resistance_ohm']:.6g} Ohm (its second-order approximation, "
        f"{j['golden_rule_resistance_ohm'] / j['normal_resistance_ohm'] - 1:+.1%})",
    ]
    if j["josephson_frequency_GHz"] is not None:
        lines.append(
            f"          Josephson frequency |2eV|/h = {j['josephson_frequency_GHz']:.6g} GHz, period = "
            + (f"{j['period_ns']:.6g} ns" if j["period_ns"] is not None else "none (zero bias)")
        )
    elif j["period_ns"] is not None:
        lines.append(
            f"          one lead is normal: no Josephson effect; the drive period h/|2eV| = {j['period_ns']:.6g} ns"
        )
    omega = 0.0 if j["period_ns"] is None else 2 * math.pi / (j["period_ns"] * 1e-9)
    relax = j.get("spin_relaxation_time_ns")
    field_per_muB = _field_per_muB(summary)

    def field(m):
        return m * field_per_muB

    lines += [
        "",
        "recommended answer (the most complete method that gives each quantity; values below their error are 0):",
        f"{'quantity':44s}{'value':>42s}{'error':>10s}  method",
    ]
    rec = summary["recommended"]
    for q in QUANTITIES:
        r = rec[q]
        if r["value"] is None:
            lines.append(f"{_quantity_label(q):44s}{'not given':>42s}{'':>10s}  {r['note']}")
            continue
        relax_pair = None
        if q == "spin_current_dc" and relax is not None:
            relax_pair = (relax, relax * 1e-9 * np.asarray(r["value"]))
        label = _methods.get(r["method"]).label
        for i, (name, text, err) in enumerate(_rows(r["value"], r["error"], q, omega, field, relax_pair)):
            tail = f"  {label}" + ("" if r["converged"] else " (NOT CONVERGED)") if i == 0 else ""
            if i == 0 and r["note"]:
                tail += f"; {r['note']}"
            lines.append(f"{name:44s}{text:>42s}{err:>10s}{tail}")
    dc, idc = rec["M_dc"], rec["spin_current_dc"]
    if dc["value"] is not None and idc["value"] is not None and np.abs(idc["value"]).max() > (idc["error"] or 0.0):
        lines.append(
            "note: a dc spin current flows, so M_L grows as I_s,dc t on top of M_dc"
            + (
                " (steady value with spin relaxation: tau_s I_s,dc above)"
                if relax is not None
                else "; set junction.spin_relaxation_time_ns for the steady value tau_s I_s,dc"
            )
        )
    methods = list(summary["methods"])
    if compare and methods:
        lines += ["", "all methods side by side (values below the method's own error are 0):"]
        width = 38
        lines.append(f"{'quantity':44s}" + "".join(f"{m:>{width}s}" for m in methods))
        table = {}
        for m in methods:
            s = summary["methods"][m]
            errs = s["diagnostics"]["error_estimate"]
            cells = {}
            for q, key in (
                ("M_dc", "M_dc_muB"),
                ("M_ac", "M_ac_amplitude_muB"),
                ("spin_current_dc", "spin_current_dc_muB_per_s"),
            ):
                if s[key] is None:
                    continue
                e = errs.get(q)
                e = None if e is None else (2 * e if q == "M_ac" else e)
                for name, text, _ in _rows(s[key], e, q, omega, field):
                    cells[name] = text
            harm = s["M_harmonics_amplitude_norm_muB"][1:]
            if s["diagnostics"]["reason"].get("M_harmonics") is None:
                e = errs.get("M_harmonics")
                for k, a in enumerate(harm, start=2):
                    cells[f"|M| of harmonic {k} ({2 * k}eV) [mu_B]"] = _fmt(
                        a, None if e is None else 2 * e, signed=False
                    )
            table[m] = cells
        order = []
        for cells in table.values():
            order += [n for n in cells if n not in order]
        for name in order:
            lines.append(f"{name:44s}" + "".join(f"{table[m].get(name, 'n/a'):>{width}s}" for m in methods))
        for m in methods:
            s = summary["methods"][m]
            lines.append(f"{'  ' + m + ': converged':44s}{str(s['diagnostics']['converged']):>{width}s}")
    d = summary.get("detector")
    if d is not None:
        lines += [
            "",
            f"detector at (x, y, z) = ({d['position_nm'][0]:g}, 0, {d['position_nm'][2]:g}) nm above the contact "
            f"({d['material']} lead; stray field of the computed spin density, docs/profile.md):",
        ]
        if "not_given" in d:
            lines.append(f"  not given: {d['not_given']}")
        else:
            for k, norm in zip(d["harmonics"], d["ac_amplitude_norm_mT"], strict=False):
                lines.append(f"  |B| amplitude of the {2 * k}eV harmonic: {norm:.3e} mT")
            static = d["static_mT"]
            lines.append(
                "  static B: "
                + (
                    f"{np.linalg.norm(static):.3e} mT"
                    if static is not None
                    else "not given (the static moment is not established here)"
                )
            )
        ac, dc = d.get("paper_V0_field_ac_amplitude_mT"), d.get("paper_V0_field_dc_mT")
        lines.append(
            "  the paper's estimate mu_0 M/V0 (whole moment in V0 = "
            f"{j.get('volume_nm3', 2.0 * math.pi / 3.0):.3g} nm^3): "
            + ", ".join(
                x
                for x in (
                    (f"2eV {ac:.3e} mT" if ac is not None else ""),
                    (f"static {dc:.3e} mT" if dc is not None else ""),
                )
                if x
            )
        )
    if "estimates" in summary:
        e = summary["estimates"]
        lines += [
            "",
            "the supplement's estimates (S30, after S47) and the charge critical current:",
            f"  |M_ac| ~ (3/16)(|eV|/Delta)(R_Q/R_n) mu_B = {e['S30_ac_moment_with_3_16_muB']:.3e} mu_B; rounded (|eV|/Delta)(R_Q/R_n) = {e['S30_ac_moment_rounded_muB']:.3e} mu_B",
            f"  spin-independent part of M_dc ~ -(1/16)(eV/Delta)(R_Q/R_n) mu_B = {e['S47_dc_moment_spin_independent_part_muB'] + 0.0:.3e} mu_B",
            f"  (I_spin/mu_B)/(I_c/e): paper (2/pi)(eV/Delta)^2 = {e['spin_to_charge_ratio_paper']:.4g}; with Ambegaokar-Baratoff I_c = {e['spin_to_charge_ratio_ambegaokar_baratoff']:.4g}",
            f"  I_c R_n: paper pi Delta/e = {e['Ic_Rn_paper_mV']:.4g} mV; Ambegaokar-Baratoff (pi Delta/2e) tanh(Delta/2k_BT) = {e['Ic_Rn_ambegaokar_baratoff_mV']:.4g} mV",
        ]
    lines.append("")
    for m in methods:
        s = summary["methods"][m]
        for note in s["notes"]:
            lines.append(f"[{m}] {note}")
        for q, code in s["diagnostics"]["reason"].items():
            lines.append(f"[{m}] {q} not given: {code} ({_methods.REASONS[code]})")
        for w in s["diagnostics"]["warnings"]:
            lines.append(f"[{m}] warning: {w}")
    for w in summary["regime_warnings"]:
        lines.append(f"warning: {w}")
    return "\n".join(lines)


def _quantity_label(q):
    return {
        "M_dc": "M_dc (x, y, z) [mu_B]",
        "M_ac": "M_ac amplitude 2|m_1| (x, y, z) [mu_B]",
        "M_harmonics": "|M| of the harmonics 4eV, 6eV, ... [mu_B]",
        "spin_current_dc": "spin current dc (x, y, z) [mu_B/s]",
    }[q]


def _field_per_muB(summary) -> float:
    from .units import field_mT

    return float(field_mT(1.0, summary["junction"].get("volume_nm3", 2.0 * math.pi / 3.0)))


def write_outputs(out_dir: Path, cfg, computed: dict, sweep: dict, config_text: str, pdf: bool = False) -> list[Path]:
    """Write results.json, trace.nc and the figures into ``out_dir``; return the paths."""
    import xarray as xr

    from . import plotting

    out_dir.mkdir(parents=True, exist_ok=True)
    junction = computed["junction"]
    written = []
    path = out_dir / "results.json"
    path.write_text(json.dumps(computed["summary"], indent=2, allow_nan=False))
    written.append(path)

    # time trace
    period = junction.period_s if math.isfinite(junction.period_s) else 1e-9
    n = int(cfg.output.periods * cfg.output.samples_per_period)
    times = np.linspace(0.0, cfg.output.periods * period, n, endpoint=False)
    methods = list(computed["results"])
    moment = np.empty((len(methods), n, 3))
    current = np.empty((len(methods), n, 3))
    for i, m in enumerate(methods):
        moment[i], current[i] = junction.time_trace(computed["results"][m], times)
    ds = xr.Dataset(
        {
            "magnetization": (
                ("method_name", "time", "component"),
                moment,
                {"units": "mu_B", "long_name": "M_L(t), Eq. (4)"},
            ),
            "spin_current": (
                ("method_name", "time", "component"),
                current,
                {"units": "mu_B/s", "long_name": "dM_L/dt, Eq. (5)"},
            ),
        },
        coords={
            "method_name": methods,  # not "method": DataArray.sel has a keyword of that name
            "time": ("time", times * 1e9, {"units": "ns"}),
            "component": ["x", "y", "z"],
        },
        attrs={
            "title": "spintunnel run: left-lead magnetization and spin current",
            "spintunnel_version": __version__,
            "config_toml": config_text,
            "josephson_frequency_GHz": junction.josephson_frequency_GHz,
        },
    )
    path = out_dir / "trace.nc"
    ds.to_netcdf(path, engine="scipy")
    written.append(path)
    styles = {m: _methods.get(m).line_style for m in methods}
    # the printed route (rank 0) is shown in the trace only when it is the only method: its
    # one-sector numbers would dwarf the Hamiltonian's (the bias-sweep figure compares them)
    drawn = [i for i, m in enumerate(methods) if _methods.get(m).rank > 0] or list(range(len(methods)))
    written += plotting.time_trace(
        times * 1e9,
        moment[drawn],
        current[drawn],
        [methods[i] for i in drawn],
        out_dir / "trace",
        pdf=pdf,
        styles=styles,
    )
    written += plotting.bias_sweep(sweep, out_dir / "bias_sweep", pdf=pdf)
    link = cfg.link.channels[0] if cfg.link.model == "channels" else cfg.link  # per-channel models: the first one's
    written += plotting.spin_factor_geometry(link, out_dir / "spin_factor_geometry", pdf=pdf)
    density = computed.get("spin_density")
    if density is not None:
        from . import profile

        written.append(profile.plot_profile(density, out_dir / "spin_density.png"))
        written.append(
            profile.plot_field(
                {"computed spin density": (density, None)},
                out_dir / "detector_field.png",
                paper_mT=computed["summary"]["detector"].get("paper_V0_field_ac_amplitude_mT"),
            )
        )
    return written
