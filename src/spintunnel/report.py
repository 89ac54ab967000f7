"""The main job's results: computed from a config, as a dictionary, a table, a NetCDF trace
and figures. Only :func:`write_outputs` touches files; the CLI decides where.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np

from . import __version__, estimates, plotting
from .junction import METHODS, FiniteModelNotPeriodicError, Junction, MethodResult, junction_from_config
from .kernels import SpecialBiasError, special_biases
from .units import RESISTANCE_QUANTUM_OHM, rq_over_rn

def _vec(v):
    return None if v is None else [float(x) for x in np.real(v)]


def method_summary(junction: Junction, r: MethodResult, spin_relaxation_time_ns=None) -> dict:
    """One method's observables in physical units, as plain numbers.

    With a spin relaxation time tau_s (ns), also the steady moment of the relaxation model
    ``dM/dt = I_s(t) - M/tau_s``: its static part ``tau_s I_s,dc`` (mu_B) and field (mT).  It
    is the accumulated spin only; where M_dc is finite it adds to it.
    """
    amp = 2.0 * np.abs(r.moment_ac_muB)  # amplitude of 2 Re[m e^{i phase}] per component
    omega = junction.angular_frequency_per_s
    out = {
        "method": r.method,
        "notes": list(r.notes),
        "M_dc_muB": _vec(r.moment_dc_muB),
        "M_ac_amplitude_muB": _vec(amp),
        "M_ac_phase_rad": [float(x) for x in np.angle(r.moment_ac_muB)],
        "M_ac_amplitude_norm_muB": float(np.linalg.norm(amp)),
        "spin_current_ac_amplitude_muB_per_s": _vec(abs(omega) * amp),
        "spin_current_ac_amplitude_hbar_per_s": _vec(0.5 * abs(omega) * amp),
        "spin_current_dc_muB_per_s": _vec(r.spin_current_dc_muB_per_s),
        "B_ac_amplitude_mT": float(junction.field_mT(np.linalg.norm(amp))),
        # every harmonic k = 1, 2, ... of 2eV: M_ac(t) = Sum_k 2 Re[m_k e^{ik(phi0 + 2eVt)}],
        # row k - 1 (k = 1 repeats M_ac_*)
        "M_harmonics_amplitude_muB": [_vec(x) for x in 2.0 * np.abs(r.harmonics())],
        "M_harmonics_phase_rad": [_vec(x) for x in np.angle(r.harmonics())],
        "M_harmonics_amplitude_norm_muB": [float(x) for x in np.linalg.norm(2.0 * np.abs(r.harmonics()), axis=1)],
    }
    if r.moment_dc_muB is not None:
        out["M_dc_norm_muB"] = float(np.linalg.norm(r.moment_dc_muB))
        out["B_dc_mT"] = float(junction.field_mT(np.linalg.norm(r.moment_dc_muB)))
    if spin_relaxation_time_ns is not None:
        relaxed = spin_relaxation_time_ns * 1e-9 * np.asarray(r.spin_current_dc_muB_per_s)
        out["M_relaxed_muB"] = _vec(relaxed)
        out["B_relaxed_mT"] = float(junction.field_mT(np.linalg.norm(relaxed)))
    return out


def compute(cfg, progress=None) -> dict:
    """Run the configured methods on the configured junction; return the results dictionary.

    ``progress`` is an optional callable ``progress(n)`` advanced once per method and per
    sweep point.
    """
    junction = junction_from_config(cfg)
    tick = progress or (lambda n=1: None)
    methods = [m for m in cfg.methods.methods if m in METHODS]
    results, unavailable = {}, {}
    for m in methods:
        try:
            results[m] = junction.observables(m)
        except FiniteModelNotPeriodicError as exc:  # the finite model gives no number here
            unavailable[m] = str(exc)
        tick(1)
    if not results:
        raise ValueError("no method gave a result: " + "; ".join(unavailable.values()))
    gap = max(junction.gap_left_meV, junction.gap_right_meV)
    rq_rn = rq_over_rn(junction.normal_resistance_ohm)
    summary = {
        "spintunnel_version": __version__,
        "junction": {
            "gap_left_meV": junction.gap_left_meV,
            "gap_right_meV": junction.gap_right_meV,
            "temperature_K": junction.temperature_K,
            "bias_mV": junction.bias_mV,
            "phi0_rad": junction.phi0_rad,
            "normal_resistance_ohm": junction.normal_resistance_ohm,
            "spin_relaxation_time_ns": cfg.junction.spin_relaxation_time_ns,
            "josephson_frequency_GHz": junction.josephson_frequency_GHz,
            "period_ns": junction.period_s * 1e9 if math.isfinite(junction.period_s) else None,  # None: no bias
            "R_Q_ohm": RESISTANCE_QUANTUM_OHM,
            "R_Q_definition": "hbar/e^2 (as in the paper, S30)",
            "R_Q_over_R_n": rq_rn,
            "rho_L_rho_R_J0_squared": junction.coupling,
            "normalisation": junction.normalisation,
            "amplitude_J_over_J0_real": np.real(junction.amplitude).tolist(),
            "amplitude_J_over_J0_imag": np.imag(junction.amplitude).tolist(),
            "time_reversal_for_paper_method": cfg.methods.time_reversal,
            "prescription": "principal value (S37)" if cfg.methods.broadening_meV == 0 else f"Dynes {cfg.methods.broadening_meV} meV",
        },
        "regime_warnings": junction.regime_warnings(),
        "methods": {m: method_summary(junction, r, cfg.junction.spin_relaxation_time_ns)
                    for m, r in results.items()},
        "methods_not_available": unavailable,
    }
    if gap > 0:
        v = junction.bias_meV
        summary["estimates"] = {
            "S30_ac_moment_with_3_16_muB": estimates.ac_moment_estimate_paper(v, gap, rq_rn)["with_3_16"],
            "S30_ac_moment_rounded_muB": estimates.ac_moment_estimate_paper(v, gap, rq_rn)["rounded"],
            "S47_dc_moment_spin_independent_part_muB": estimates.dc_moment_estimate_paper(v, gap, rq_rn),
            "spin_to_charge_ratio_paper": estimates.spin_to_charge_ratio_paper(v, gap),
            "spin_to_charge_ratio_ambegaokar_baratoff": estimates.spin_to_charge_ratio_ambegaokar_baratoff(v, gap, junction.kT_meV),
            "Ic_Rn_paper_mV": estimates.critical_current_times_rn_paper(gap),
            "Ic_Rn_ambegaokar_baratoff_mV": estimates.critical_current_times_rn_ambegaokar_baratoff(gap, junction.kT_meV),
        }
    return {"summary": summary, "junction": junction, "results": results}


def bias_sweep(cfg, junction: Junction, progress=None) -> dict:
    """|M_ac| and M_dc (norms, mu_B) against bias (mV) for each method.

    ``cfg.output.sweep_points`` biases from 0 to 1.25 (Delta_L + Delta_R), cell centres, without
    those within 1% of a special bias of the printed kernels (``kernels.special_biases``).
    """
    import dataclasses

    tick = progress or (lambda n=1: None)
    top = 1.25 * (junction.gap_left_meV + junction.gap_right_meV)
    n = cfg.output.sweep_points
    biases = top * (np.arange(n) + 0.5) / n
    specials = []
    if junction.gap_left_meV > 0:
        for kind in ("dc", "ac"):
            specials += list(special_biases(kind, junction.kT_meV, junction.gap_left_meV, junction.gap_right_meV))
    specials = np.array(sorted(set(float(s[0]) for s in specials)))
    keep = np.ones(biases.size, bool)
    if specials.size:
        keep = np.min(np.abs(biases[:, None] - specials[None, :]), axis=1) > 0.01 * top
    biases = biases[keep]
    curves = {}
    for m in cfg.methods.methods:
        if m not in METHODS or m == "exact":  # the finite model takes seconds per point: not swept
            continue
        ac = np.full(biases.size, np.nan)
        dc = np.full(biases.size, np.nan)
        for i, v in enumerate(biases):
            jn = dataclasses.replace(junction, bias_mV=float(v))
            try:
                r = jn.all_orders(static=False) if m == "all_orders" else getattr(jn, m)()
            except SpecialBiasError:
                continue
            ac[i] = 2 * np.linalg.norm(np.abs(r.moment_ac_muB))
            if r.moment_dc_muB is not None:
                dc[i] = np.linalg.norm(r.moment_dc_muB)
            tick(1)
        curves[m] = {"M_ac_amplitude_muB": ac, "M_dc_norm_muB": dc}
    return {"bias_mV": biases, "special_biases_mV": specials, "curves": curves}


def format_table(summary: dict) -> str:
    """A readable table of the results, values with units, methods side by side."""
    j = summary["junction"]
    lines = [
        f"junction: Delta_L = {j['gap_left_meV']:.6g} meV, Delta_R = {j['gap_right_meV']:.6g} meV, T = {j['temperature_K']:.4g} K, "
        f"V = {j['bias_mV']:.6g} mV, phi0 = {j['phi0_rad']:.4g} rad",
        f"          R_n = {j['normal_resistance_ohm']:.6g} Ohm, R_Q = {j['R_Q_ohm']:.6g} Ohm ({j['R_Q_definition']}), R_Q/R_n = {j['R_Q_over_R_n']:.4g}",
        f"          rho_L rho_R |J0|^2 = {j['rho_L_rho_R_J0_squared']:.4g} ({j['normalisation']} normalisation); "
        f"as one spin-degenerate channel: transmission tau = pi R_Q/R_n = {math.pi * j['R_Q_over_R_n']:.3g}",
        f"          Josephson frequency 2eV/h = {j['josephson_frequency_GHz']:.6g} GHz, period = "
        + (f"{j['period_ns']:.6g} ns" if j["period_ns"] is not None else "none (zero bias; the trace spans 1 ns per 'period')"),
        "",
    ]
    methods = list(summary["methods"])
    width = 38
    lines.append(f"{'quantity':44s}" + "".join(f"{m:>{width}s}" for m in methods))

    def row(label, key, fmt=lambda x: f"{x:.4e}", index=None):
        cells = []
        for m in methods:
            val = summary["methods"][m].get(key)
            if index is not None:
                val = val[index] if val is not None and index < len(val) else None
            if val is None:
                cells.append(f"{'n/a':>{width}s}")
            elif isinstance(val, list):
                cells.append(f"{'(' + ', '.join(f'{x:+.2e}' for x in val) + ')':>{width}s}")
            else:
                cells.append(f"{fmt(val):>{width}s}")
        lines.append(f"{label:44s}" + "".join(cells))

    row("M_dc (x, y, z) [mu_B]", "M_dc_muB")
    row("M_ac amplitude (x, y, z) [mu_B]", "M_ac_amplitude_muB")
    row("|M_ac| amplitude [mu_B]", "M_ac_amplitude_norm_muB")
    n_harmonics = max(len(summary["methods"][m].get("M_harmonics_amplitude_norm_muB", [])) for m in methods)
    for k in range(2, n_harmonics + 1):
        row(f"|M| of harmonic {k} ({2 * k}eV) [mu_B]", "M_harmonics_amplitude_norm_muB", index=k - 1)
    row("B_ac amplitude in V0 [mT]", "B_ac_amplitude_mT")
    row("B_dc in V0 [mT]", "B_dc_mT")
    row("spin current ac amplitude (x,y,z) [mu_B/s]", "spin_current_ac_amplitude_muB_per_s")
    row("spin current ac amplitude (x,y,z) [hbar/s]", "spin_current_ac_amplitude_hbar_per_s")
    row("spin current dc (x, y, z) [mu_B/s]", "spin_current_dc_muB_per_s")
    if j.get("spin_relaxation_time_ns") is not None:
        row(f"tau_s I_s,dc, tau_s = {j['spin_relaxation_time_ns']:g} ns [mu_B]", "M_relaxed_muB")
        row("B of tau_s I_s,dc in V0 [mT]", "B_relaxed_mT")
    if "estimates" in summary:
        e = summary["estimates"]
        lines += [
            "",
            "estimates of the supplement (S30, after S47) and the charge critical current:",
            f"  |M_ac| ~ (3/16)(eV/Delta)(R_Q/R_n) mu_B = {e['S30_ac_moment_with_3_16_muB']:.4e} mu_B; rounded (eV/Delta)(R_Q/R_n) = {e['S30_ac_moment_rounded_muB']:.4e} mu_B",
            f"  spin-independent part of M_dc ~ -(1/16)(eV/Delta)(R_Q/R_n) mu_B = {e['S47_dc_moment_spin_independent_part_muB']:.4e} mu_B",
            f"  (I_spin/mu_B)/(I_c/e): paper (2/pi)(eV/Delta)^2 = {e['spin_to_charge_ratio_paper']:.4g}; with Ambegaokar-Baratoff I_c = {e['spin_to_charge_ratio_ambegaokar_baratoff']:.4g}",
            f"  I_c R_n: paper pi Delta/e = {e['Ic_Rn_paper_mV']:.4g} mV; Ambegaokar-Baratoff (pi Delta/2e) tanh(Delta/2k_BT) = {e['Ic_Rn_ambegaokar_baratoff_mV']:.4g} mV",
        ]
    lines.append("")
    for m in methods:
        for note in summary["methods"][m]["notes"]:
            lines.append(f"[{m}] {note}")
    for m, why in summary.get("methods_not_available", {}).items():
        lines.append(f"[{m}] not available: {why}")
    for w in summary["regime_warnings"]:
        lines.append(f"WARNING: {w}")
    return "\n".join(lines)


def write_outputs(out_dir: Path, cfg, computed: dict, sweep: dict, config_text: str, pdf: bool = False) -> list[Path]:
    """Write results.json, trace.nc and the figures into ``out_dir``; return the paths."""
    import xarray as xr

    from . import plotting as _plotting  # noqa: F401  (Agg backend)

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
            "magnetization": (("method_name", "time", "component"), moment, {"units": "mu_B", "long_name": "M_L(t), Eq. (4)"}),
            "spin_current": (("method_name", "time", "component"), current, {"units": "mu_B/s", "long_name": "dM_L/dt, Eq. (5)"}),
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
    written += plotting.time_trace(times * 1e9, moment, current, methods, out_dir / "trace", pdf=pdf)
    written += plotting.bias_sweep(sweep, out_dir / "bias_sweep", pdf=pdf)
    written += plotting.spin_factor_geometry(cfg.link, out_dir / "spin_factor_geometry", pdf=pdf)
    return written
