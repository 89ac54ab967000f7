"""The channel sum of a multi-channel junction, shared by every method.

Channels of a point contact are independent (no inter-channel mixing, docs/junction.md,
"Channels"): channel i couples its own pair of lead modes through its own 2x2 amplitude J_i,
so the Hamiltonian is a sum over channels of commuting terms, and every observable of
Eq. (4)-(5) (M_L, its harmonics, the spin current), and the charge current, is the sum of
the channels' values.  Error estimates add (a bound of a sum is the sum of the bounds); a
quantity any channel does not give is not given by the sum (the reason names the channel).
"""

from __future__ import annotations

import numpy as np

from .base import QUANTITIES, Diagnostics, MethodResult

#: Extras that are channel sums (a current and its error); any other extra is kept only
#: where every channel has the same value (e.g. the printed kernels, which do not depend on tau).
ADDITIVE_EXTRAS = ("charge_current_dc_nA", "charge_current_dc_error_nA")

_FIELDS = {
    "M_dc": "moment_dc_muB",
    "M_ac": "moment_ac_muB",
    "spin_current_dc": "spin_current_dc_muB_per_s",
    "M_harmonics": "moment_harmonics_muB",
}


def channel_sum(method, junction, biases_mV, progress=None) -> list[MethodResult]:
    """``method.compute_channel`` on each channel of ``junction``, added per bias;
    ``progress(fraction)`` over all channels."""
    parts = junction.channel_junctions()
    if len(parts) == 1:
        return method.compute_channel(parts[0], biases_mV, progress)

    def part(k):
        return None if progress is None else (lambda f: progress((k + f) / len(parts)))

    per_channel = [method.compute_channel(j, biases_mV, part(k)) for k, j in enumerate(parts)]
    taus = junction.channel_transmissions
    return [add_channels(list(rs), taus) for rs in zip(*per_channel, strict=False)]


def _labelled(lines_per_channel, taus):
    """Lines common to every channel once; the others prefixed with their channel(s)."""
    out = []
    every = set(range(len(taus)))
    seen = {}
    for i, lines in enumerate(lines_per_channel):
        for line in lines:
            seen.setdefault(line, []).append(i)
    for line, chans in seen.items():
        if set(chans) == every:
            out.append(line)
        else:
            out.append("channel " + ", ".join(f"{i + 1} (tau = {taus[i]:.3g})" for i in chans) + ": " + line)
    return tuple(out)


def add_channels(results: list[MethodResult], taus) -> MethodResult:
    """The sum of one method's results for the channels of one junction at one bias.

    Values are added; errors are added; a quantity with a reason code in any channel has
    that code (the first such channel's), and a note names the channel(s); ``converged`` is
    the conjunction, ``regime_flags`` the union, warnings and notes are labelled by channel.
    """
    first = results[0]
    values, reasons, errors, notes = {}, {}, {}, []
    for q in QUANTITIES:
        missing = [(i, r.diagnostics.reasons[q]) for i, r in enumerate(results) if q in r.diagnostics.reasons]
        if missing:
            reasons[q] = missing[0][1]
            notes.append(
                f"{q} not given: " + "; ".join(f"channel {i + 1} (tau = {taus[i]:.3g}): {code}" for i, code in missing)
            )
            continue
        vals = [getattr(r, _FIELDS[q]) for r in results]
        if q == "M_harmonics":
            k = min(len(np.asarray(v).reshape(-1, 3)) for v in vals)
            vals = [np.asarray(v).reshape(-1, 3)[:k] for v in vals]
        if any(v is None for v in vals):  # a method that neither gives nor explains
            reasons[q] = "not_computed"
            continue
        values[q] = np.sum(vals, axis=0)
        errs = [r.diagnostics.errors.get(q) for r in results]
        if all(e is not None for e in errs):
            errors[q] = float(sum(float(e) for e in errs if e is not None))
    extras = {}
    for key in first.extras:
        vals = [r.extras.get(key) for r in results]
        if any(v is None for v in vals):
            continue
        if key in ADDITIVE_EXTRAS:
            extras[key] = float(np.sum(vals))
        elif all(v == vals[0] or (v != v and vals[0] != vals[0]) for v in vals):
            extras[key] = vals[0]
    flags = 0
    for r in results:
        flags |= int(r.diagnostics.regime_flags)
    diag = Diagnostics(
        converged=all(r.diagnostics.converged for r in results),
        errors=errors,
        reasons=reasons,
        warnings=_labelled([r.diagnostics.warnings for r in results], taus),
        notes=(
            f"channel sum of {len(results)} independent channels, tau_i = "
            + ", ".join(f"{t:.4g}" for t in taus)
            + " (docs/junction.md, Channels)",
        )
        + tuple(notes)
        + _labelled([r.diagnostics.notes for r in results], taus),
        regime_flags=flags,
    )
    harmonics = values.get("M_harmonics", np.zeros((0, 3), complex))
    return MethodResult(
        first.method,
        first.bias_mV,
        values.get("M_dc"),
        values.get("M_ac"),
        values.get("spin_current_dc"),
        harmonics,
        diag,
        extras,
    )
