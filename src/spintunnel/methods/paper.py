"""The paper's printed formulas, for comparison: Eq. (7)/(S39) and Eq. (12)/(S23).

``M_dc = c K_dc Y`` and ``m_ac = c K_ac X`` (``M_ac(t) = 2 Re[m_ac e^{i(phi0 + 2eVt)}]``) for
one amplitude pair (J, Jbar), Jbar from the chosen time-reversal relation
(:mod:`spintunnel.spin`), with the printed kernels K (:mod:`spintunnel.kernels`) and the
spin factors X, Y (:mod:`spintunnel.spin_factors`).  These are the terms of one momentum
sector: summed over all momenta, as Eq. (4) requires, they cancel (docs/spin_factors.md,
docs/printed_vs_exact.md).  So this route shows the paper's numbers; it is never the
recommended answer.  c is the junction's common coupling rho_L rho_R |J0|^2
(:attr:`Junction.coupling`), or R_Q/R_n of (S30) with ``normalisation="paper"``.
"""

from __future__ import annotations

import warnings

import numpy as np

from ..kernels import KernelAccuracyWarning, ac_kernel, dc_kernel, special_biases
from ..spin_factors import spin_factor_ac, spin_factor_dc
from . import register
from ._common import bias_list, warning_lines
from .base import Diagnostics, Method, MethodResult

_KERNELS = (("dc", dc_kernel), ("ac", ac_kernel))


@register
class Paper(Method):
    """The printed formulas of the paper, Eq. (7)/(S39) (M_dc) and Eq. (12)/(S23) (M_ac), with
    the kernels of docs/kernels.md (one momentum sector; zero when summed)."""

    name = "paper"
    label = "printed"
    summary = "the paper's printed formulas, Eq. (7)/(S39) and (12)/(S23): one momentum sector"
    vectorised = True
    needs_partner = True
    regime = "printed formula"
    rank = 0
    cost_hint_s = 1e-4
    line_style = "--"

    def kernels(self, junction, biases_mV):
        """K_dc, K_ac (dimensionless) and their error bounds at the biases (mV), with the
        mask of biases that are not special (:func:`spintunnel.special_biases`).

        One vectorised call of each kernel.  Returns a dict of (n,) arrays ``K_dc``,
        ``K_dc_error``, ``K_ac``, ``K_ac_error`` (NaN on a special bias), ``valid`` (bool)
        and the warnings raised.
        """
        v = np.asarray(biases_mV, dtype=float).reshape(-1)
        gl, gr, kT = junction.gap_left_meV, junction.gap_right_meV, junction.kT_meV
        out = {k: np.full(v.size, np.nan) for k in ("K_dc", "K_dc_error", "K_ac", "K_ac_error")}
        valid = np.ones(v.size, bool)
        caught = []
        if gl == 0:  # the printed kernels carry Delta_L^2 and Delta_L Delta_R
            for k in out:
                out[k][:] = 0.0
        else:
            broadening = junction.broadening_meV or None
            if broadening is None:
                for kind, _ in _KERNELS:
                    for vs, _ in special_biases(kind, kT, gl, gr):
                        valid &= ~(np.abs(np.abs(v) - vs) <= 1e-12 * (gl + gr))
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", KernelAccuracyWarning)
                for kind, fn in _KERNELS:
                    if np.any(valid):
                        r = fn(v[valid], kT, gl, gr, broadening=broadening, full_output=True)
                        out[f"K_{kind}"][valid] = np.real(r.value)
                        out[f"K_{kind}_error"][valid] = r.error
        out["valid"] = valid
        out["warnings"] = warning_lines(caught)
        return out

    def compute_channel(self, junction, biases_mV=None, progress=None):
        v = bias_list(junction, biases_mV)
        k = self.kernels(junction, v)
        c = junction.coupling_printed
        Y = spin_factor_dc(junction.amplitude, junction.amplitude_partner).real
        X = spin_factor_ac(junction.amplitude, junction.amplitude_partner)
        flags = junction.regime_flags(v)
        norm = "R_Q/R_n of (S30)" if junction.normalisation == "paper" else "the junction's common coupling"
        notes = (
            "printed kernels for one amplitude pair (J, Jbar), one momentum sector; summed over all momenta "
            "they cancel (docs/spin_factors.md)",
            "prescription: "
            + (
                f"Dynes broadening {junction.broadening_meV} meV (real part kept)"
                if junction.broadening_meV
                else "principal value (S37)"
            ),
            f"rho_L rho_R |J0|^2 = {c:.4g}: {norm}",
        )
        if junction.gap_left_meV == 0:
            notes += ("Delta_L = 0: the printed kernels vanish (factor Delta_L^2, Delta_L Delta_R)",)
        out = []
        for i, bias in enumerate(v):
            extras = {key: float(k[key][i]) for key in ("K_dc", "K_dc_error", "K_ac", "K_ac_error")}
            if not k["valid"][i]:
                msg = (
                    f"bias {bias} mV is a special bias of the printed kernels (spintunnel.special_biases): "
                    "no principal value exists; use a Dynes broadening or a nearby bias"
                )
                out.append(
                    MethodResult(
                        self.name,
                        float(bias),
                        None,
                        None,
                        None,
                        diagnostics=Diagnostics(
                            False,
                            {},
                            {q: "special_bias" for q in ("M_dc", "M_ac", "M_harmonics", "spin_current_dc")},
                            (msg,),
                            notes,
                            int(flags[i]),
                        ),
                        extras=extras,
                    )
                )
                continue
            errors = {
                "M_dc": c * extras["K_dc_error"] * float(np.abs(Y).max()),
                "M_ac": c * extras["K_ac_error"] * float(np.abs(X).max()),
                "spin_current_dc": 0.0,
            }
            # within 1e-3 of a kernel's size its error bound holds (kernels.KernelAccuracyWarning);
            # beyond, the bias is too close to a special bias for the printed value to mean much
            kernel_ok = all(
                extras[f"K_{x}_error"] <= 1e-3 * abs(extras[f"K_{x}"]) or extras[f"K_{x}_error"] == 0
                for x in ("dc", "ac")
            )
            out.append(
                MethodResult(
                    self.name,
                    float(bias),
                    c * extras["K_dc"] * Y,
                    c * extras["K_ac"] * X,
                    np.zeros(3),
                    diagnostics=Diagnostics(
                        kernel_ok,
                        errors,
                        {"M_harmonics": "not_at_this_order"},
                        tuple(k["warnings"]),
                        notes,
                        int(flags[i]),
                    ),
                    extras=extras,
                )
            )
        if progress is not None:
            progress(1.0)
        return out
