"""``spintunnel validate``: the package's physics statements re-checked at a small size.

Each check runs the methods against each other (exact finite-model evolution, exact discrete
second order, the paper's printed formulas on the same levels, the continuum second order,
the all-orders solver) and reports PASS when the statement in its first column holds.
Runs in well under two minutes on one core.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .exact import FiniteJunction, default_levels, discrete_second_order, evolve, fit_harmonics
from .exact.printed import printed_second_order
from .exact.symmetry import time_reversal_defect
from .links import bent_two_segment
from .spin import time_reversed


@dataclass(frozen=True)
class Check:
    statement: str
    value: str
    criterion: str
    passed: bool


def _random(seed):
    rng = np.random.default_rng(seed)
    J = rng.normal(size=(2, 2)) + 1j * rng.normal(size=(2, 2))
    return J / np.linalg.norm(J, 2)


def _random_blocks(seed):
    return {k: _random(seed + i) for i, k in enumerate(("pp", "pm", "mp", "mm"))}


def _junction(gl, gr, T, blocks, hopping=1.0, n=3, bias=0.37, phi0=0.3):
    return FiniteJunction(
        default_levels(n, seed=2),
        default_levels(n, seed=55),
        gl,
        gr,
        temperature=T,
        bias=bias,
        phi0=phi0,
        blocks=blocks,
        hopping=hopping,
    )


def _exact_sector(j, ramp=40.0):
    res = evolve(j, ramp_time=ramp, n_periods=6, samples_per_period=32, max_step=0.05)
    fit = fit_harmonics(res.times, res.magnetization_sector.reshape(len(res.times), -1), 2 * j.bias, 2)
    # fit's c_1 multiplies e^{2ieVt}; second order's harmonic multiplies e^{i(phi0 + 2eVt)}
    return fit.static.reshape(2, 3), fit.harmonic(1).reshape(2, 3) * np.exp(-1j * j.phi0), res


def check_time_reversal() -> Check:
    J, Jc = _random(3), _random(10)
    defects = {}
    for conv in ("standard", "paper"):
        blocks = {"pp": J, "pm": Jc, "mp": time_reversed(Jc, conv), "mm": time_reversed(J, conv)}
        # a bias or a phase difference breaks time reversal by itself: test at V = 0, phi0 = 0
        defects[conv] = time_reversal_defect(_junction(1.0, 0.8, 0.0, blocks, hopping=0.1, bias=0.0, phi0=0.0))
    ok = defects["standard"] < 1e-13 and defects["paper"] > 1e-2
    return Check(
        "H is time-reversal invariant with Jbar = sigma_y J* sigma_y, not with the printed sigma_x J* sigma_x (Eq. 9, S24)",
        f"defect standard {defects['standard']:.1e}, paper {defects['paper']:.2f}",
        "standard < 1e-13, paper > 1e-2",
        ok,
    )


def check_su2() -> Check:
    U = bent_two_segment(1.3, 0.4)
    j = _junction(1.0, 0.8, 0.0, U, hopping=0.2)
    res = evolve(j, ramp_time=20.0, n_periods=3, samples_per_period=16, max_step=0.05)
    peak = float(np.abs(res.magnetization).max())
    return Check(
        "a momentum-independent SU(2) link (bent link S26) gives M_L(t) = 0 at all times, t0 = 0.2",
        f"max |M_L| = {peak:.1e}",
        "< 1e-10",
        peak < 1e-10,
    )


def check_fourth_order() -> list[Check]:
    scales = (0.01, 0.02, 0.04)
    base = _junction(1.0, 0.8, 0.0, _random_blocks(1))
    d_static, d_harm = [], []
    for t0 in scales:
        es, eh, _ = _exact_sector(base.scaled(t0))
        so = discrete_second_order(base.scaled(t0))
        d_static.append(np.abs(es - so.static_sector).max())
        d_harm.append(np.abs(eh - so.harmonic_sector).max())
    slope = lambda y: float(np.polyfit(np.log(scales), np.log(y), 1)[0])
    s, h = slope(d_static), slope(d_harm)
    return [
        Check(
            "exact - second order (static, per sector) shrinks as t0^4",
            f"exponent {s:.3f}",
            "4 +- 0.2",
            abs(s - 4) < 0.2,
        ),
        Check(
            "exact - second order (2eV harmonic, per sector) shrinks as t0^4",
            f"exponent {h:.3f}",
            "4 +- 0.2",
            abs(h - 4) < 0.2,
        ),
    ]


def check_spin_filter() -> list[Check]:
    F = np.diag([1.3, 0.7]).astype(complex)
    out = []
    for label, gl, gr in (
        ("both superconducting", 1.0, 0.8),
        ("normal right lead", 1.0, 0.0),
        ("normal left lead", 0.0, 1.0),
    ):
        j = _junction(gl, gr, 0.0, F, hopping=0.02)
        es, _, _ = _exact_sector(j, ramp=60.0)
        exact, pert = es.sum(0)[2], discrete_second_order(j).static[2]
        rel = abs(exact - pert) / abs(pert)
        out.append(
            Check(
                f"spin filter diag(1.3, 0.7), {label}: static M_z at second order = exact",
                f"exact {exact:.4e}, 2nd order {pert:.4e}",
                "relative difference < 1e-2 and M_z != 0",
                rel < 1e-2 and abs(pert) > 1e-6,
            )
        )
    return out


def printed_vs_exact_rows(n_levels: int = 6, hopping: float = 0.02) -> list[dict]:
    """The printed formulas (Eq. 7/S39, 12/S23) against exact discrete second order on the
    same levels, per sector and in total, for several amplitude structures."""
    F = np.diag([1.3, 0.7]).astype(complex)
    J, Jc = _random(3), _random(10)
    cases = {
        "random blocks, T = 0": (1.0, 0.8, 0.0, _random_blocks(1)),
        "random blocks, T = 0.3": (1.0, 0.8, 0.3, _random_blocks(1)),
        "random blocks, normal right lead": (1.0, 0.0, 0.0, _random_blocks(5)),
        "spin filter, all blocks equal": (1.0, 0.8, 0.0, F),
        "TR pairs, standard relation": (
            1.0,
            0.8,
            0.0,
            {"pp": J, "pm": Jc, "mp": time_reversed(Jc, "standard"), "mm": time_reversed(J, "standard")},
        ),
        "TR pairs, paper relation": (
            1.0,
            0.8,
            0.0,
            {"pp": J, "pm": Jc, "mp": time_reversed(Jc, "paper"), "mm": time_reversed(J, "paper")},
        ),
    }
    rows = []
    for name, (gl, gr, T, blocks) in cases.items():
        j = _junction(gl, gr, T, blocks, hopping=hopping, n=n_levels)
        so, pr = discrete_second_order(j), printed_second_order(j)
        # relative to the second-order signal of the case (static or 2eV, whichever is larger)
        scale_s = scale_h = max(np.abs(so.static_sector).max(), np.abs(so.harmonic_sector).max())
        rows.append(
            {
                "case": name,
                "dc_sector_exact": float(np.linalg.norm(so.static_sector[0])),
                "dc_sector_printed": float(np.linalg.norm(pr.static_sector[0])),
                "dc_sector_diff": float(np.abs(so.static_sector - pr.static_sector).max() / scale_s),
                "dc_total_exact": float(np.linalg.norm(so.static)),
                "dc_total_printed": float(np.linalg.norm(pr.static)),
                "ac_sector_exact": float(np.linalg.norm(so.harmonic_sector[0])),
                "ac_sector_diff": float(np.abs(so.harmonic_sector - pr.harmonic_sector).max() / scale_h),
                "ac_total_exact": float(np.linalg.norm(so.harmonic)),
                "ac_total_printed": float(np.linalg.norm(pr.harmonic)),
            }
        )
    return rows


def check_printed_formulas() -> list[Check]:
    rows = printed_vs_exact_rows()
    ac_ok = all(r["ac_sector_diff"] < 1e-8 for r in rows)
    worst_ac = max(r["ac_sector_diff"] for r in rows)
    dc_off = [r["dc_sector_diff"] for r in rows if r["dc_sector_exact"] > 1e-9]
    totals = max(max(r["ac_total_exact"], r["ac_total_printed"], r["dc_total_printed"]) for r in rows)
    dc_total = max(r["dc_total_exact"] for r in rows)
    return [
        Check(
            "printed ac (Eq. 12/S23) = exact second order for the k_n states (per sector)",
            f"worst relative difference {worst_ac:.1e}",
            "< 1e-8",
            ac_ok,
        ),
        Check(
            "summed over all momenta the ac part vanishes at second order (exact and printed), and the printed dc too",
            f"largest total {totals:.1e}",
            "< 1e-15",
            totals < 1e-15,
        ),
        Check(
            "printed dc (Eq. 7/S39) differs from exact second order, per sector and in total",
            f"per-sector relative difference >= {min(dc_off):.2f}; exact total up to {dc_total:.1e}, printed total 0",
            "difference > 0.1 in every case with a static part",
            min(dc_off) > 0.1 and dc_total > 1e-6,
        ),
    ]


def check_all_orders() -> Check:
    from .floquet import floquet_currents
    from .second_order import spin_current_dc

    J = np.diag([1.0, 0.6])
    t = 0.01  # in units of W = 1/(pi rho)
    res = floquet_currents(t * J, bias=0.5, gap_left=1.0, gap_right=1.0, temperature=0.4, n_harmonics=1, tol=1e-7)
    rho = 1.0 / np.pi
    # second_order works per pair sector (rho/2 each) with all four blocks equal
    pert = (rho / 2) ** 2 * spin_current_dc(t * J, t * J, 0.5, 0.4, 1.0, 1.0, cross="equal")
    rel = abs(res.spin[0, 2].real - pert[2]) / abs(pert[2])
    return Check(
        "all orders (Floquet-Keldysh) = second order at weak tunnelling: dc spin current of a spin filter",
        f"relative difference {rel:.1e} at t = 0.01 W",
        "< 1e-2",
        rel < 1e-2,
    )


def run_all(progress=None) -> list[Check]:
    """Every check, in order; ``progress(name)`` is called before each."""
    steps: list[Callable[[], Check | list[Check]]] = [
        check_time_reversal,
        check_su2,
        check_printed_formulas,
        check_spin_filter,
        check_fourth_order,
        check_all_orders,
    ]
    out: list[Check] = []
    for step in steps:
        if progress:
            progress(step.__name__)
        result = step()
        out.extend(result if isinstance(result, list) else [result])
    return out


def format_table(checks: list[Check], seconds: float | None = None) -> str:
    lines = [f"{'result':6s}  {'statement':104s}  value  [criterion]"]
    for c in checks:
        lines.append(f"{'PASS' if c.passed else 'FAIL':6s}  {c.statement:104s}  {c.value}  [{c.criterion}]")
    n_fail = sum(not c.passed for c in checks)
    tail = f"{len(checks) - n_fail} passed, {n_fail} failed"
    if seconds is not None:
        tail += f" ({seconds:.0f} s)"
    lines.append(tail)
    return "\n".join(lines)


def main(progress=None) -> tuple[str, bool]:
    t0 = time.perf_counter()
    checks = run_all(progress)
    return format_table(checks, time.perf_counter() - t0), all(c.passed for c in checks)
