"""From a fitted contact to its spin response, with the fit's uncertainty carried through.

The fitted transmissions tau_i (and the gap) define a multi-channel
:class:`~spintunnel.junction.Junction` with the spin structure of a ``[link]`` table
(docs/junction.md, "Channels"); the methods compute it, channel by channel, and the
recommended answer (:func:`spintunnel.methods.recommend`) is reported per bias.

Uncertainty (linear propagation of the fit's covariance C of tau_1..tau_N and, when fitted,
Delta): ``sigma_Q^2 = g^T C g`` per component, ``g_i = dQ/dtau_i``.  Because channels add,
only channel i changes with tau_i: one extra evaluation per channel (forward difference, step
:func:`_step`), added to the others' nominal results (an amplitude 2|Sum_i m_i| is not a sum
of amplitudes), plus one of every channel at Delta + h for a fitted gap.  The method's own
error estimate is reported beside it.
"""

from __future__ import annotations

import math
import tomllib

import numpy as np

from .. import methods as _methods
from ..junction import Channel, Junction
from ..methods._channels import add_channels

__all__ = ["load_link", "predict", "fitted_junction", "run_config_toml"]


def load_link(path):
    """The ``[link]`` table of a run config file (TOML) as a validated link config, and the
    time-reversal relation of its ``[methods]`` table (default "standard").

    Raises ``spintunnel.config.ConfigError`` naming the problem.
    """
    from pydantic import TypeAdapter, ValidationError

    from ..config import ConfigError, LinkConfig

    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: {exc}") from exc
    if "link" not in data:
        raise ConfigError(f"{path}: no [link] table")
    link = dict(data["link"])
    if "transmissions" in link:
        raise ConfigError(f"{path}: link.transmissions is what the fit gives; leave it out")
    try:
        cfg = TypeAdapter(LinkConfig).validate_python(link, strict=True)
    except ValidationError as exc:
        raise ConfigError(
            f"{path}: invalid [link]: " + "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        ) from exc
    relation = data.get("methods", {}).get("time_reversal", "standard")
    if relation not in ("standard", "paper"):
        raise ConfigError(f"{path}: methods.time_reversal must be 'standard' or 'paper'")
    return cfg, relation


def _channel_pairs(link, relation, n):
    """[(j_i, jbar_i)] for n channels: the shared model, or the i-th per-channel model."""
    if link.model == "channels":
        if len(link.channels) != n:
            raise ValueError(f"the link has {len(link.channels)} per-channel models, the fit {n} channels")
        return [c.pair(relation) for c in link.channels]
    return [link.pair(relation)] * n


def fitted_junction(fit, link=None, relation="standard", bias_mV=None, transmissions=None, gap_meV=None) -> Junction:
    """The :class:`Junction` of a :class:`~.fit.FitResult` (channels tau_i in descending order,
    both gaps the fitted Delta, the measured T, the Dynes broadening of the fit), with the
    spin structure of ``link`` (a spin-degenerate j = 1 without one)."""
    taus = fit.transmissions if transmissions is None else transmissions
    pairs = [(np.eye(2), np.eye(2))] * len(taus) if link is None else _channel_pairs(link, relation, len(taus))
    gap = fit.gap_meV if gap_meV is None else gap_meV
    return Junction(
        gap_left_meV=gap,
        gap_right_meV=gap,
        temperature_K=fit.temperature_K,
        bias_mV=float(fit.bias_mV[len(fit.bias_mV) // 2] if bias_mV is None else bias_mV),
        phi0_rad=0.0,
        broadening_meV=fit.broadening_meV,
        channels=tuple(Channel(float(t), j, jb) for t, (j, jb) in zip(taus, pairs, strict=False)),
    )


def _step(tau, sigma):
    """Forward-difference step in tau: a tenth of its error, within [1e-4, 1e-2], backwards at tau = 1."""
    h = min(max(0.1 * (sigma if math.isfinite(sigma) else 0.0), 1e-4), 1e-2)
    return h if tau + h <= 1.0 else -h


def _quantities(r, junction):
    """Reported numbers of one (summed) MethodResult: name -> (vector or None, error)."""
    omega = abs(junction.angular_frequency_per_s) if r.bias_mV else 0.0
    out = {}
    m = r.moment_dc_muB
    out["M_dc_muB"] = (None if m is None else np.real(m), r.error("M_dc"))
    a = None if r.moment_ac_muB is None else 2.0 * np.abs(r.moment_ac_muB)
    out["M_ac_amplitude_muB"] = (a, 2.0 * r.error("M_ac"))
    out["spin_current_ac_amplitude_muB_per_s"] = (None if a is None else omega * a, 2.0 * omega * r.error("M_ac"))
    s = r.spin_current_dc_muB_per_s
    out["spin_current_dc_muB_per_s"] = (None if s is None else np.real(s), r.error("spin_current_dc"))
    c = r.extras.get("charge_current_dc_nA")
    out["charge_current_dc_nA"] = (
        None if c is None else np.array([c]),
        r.extras.get("charge_current_dc_error_nA", np.nan),
    )
    return out


#: The quantity of :data:`spintunnel.methods.QUANTITIES` that decides the method of each reported number.
_DECIDED_BY = {
    "M_dc_muB": "M_dc",
    "M_ac_amplitude_muB": "M_ac",
    "spin_current_ac_amplitude_muB_per_s": "M_ac",
    "spin_current_dc_muB_per_s": "spin_current_dc",
    "charge_current_dc_nA": None,
}


def predict(
    fit,
    link=None,
    relation="standard",
    biases_mV=None,
    *,
    n_points=8,
    method_names=None,
    method_options=None,
    progress=None,
) -> list[dict]:
    """The spin response of the fitted contact at each bias, with propagated uncertainties.

    Parameters
    ----------
    fit : FitResult
    link : link config (:func:`load_link`), optional
        Spin structure of the channels; without one a spin-degenerate j = 1 (no spin response).
    biases_mV : array_like, optional
        Junction biases (mV); default: the fitted biases thinned to ``n_points`` evenly.
    method_names : sequence of str
        Methods to compute (default: the default methods of rank > 0, i.e. every method that
        can be recommended); the recommended one per quantity is reported.
    method_options : dict
        name -> options (e.g. ``{"all_orders": {"tol": 1e-5}}``).

    Returns
    -------
    list of dict, one per bias: ``bias_mV``, ``measured_current_nA`` (the data, where the bias
    is a fitted point, else None), ``fit_model_current_nA`` (the fit's spin-degenerate model
    there, to set beside the predicted ``charge_current_dc_nA`` of the spin-active link), and
    per quantity ``value`` (vector), ``fit_sigma`` (propagated, same shape), ``error``
    (the method's own estimate), ``method``, ``note``; fields ``B_dc_mT``, ``B_ac_mT`` of the
    norms (paper's estimate B = mu_0 M/V0).
    """
    tick = progress or (lambda n=1: None)
    if biases_mV is None:
        idx = np.unique(np.round(np.linspace(0, fit.bias_mV.size - 1, min(n_points, fit.bias_mV.size))).astype(int))
        biases = fit.bias_mV[idx]
    else:
        biases = np.atleast_1d(np.asarray(biases_mV, dtype=float))
    names = method_names or [n for n in _methods.DEFAULT if _methods.get(n).rank > 0]
    options = method_options or {}
    junction = fitted_junction(fit, link, relation)
    n = fit.n_channels
    steps = [_step(t, e) for t, e in zip(fit.transmissions, fit.transmission_errors, strict=False)]
    gap_fitted = "gap_meV" in fit.names
    hgap = max(1e-3 * fit.gap_meV, 0.1 * fit.gap_error_meV) if gap_fitted else 0.0
    cov = fit.covariance[: n + int(gap_fitted), : n + int(gap_fitted)]
    variants = {"nominal": junction}
    for i in range(n):
        taus = fit.transmissions.copy()
        taus[i] += steps[i]
        variants[f"tau_{i}"] = fitted_junction(fit, link, relation, transmissions=taus)
    if gap_fitted:
        variants["gap"] = fitted_junction(fit, link, relation, gap_meV=fit.gap_meV + hgap)
    # per variant, per method: per channel results (list over biases)
    per = {}
    for key, jn in variants.items():
        parts = jn.channel_junctions()
        for name in names:
            m = _methods.get(name, **options.get(name, {}))
            if key.startswith("tau_"):
                i = int(key[4:])
                per[key, name] = [m.compute_channel(parts[i], biases)]
            else:
                per[key, name] = [m.compute_channel(p, biases) for p in parts]
            tick(1)
    taus = junction.channel_transmissions
    out = []
    for b, bias in enumerate(biases):
        sums = {name: add_channels([ch[b] for ch in per["nominal", name]], taus) for name in names}
        rec = _methods.recommend(sums)
        entry = {
            "bias_mV": float(bias),
            "measured_current_nA": _measured(fit, bias),
            "fit_model_current_nA": _fit_model(fit, bias),
        }
        for qname, decided in _DECIDED_BY.items():
            method = rec[decided].method if decided else ("all_orders" if "all_orders" in names else None)
            if method is None or method not in sums:
                entry[qname] = {
                    "value": None,
                    "fit_sigma": None,
                    "error": None,
                    "method": None,
                    "note": rec[decided].note if decided else "no method gives it",
                }
                continue
            value, error = _quantities(sums[method], junction)[qname]
            if value is None:
                entry[qname] = {
                    "value": None,
                    "fit_sigma": None,
                    "error": None,
                    "method": method,
                    "note": rec[decided].note if decided else "not given",
                }
                continue
            grads = []
            for i in range(n):  # channel i moved, the others as they are; amplitudes need the sum
                shifted = [per[f"tau_{i}", method][0][b] if c == i else per["nominal", method][c][b] for c in range(n)]
                moved = _quantities(add_channels(shifted, taus), junction)[qname][0]
                grads.append(None if moved is None else (moved - value) / steps[i])
            if gap_fitted:
                moved = add_channels([ch[b] for ch in per["gap", method]], taus)
                mv = _quantities(moved, variants["gap"])[qname][0]
                grads.append(None if mv is None else (mv - value) / hgap)
            if any(g is None for g in grads):
                sigma = None
                note = "fit uncertainty not propagated: a perturbed channel does not give it"
            else:
                G = np.array(grads)  # (P, components)
                sigma = np.sqrt(np.clip(np.einsum("pc,pq,qc->c", G, cov, G), 0, None)).tolist()
                note = rec[decided].note if decided else ""
            entry[qname] = {
                "value": np.asarray(value, float).tolist(),
                "fit_sigma": sigma,
                "error": None if not math.isfinite(error) else float(error),
                "method": method,
                "note": note,
            }
        for key, q in (("B_dc_mT", "M_dc_muB"), ("B_ac_mT", "M_ac_amplitude_muB")):
            v = entry[q]["value"]
            entry[key] = None if v is None else float(junction.field_mT(np.linalg.norm(v)))
        out.append(entry)
    return out


def _measured(fit, bias):
    """The measured current (nA) at this bias if it is one of the fitted points, else None."""
    k = np.flatnonzero(np.abs(fit.bias_mV - bias) <= 1e-9 * abs(bias))
    return float(fit.current_nA[k[0]]) if k.size else None


def _fit_model(fit, bias):
    """The fit's own model current (nA; spin-degenerate channels, the table) at this junction
    bias, None outside the table."""
    try:
        return float(fit.channel_current_nA([bias]).sum())
    except ValueError:
        return None


def _toml_value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    return repr(float(v)) if isinstance(v, float) else str(v)


def run_config_toml(fit, link=None, relation="standard", bias_mV=None) -> str:
    """A run config (TOML) of the fitted junction, loadable by ``spintunnel run``: the gap,
    temperature, Dynes broadening, and ``[link]`` with ``transmissions`` (a shared model;
    per-channel models get each channel's ``transmission``)."""
    bias = float(fit.bias_mV[len(fit.bias_mV) // 2] if bias_mV is None else bias_mV)
    lines = [
        "# spintunnel run config of a fitted contact (spintunnel fit); R_n follows from the transmissions",
        "[junction]",
        f"temperature_K = {fit.temperature_K!r}",
        f"bias_mV = {bias!r}",
        "",
        "[junction.left]",
        f"gap_meV = {fit.gap_meV!r}",
        "",
        "[junction.right]",
        f"gap_meV = {fit.gap_meV!r}",
        "",
    ]
    taus = [float(t) for t in fit.transmissions]
    if link is None:
        lines += [
            "[link]",
            'model = "matrix"',
            "J_real = [[1.0, 0.0], [0.0, 1.0]]  # spin-degenerate channels",
            f"transmissions = {_toml_value(taus)}",
        ]
    elif link.model == "channels":
        lines += ["[link]", 'model = "channels"']
        for c, t in zip(link.channels, taus, strict=False):
            lines += ["", "[[link.channels]]"] + [
                f"{k} = {_toml_value(v)}"
                for k, v in c.model_copy(update={"transmission": t}).model_dump(exclude_none=True).items()
            ]
    else:
        data = link.model_dump(exclude_none=True)
        data["transmissions"] = taus
        lines += ["[link]"] + [f"{k} = {_toml_value(v)}" for k, v in data.items()]
    lines += ["", "[methods]", f'time_reversal = "{relation}"', f"broadening_meV = {fit.broadening_meV!r}", ""]
    return "\n".join(lines)
