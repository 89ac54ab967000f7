"""Order-by-order scaling of the Josephson-frequency (2eV) harmonic of the spin current for a
spin-filtering (Zeeman-like) link ``J = t diag(1, r)``, from the all-orders solver.

At second order the ac spin current of a diagonal J vanishes (its spin factor
Sum_s s sigma_ss W^a_ss is proportional to Sum_s s t_up t_dn = 0), so the question is whether
the fourth order survives.  :func:`ac_spin_scaling` evaluates the n = 1 harmonic
I_s,1 (z component) for decreasing t and returns the local log-log slopes; the ratio
``I_s,1 / (t_up t_dn (t_up^2 - t_dn^2))`` tends to a bias-dependent constant if the leading
order is J^4 with that spin structure.

Usage:  OPENBLAS_NUM_THREADS=1 python docs/studies/ac_spin_scaling.py [FIGURE.png]
prints the table of docs/all_orders.md (Sec. 6, t_up = 0.2 ... 0.0125, t_dn = 0.5 t_up,
T = 0, tol 1e-7; about 15 s on one core) and draws docs/figures/ac_spin_fourth_order.png.
tests/test_studies_smoke.py runs it at a tiny size.
"""

from __future__ import annotations

import sys

import numpy as np

from spintunnel.floquet import floquet_currents
from spintunnel.plotting import figure


def ac_spin_scaling(
    biases=(0.6, 1.4, 2.5), ts=(0.2, 0.1, 0.05, 0.025), ratio=0.5, *, gap=1.0, temperature=0.0, tol=1e-7, broadening=0.0
) -> dict:
    """First harmonic of the spin current of ``J = t diag(1, ratio)`` against t.

    Parameters
    ----------
    biases : sequence of float
        eV in units of the gap (both leads have gap ``gap``).
    ts : sequence of float
        Hopping t in units of W, decreasing.
    ratio : float
        t_dn / t_up.

    Returns
    -------
    dict with arrays (len(biases), len(ts)):
        ``spin1`` complex I_s,1 (z), ``charge1`` complex I_c,1, ``spin0`` dc spin current (z),
        ``coef`` = spin1 / (t_up t_dn (t_up^2 - t_dn^2)), ``slope`` local d ln|I_s,1| / d ln t
        (NaN in the first column), and ``nmax``, ``converged``.
    """
    biases = np.asarray(biases, float)
    ts = np.asarray(ts, float)
    shape = (biases.size, ts.size)
    out = {k: np.zeros(shape, complex) for k in ("spin1", "charge1", "spin0", "coef")}
    out["nmax"] = np.zeros(shape, int)
    out["converged"] = np.zeros(shape, bool)
    for i, V in enumerate(biases):
        for j, t in enumerate(ts):
            r = floquet_currents(
                t * np.diag([1.0, ratio]),
                bias=V * gap,
                gap_left=gap,
                gap_right=gap,
                temperature=temperature,
                tol=tol,
                broadening=broadening,
                n_harmonics=2,
            )
            out["spin1"][i, j] = r.spin[1, 2]
            out["charge1"][i, j] = r.charge[1]
            out["spin0"][i, j] = r.spin[0, 2]
            tu, td = t, ratio * t
            out["coef"][i, j] = r.spin[1, 2] / (tu * td * (tu**2 - td**2))
            out["nmax"][i, j] = r.nmax
            out["converged"][i, j] = r.converged
    a = np.abs(out["spin1"])
    slope = np.full(shape, np.nan)
    slope[:, 1:] = np.log(a[:, :-1] / a[:, 1:]) / np.log(ts[:-1] / ts[1:])
    out["slope"] = slope
    out["biases"] = biases
    out["ts"] = ts
    out["ratio"] = ratio
    return out


def plot_ac_spin_scaling(table: dict, path) -> None:
    """Log-log plot of |I_s,1| against t with t^2 and t^4 guides; saved to ``path``."""
    from matplotlib.ticker import NullFormatter

    ts = table["ts"]
    fig, ax = figure(figsize=(5.2, 4.0))
    for i, V in enumerate(table["biases"]):
        ax.loglog(ts, np.abs(table["spin1"][i]), "o-", label=f"spin, eV = {V:g} $\\Delta$")
    ref = np.abs(table["spin1"][0, 0])
    ax.loglog(ts, ref * (ts / ts[0]) ** 4, "k--", lw=0.8, label="$\\propto t^4$")
    ax.loglog(ts, ref * (ts / ts[0]) ** 2, "k:", lw=0.8, label="$\\propto t^2$")
    for i, V in enumerate(table["biases"][:1]):
        ax.loglog(ts, np.abs(table["charge1"][i]), "s--", color="gray", label=f"charge, eV = {V:g} $\\Delta$")
    ax.set_xlabel(f"$t_\\uparrow / W$  ($t_\\downarrow = {table['ratio']:g}\\, t_\\uparrow$)")
    ax.set_ylabel("$|I_1|$, 2eV harmonic  ($\\Delta$ e/$\\hbar$, $\\mu_B$ $\\Delta/\\hbar$)")
    ax.set_xticks(ts)
    ax.set_xticklabels([f"{t:g}" for t in ts])
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.set_title("Spin filter, S-S, T = 0: 2eV harmonic of $dM_z/dt$")
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=130)


def _complex(z: complex) -> str:
    return f"{z.real:.4g} {'-' if z.imag < 0 else '+'} {abs(z.imag):.4g} i"


def print_table(table: dict) -> None:
    """The markdown table of docs/all_orders.md (Sec. 6)."""
    print("| eV/Delta | t_up | I_s,1 | C | slope |")
    print("|---|---|---|---|---|")
    for i, V in enumerate(table["biases"]):
        for j, t in enumerate(table["ts"]):
            slope = table["slope"][i, j]
            print(
                f"| {V:g} | {t:g} | {_complex(table['spin1'][i, j])} | {_complex(table['coef'][i, j])} | "
                f"{'-' if np.isnan(slope) else f'{slope:.4g}'} |"
            )


if __name__ == "__main__":
    table = ac_spin_scaling(ts=(0.2, 0.1, 0.05, 0.025, 0.0125))
    print_table(table)
    if len(sys.argv) > 1:
        plot_ac_spin_scaling(table, sys.argv[1])
