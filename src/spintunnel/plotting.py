"""Figures written to files: every axis labelled with its unit, every curve named.

Functions take arrays and return the written paths; nothing here computes physics beyond
evaluating the spin factors on a grid for the geometry figure.

The figures are :class:`matplotlib.figure.Figure` objects drawn by the Agg canvas, without
pyplot: writing them needs no display and leaves the caller's matplotlib backend (a
notebook's inline backend, a desktop window) untouched.  matplotlib is imported on the first
figure, not with the package.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from . import links
from .spin import CONVENTIONS
from .spin_factors import spin_factor_ac, spin_factor_dc

COMPONENTS = ("x", "y", "z")
_COLOURS = {"x": "tab:blue", "y": "tab:orange", "z": "tab:green"}
_STYLES = dict(zip(CONVENTIONS, ("-", "--"), strict=True))  # the time-reversal relations: standard, printed


def figure(nrows: int = 1, ncols: int = 1, **kw: Any) -> tuple[Any, Any]:
    """A figure for a file and its axes, as ``pyplot.subplots(nrows, ncols, **kw)`` but not
    registered with pyplot: no backend is chosen, nothing is shown, nothing needs closing.

    Returns
    -------
    fig : matplotlib.figure.Figure
    axes : matplotlib.axes.Axes or ndarray of them
    """
    from matplotlib.figure import Figure

    fig = Figure(figsize=kw.pop("figsize", None))
    return fig, fig.subplots(nrows, ncols, **kw)


def _save(fig, path: Path, pdf: bool) -> list[Path]:
    path = Path(path)
    fig.tight_layout()
    fig.savefig(path.with_suffix(".png"), dpi=130, bbox_inches="tight")
    written = [path.with_suffix(".png")]
    if pdf:
        fig.savefig(path.with_suffix(".pdf"), bbox_inches="tight")
        written.append(path.with_suffix(".pdf"))
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
    zero = []

    def curve(ax, x, y, style, colour, label):
        """Draw a curve unless it vanishes identically (then list it in the caption)."""
        if np.abs(y).max() <= 1e-12 * max(1.0, np.abs(y).max()):
            if label not in zero:
                zero.append(label)
            return
        ax.plot(x, y, style, color=colour, label=label)

    if model == "straight_rashba_zeeman":
        fig, axes = figure(1, 2, figsize=(10.5, 4.0), sharex=True)
        for conv in CONVENTIONS:
            pairs = [
                links.model_pair(
                    links.straight_rashba_zeeman, convention=conv, kso_d=x, b=link.b, kf_over_kso=link.kf_over_kso
                )
                for x in kso
            ]
            Y = np.array([spin_factor_dc(*p) for p in pairs]).real
            X = np.array([spin_factor_ac(*p) for p in pairs])
            for i, c in enumerate(COMPONENTS):
                curve(axes[0], kso, Y[:, i] / link.b, _STYLES[conv], _COLOURS[c], f"Y_{c}, {conv}")
                curve(axes[1], kso, np.abs(X[:, i]) / abs(link.b), _STYLES[conv], _COLOURS[c], f"|X_{c}|, {conv}")
        axes[0].set_ylabel("Y / b  (units |J0|^2)")
        axes[1].set_ylabel("|X| / |b|  (units |J0|^2)")
        axes[0].set_title("dc spin factor (S39) per b = m* B_y / k_F^2", fontsize=9)
        axes[1].set_title("ac spin factor (S23) per |b|", fontsize=9)
        for ax in axes:
            _pi_ticks(ax, "k_so d")
        title = f"Straight Rashba + Zeeman link (Eq. 11), k_F/k_so = {link.kf_over_kso:g}: solid standard, dashed printed relation"
    elif model == "bent_two_segment":
        theta = np.linspace(-np.pi / 2, np.pi / 2, 241)
        fig, axes = figure(1, 2, figsize=(10.5, 4.0))
        for conv in CONVENTIONS:
            Xk = np.array(
                [
                    spin_factor_ac(
                        *links.model_pair(
                            links.bent_two_segment, convention=conv, kso_d=x, theta=link.theta_rad, field=link.field
                        )
                    )
                    for x in kso
                ]
            )
            Xt = np.array(
                [
                    spin_factor_ac(
                        *links.model_pair(
                            links.bent_two_segment, convention=conv, kso_d=link.kso_d, theta=t, field=link.field
                        )
                    )
                    for t in theta
                ]
            )
            for i, c in enumerate(COMPONENTS):
                curve(axes[0], kso, np.abs(Xk[:, i]), _STYLES[conv], _COLOURS[c], f"|X_{c}|, {conv}")
                curve(axes[1], theta, np.abs(Xt[:, i]), _STYLES[conv], _COLOURS[c], f"|X_{c}|, {conv}")
        _pi_ticks(axes[0], "k_so d")
        _pi_ticks(axes[1], "theta", half=True)
        axes[0].set_title(f"theta = {link.theta_rad:g} rad", fontsize=9)
        axes[1].set_title(f"k_so d = {link.kso_d:g}", fontsize=9)
        for ax in axes:
            ax.set_ylabel("|X|  (ac spin factor, units |J0|^2)")
        title = f"Bent link, Rashba field along {link.field} (S26/S27): solid standard, dashed printed relation (Y = 0 for both)"
    else:
        title = None
    if title is not None:
        for ax in axes:
            ax.axhline(0, color="k", lw=0.5)
            if ax.get_legend_handles_labels()[0]:
                ax.legend(fontsize=7)
        if zero:
            title += "\nidentically zero, not drawn: " + "; ".join(zero)
        fig.suptitle(title, fontsize=9)
        return _save(fig, path, pdf)
    # a user matrix has no geometry: show the spin factors as bars
    fig, ax = figure(figsize=(5, 3.5))
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


def _pi_ticks(ax, name: str, half: bool = False) -> None:
    """x ticks at multiples of pi/2 (or pi/4 with ``half``), labelled in pi, and the label."""
    lo, hi = ax.get_xlim()
    step = np.pi / (4 if half else 2)
    ticks = np.arange(np.ceil(lo / step - 1e-9), np.floor(hi / step + 1e-9) + 1) * step
    names = {0: "0", 1: "pi", -1: "-pi"}

    def label(t):
        q = t / np.pi
        for den in (1, 2, 4):
            num = round(q * den)
            if abs(q * den - num) < 1e-9:
                if den == 1:
                    return names.get(num, f"{num}pi")
                return f"{'-' if num < 0 else ''}{'' if abs(num) == 1 else abs(num)}pi/{den}"
        return f"{t:.2g}"

    ax.set_xticks(ticks, [label(t) for t in ticks])
    ax.set_xlabel(f"{name}  (rad)")


def _scaled(values, unit: str):
    """(factor, label unit): the power of ten that brings |values| into [1, 1000), folded
    into the unit (``1e-5 mu_B``), so that no axis shows a bare offset."""
    top = float(np.nanmax(np.abs(values), initial=0.0))
    if top == 0 or not np.isfinite(top):
        return 1.0, unit
    p = int(np.floor(np.log10(top) / 3) * 3)
    return (10.0**-p, unit) if p == 0 else (10.0**-p, f"1e{p} {unit}")


def time_trace(times_ns, moment, current, methods, path, pdf: bool = False, styles=None) -> list[Path]:
    """M_L(t) components (mu_B) and the spin current dM_L/dt (mu_B/s) over a few periods.

    ``moment`` and ``current`` have shape (n_methods, n_times, 3); ``styles`` maps a method
    to its line style.  Components below 1e-6 of the largest for every method (zero, or
    invisible on the axis) are left out and said in a caption line; one legend outside the
    axes.
    """
    styles = styles or {}
    fig, axes = figure(2, 1, figsize=(8.5, 5.6), sharex=True)
    kept = [
        k
        for k in range(3)
        if np.abs(moment[..., k]).max() > 1e-6 * max(np.abs(moment).max(), 1e-300)
        or np.abs(current[..., k]).max() > 1e-6 * max(np.abs(current).max(), 1e-300)
    ]
    fm, um = _scaled(moment[..., kept], "mu_B")
    fc, uc = _scaled(current[..., kept], "mu_B/s")
    for i, m in enumerate(methods):
        for k in kept:
            c = COMPONENTS[k]
            style = styles.get(m, "-")
            axes[0].plot(times_ns, fm * moment[i, :, k], style, color=_COLOURS[c], label=f"{c}, {m}")
            axes[1].plot(times_ns, fc * current[i, :, k], style, color=_COLOURS[c])
    axes[0].set_ylabel(f"M_L(t)  ({um})")
    axes[1].set_ylabel(f"dM_L/dt  ({uc})")
    axes[1].set_xlabel("time  (ns)")
    for ax in axes:
        ax.axhline(0, color="k", lw=0.5)
        ax.set_xlim(times_ns[0], times_ns[-1])
    axes[0].legend(
        fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), title="component, method", title_fontsize=8
    )
    dropped = [COMPONENTS[k] for k in range(3) if k not in kept]
    caption = "Left-lead magnetization (Eq. 4) and spin current (Eq. 5); colour: component, line style: method"
    if dropped:
        caption += f"\n{', '.join(dropped)} component(s) below 1e-6 of the largest for every method: not drawn"
    fig.suptitle(caption, fontsize=9)
    return _save(fig, path, pdf)


def bias_sweep(sweep: dict, path, pdf: bool = False) -> list[Path]:
    """|M_ac| amplitude and |M_dc| (mu_B, log scale) against bias (mV), one curve per method.

    ``sweep`` from :func:`spintunnel.report.bias_sweep`: per method the curves, its line style
    and label, and ``converged`` (non-converged points are crossed); the operating bias and
    the special biases of the printed kernels are marked; methods left out are said.
    """
    fig, axes = figure(1, 2, figsize=(10.5, 3.9), sharex=True)
    v = sweep["bias_mV"]
    for m, c in sweep["curves"].items():
        for ax, key in zip(axes, ("M_ac_amplitude_muB", "M_dc_norm_muB"), strict=True):
            y = np.where(c[key] > 0, c[key], np.nan)  # zeros cannot be drawn on a log scale
            if np.all(np.isnan(y)):
                continue
            (line,) = ax.plot(v, y, c["line_style"], marker=".", ms=3, label=f"{m}")
            bad = ~np.asarray(c["converged"], bool) & np.isfinite(y)
            if bad.any():
                ax.plot(v[bad], y[bad], "x", color=line.get_color(), ms=7)
    for s in sweep.get("special_biases_mV", []):
        for ax in axes:
            ax.axvline(s, color="grey", lw=0.5, ls=":")
    for ax, label in zip(axes, ("|M_ac| (2eV amplitude)  (mu_B)", "|M_dc|  (mu_B)"), strict=True):
        ax.axvline(sweep["operating_bias_mV"], color="k", lw=1.0, ls="-", alpha=0.5)
        ax.set_yscale("log")
        ax.set_xlabel("bias V  (mV)")
        ax.set_ylabel(label)
        ax.set_xlim(0, v[-1] + v[0])
        if ax.get_legend_handles_labels()[0]:
            ax.legend(fontsize=8)
    note = (
        "vertical line: operating bias; dotted: special biases of the printed kernels; x: not converged; gaps: no value"
    )
    if sweep.get("skipped"):
        note += f"\nnot drawn (too slow for this figure): {', '.join(sweep['skipped'])}"
    fig.suptitle("Magnetization against bias\n" + note, fontsize=8)
    return _save(fig, path, pdf)
