"""Figures (matplotlib, Agg backend): every axis labelled with its unit, every curve named.

Functions take arrays and return the written paths; nothing here computes physics beyond
evaluating the spin factors on a grid for the geometry figure.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from . import links  # noqa: E402
from .spin import CONVENTIONS  # noqa: E402
from .spin_factors import spin_factor_ac, spin_factor_dc  # noqa: E402

COMPONENTS = ("x", "y", "z")
_COLOURS = {"x": "tab:blue", "y": "tab:orange", "z": "tab:green"}
_STYLES = {"standard": "-", "paper": "--"}


def _save(fig, path: Path, pdf: bool) -> list[Path]:
    path = Path(path)
    fig.tight_layout()
    fig.savefig(path.with_suffix(".png"), dpi=130, bbox_inches="tight")
    written = [path.with_suffix(".png")]
    if pdf:
        fig.savefig(path.with_suffix(".pdf"), bbox_inches="tight")
        written.append(path.with_suffix(".pdf"))
    plt.close(fig)
    return written


def spin_factor_geometry(link, path, pdf: bool = False) -> list[Path]:
    """Spin factors of a link model against its geometry, under both time-reversal relations.

    ``link`` is a :class:`spintunnel.config.StraightLink`, ``BentLink`` or ``MatrixLink``.
    Straight link: Y (dc, S39) and X (ac, S23) against k_so d at the link's b and k_F/k_so.
    Bent link: |X| against k_so d at the link's theta, and against theta at its k_so d.
    Spin factors in units of |J0|^2 (X is complex: its modulus per component is drawn).
    """
    kso = np.linspace(0.0, 2 * np.pi, 241)
    model = getattr(link, "model", None)
    if model == "straight_rashba_zeeman":
        fig, axes = plt.subplots(1, 2, figsize=(10, 3.8), sharex=True)
        for conv in CONVENTIONS:
            pairs = [links.model_pair(links.straight_rashba_zeeman, convention=conv, kso_d=x, b=link.b, kf_over_kso=link.kf_over_kso) for x in kso]
            Y = np.array([spin_factor_dc(*p) for p in pairs]).real
            X = np.array([spin_factor_ac(*p) for p in pairs])
            for i, c in enumerate(COMPONENTS[:2]):
                axes[0].plot(kso, Y[:, i] / link.b, _STYLES[conv], color=_COLOURS[c], label=f"Y_{c}, {conv}")
                axes[1].plot(kso, np.abs(X[:, i]) / abs(link.b), _STYLES[conv], color=_COLOURS[c], label=f"|X_{c}|, {conv}")
        axes[0].set_ylabel("Y / b   (dc spin factor per b = m*B_y/k_F^2, units |J0|^2)")
        axes[1].set_ylabel("|X| / |b|   (ac spin factor, units |J0|^2)")
        for ax in axes:
            ax.set_xlabel("k_so d  (rad)")
            ax.axhline(0, color="k", lw=0.5)
            ax.legend(fontsize=7)
        fig.suptitle(f"Straight Rashba + Zeeman link (Eq. 11), k_F/k_so = {link.kf_over_kso:g}: solid standard, dashed paper relation", fontsize=9)
        return _save(fig, path, pdf)
    if model == "bent_two_segment":
        theta = np.linspace(-np.pi / 2, np.pi / 2, 241)
        fig, axes = plt.subplots(1, 2, figsize=(10, 3.8))
        for conv in CONVENTIONS:
            Xk = np.array([spin_factor_ac(*links.model_pair(links.bent_two_segment, convention=conv, kso_d=x, theta=link.theta_rad, field=link.field)) for x in kso])
            Xt = np.array([spin_factor_ac(*links.model_pair(links.bent_two_segment, convention=conv, kso_d=link.kso_d, theta=t, field=link.field)) for t in theta])
            for i, c in enumerate(COMPONENTS):
                axes[0].plot(kso, np.abs(Xk[:, i]), _STYLES[conv], color=_COLOURS[c], label=f"|X_{c}|, {conv}")
                axes[1].plot(theta, np.abs(Xt[:, i]), _STYLES[conv], color=_COLOURS[c], label=f"|X_{c}|, {conv}")
        axes[0].set_xlabel("k_so d  (rad)")
        axes[0].set_title(f"theta = {link.theta_rad:g} rad", fontsize=9)
        axes[1].set_xlabel("theta  (rad)")
        axes[1].set_title(f"k_so d = {link.kso_d:g}", fontsize=9)
        for ax in axes:
            ax.set_ylabel("|X|  (ac spin factor, units |J0|^2)")
            ax.legend(fontsize=7)
        fig.suptitle(f"Bent link, Rashba field along {link.field} (S26/S27): solid standard, dashed paper relation (Y = 0 for both)", fontsize=9)
        return _save(fig, path, pdf)
    # a user matrix has no geometry: show the spin factors as bars
    fig, ax = plt.subplots(figsize=(5, 3.5))
    for j, conv in enumerate(CONVENTIONS):
        J, Jbar = link.pair(conv)
        Y = spin_factor_dc(J, Jbar).real
        X = np.abs(spin_factor_ac(J, Jbar))
        ax.bar(np.arange(3) + 0.2 * j - 0.3, Y, 0.2, label=f"Y, {conv}")
        ax.bar(np.arange(3) + 0.2 * j + 0.1, X, 0.2, label=f"|X|, {conv}")
    ax.set_xticks(range(3), ["x", "y", "z"])
    ax.set_ylabel("spin factor (units |J0|^2)")
    ax.legend(fontsize=7)
    return _save(fig, path, pdf)


_METHOD_STYLES = {"paper": "--", "second_order": "-", "exact": ":", "all_orders": "-."}


def time_trace(times_ns, moment, current, methods, path, pdf: bool = False) -> list[Path]:
    """M_L(t) components (mu_B) and the spin current dM_L/dt (mu_B/s) over a few periods.

    ``moment`` and ``current`` have shape (n_methods, n_times, 3).
    """
    fig, axes = plt.subplots(2, 1, figsize=(8, 6), sharex=True)
    for i, m in enumerate(methods):
        for k, c in enumerate(COMPONENTS):
            style = _METHOD_STYLES.get(m, "-")
            axes[0].plot(times_ns, moment[i, :, k], style, color=_COLOURS[c], label=f"M_{c}, {m}")
            axes[1].plot(times_ns, current[i, :, k], style, color=_COLOURS[c], label=f"dM_{c}/dt, {m}")
    axes[0].set_ylabel("M_L(t)  (mu_B)")
    axes[1].set_ylabel("spin current dM_L/dt  (mu_B/s)")
    axes[1].set_xlabel("time  (ns)")
    for ax in axes:
        ax.axhline(0, color="k", lw=0.5)
        ax.legend(fontsize=7, ncol=2)
    fig.suptitle("Left-lead magnetization (Eq. 4) and spin current (Eq. 5): line style = method", fontsize=9)
    return _save(fig, path, pdf)


def bias_sweep(sweep: dict, path, pdf: bool = False) -> list[Path]:
    """|M_ac| amplitude and |M_dc| (mu_B) against bias (mV), one curve per method."""
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.8), sharex=True)
    v = sweep["bias_mV"]
    for m, curves in sweep["curves"].items():
        style = _METHOD_STYLES.get(m, "-")
        axes[0].plot(v, curves["M_ac_amplitude_muB"], style, marker=".", label=m)
        axes[1].plot(v, curves["M_dc_norm_muB"], style, marker=".", label=m)
    for s in sweep.get("special_biases_mV", []):
        for ax in axes:
            ax.axvline(s, color="grey", lw=0.5, ls=":")
    axes[0].set_ylabel("|M_ac| amplitude  (mu_B)")
    axes[1].set_ylabel("|M_dc|  (mu_B)")
    for ax in axes:
        ax.set_xlabel("bias V  (mV)")
        ax.legend(fontsize=8)
    fig.suptitle("Against bias, one curve per method except 'exact' (not swept) (dotted lines: special biases, excluded; gaps: no finite value)", fontsize=9)
    return _save(fig, path, pdf)
