"""``spintunnel reproduce``: every checkable claim of the paper, computed now, with a verdict.

Each claim is evaluated when the command runs (no stored results) with the package's methods:
the printed formulas (spin factors, kernels), second order derived from the Hamiltonian, the
exact finite-model solver, and the all-orders (Floquet-Keldysh) solver. Verdicts:

* ``holds``
* ``holds only under the printed time-reversal relation`` (Eq. 9 / S24 / S42, sigma_x J* sigma_x)
* ``does not hold``
* ``not checkable``

Every claim names the test that backs its verdict. ``markdown()`` renders the table that is
committed as ``docs/reproduction.md`` (the test suite regenerates it and compares).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import SupportsFloat

import numpy as np

HOLDS = "holds"
PRINTED_TR = "holds only under the printed time-reversal relation"
FAILS = "does not hold"
UNCHECKABLE = "not checkable"


@dataclass(frozen=True)
class Claim:
    claim: str
    where: str
    paper: str
    computed: str
    method: str
    verdict: str
    reason: str
    test: str


def _g(x: SupportsFloat) -> str:
    """Three significant digits, stable across machines."""
    return f"{float(x) + 0.0:.3g}"


def _tiny(x: float, floor: float = 1e-12) -> str:
    """A round-off-level number as a bound (its digits depend on the machine)."""
    return f"< {floor:g}" if abs(x) < floor else _g(x)


def _vec(v) -> str:
    return "(" + ", ".join(_g(float(x)) for x in np.real(v)) + ")"


def _spin_factor_claims() -> list[Claim]:
    from . import printed
    from .links import bent_two_segment, model_pair, straight_rashba_zeeman
    from .spin import time_reversed
    from .spin_factors import spin_factor_ac, spin_factor_dc

    out = []
    x, th, ph = 1.0, 0.5, 0.7
    Jp, Jbp = model_pair(bent_two_segment, convention="paper", kso_d=x, theta=th)
    Js, Jbs = model_pair(bent_two_segment, convention="standard", kso_d=x, theta=th)
    paper_val = printed.ac_term_bent_z(x, th, ph)
    got_p = 2 * np.real(np.exp(1j * ph) * spin_factor_ac(Jp, Jbp))
    got_s = 2 * np.real(np.exp(1j * ph) * spin_factor_ac(Js, Jbs))
    ok = np.allclose(got_p, paper_val, atol=1e-12) and np.allclose(got_s, 0, atol=1e-12)
    out.append(
        Claim(
            "ac spin factor of the bent link, Rashba field along z",
            "Eq. (15), (S28)",
            f"{_vec(paper_val)} at k_so d = 1, theta = 0.5, phase 0.7",
            f"printed relation {_vec(got_p)}; standard relation {_vec(got_s)}",
            "spin factor X (Eq. 13)",
            PRINTED_TR if ok else FAILS,
            "under Theta = i sigma_y K the bent link is its own partner and transfers a singlet",
            "tests/test_printed_forms.py::test_eq15_s28_holds_under_the_paper_relation",
        )
    )
    vals = [
        np.abs(spin_factor_ac(*model_pair(bent_two_segment, convention=c, kso_d=x, theta=th, field="y"))).max()
        for c in ("standard", "paper")
    ]
    out.append(
        Claim(
            "field along y gives no ac spin factor",
            "after (S27)",
            "all components vanish",
            f"max |X| {_tiny(max(vals))} (both relations)",
            "spin factor X",
            HOLDS if max(vals) < 1e-12 else FAILS,
            "J is its own partner under both relations",
            "tests/test_printed_forms.py::test_s27_field_along_y_gives_no_ac_factor_under_both_relations",
        )
    )
    J = np.array([[0.3 + 0.2j, -0.7 + 0.4j], [1.1 - 0.5j, 0.2 + 0.9j]])
    exact = 2 * np.real(np.exp(1j * ph) * spin_factor_ac(J, time_reversed(J, "paper")))
    s25 = printed.ac_term_s25(J, ph)
    eq14 = printed.ac_term_eq14(J, ph)
    out.append(
        Claim(
            "ac spin term of a link obeying (S24)",
            "(S25)",
            "x, y, z brackets",
            f"x, z agree; y: printed {_g(s25[1].real)}{'+' if s25[1].imag >= 0 else ''}{_g(s25[1].imag)}i vs {_g(exact[1])}",
            "spin factor X, printed relation",
            FAILS,
            "the y bracket as printed is not what (S24) gives (corrected form tested)",
            "tests/test_printed_forms.py::test_s25_y_component_as_printed_does_not_hold",
        )
    )
    out.append(
        Claim(
            "ac spin term of a time-reversal-symmetric link",
            "Eq. (14)",
            "x, y, z terms",
            f"z agrees; y = {_g(eq14[1])} vs {_g(exact[1])} (2x); x = {_g(eq14[0])} vs {_g(exact[0])}",
            "spin factor X, printed relation",
            FAILS,
            "factor 4 should be 2; x term has a wrong relative sign",
            "tests/test_printed_forms.py::test_eq14_z_holds_but_x_and_y_do_not",
        )
    )
    y41 = spin_factor_dc(J, time_reversed(J, "paper")).real
    y_std = spin_factor_dc(J, time_reversed(J, "standard")).real
    out.append(
        Claim(
            "dc spin factor of a spin-orbit link has only a z component",
            "Eq. (10), (S40)-(S41)",
            f"{_vec(printed.dc_factor_s41(J))}",
            f"printed relation {_vec(y41)}; standard relation {_vec(y_std)}",
            "spin factor Y (S39)",
            PRINTED_TR,
            "under the standard relation Y = 2 Tr(sigma J J^dag), all components",
            "tests/test_printed_forms.py::test_s41_holds_under_the_paper_relation",
        )
    )
    xs, b, q = 0.8, 1e-3, 3.0
    Yp = spin_factor_dc(*model_pair(straight_rashba_zeeman, convention="paper", kso_d=xs, b=b, kf_over_kso=q)).real
    Ys = spin_factor_dc(*model_pair(straight_rashba_zeeman, convention="standard", kso_d=xs, b=b, kf_over_kso=q)).real
    out.append(
        Claim(
            "dc spin factor of the straight link, sign -8",
            "after Eq. (11)",
            _vec(printed.dc_factor_straight_main_text(xs, b)),
            f"printed relation {_vec(Yp)}; standard relation {_vec(Ys)}",
            "spin factor Y (S39)",
            PRINTED_TR,
            "J indexed as in (S7); zero under the standard relation",
            "tests/test_printed_forms.py::test_main_text_sign_holds_for_the_s7_index_order_under_the_paper_relation",
        )
    )
    out.append(
        Claim(
            "dc spin factor of the straight link, sign +8",
            "(S47)",
            _vec(printed.dc_factor_straight_s47(xs, b)),
            f"{_vec(Yp)} for J as in (S7)",
            "spin factor Y (S39)",
            FAILS,
            "+8 only for the transposed index order of Eq. (9), and only under the printed relation",
            "tests/test_printed_forms.py::test_s47_sign_holds_for_the_transposed_index_order_of_eq9",
        )
    )
    JJ = straight_rashba_zeeman(xs, b, q)
    rem = np.abs(JJ @ JJ.conj().T - printed.jjdag_straight_s46(xs, b)).max()
    out.append(
        Claim(
            "J J^dag of the straight link",
            "(S46)",
            "1 - 2b cos(sin sigma_x + cos sigma_y)",
            f"remainder {_g(rem)} = b^2 |w|^2 (second order in b)",
            "link model (S45)",
            HOLDS,
            "to linear order in B_y as stated",
            "tests/test_printed_forms.py::test_s46_jjdag_of_the_straight_link",
        )
    )
    return out


def _hamiltonian_claims() -> list[Claim]:
    from . import second_order as so
    from .links import straight_rashba_zeeman
    from .validate import check_su2, check_time_reversal, printed_vs_exact_rows

    out = []
    tr = check_time_reversal()
    out.append(
        Claim(
            "time-reversal relation of the amplitudes",
            "Eq. (9), (S24), (S42)",
            "J_{-k-s,-p-s'} = J*_{ks,ps'}",
            "H commutes with Theta: "
            + (
                "standard relation yes (defect < 1e-13), printed relation no (defect > 1e-2)" if tr.passed else tr.value
            ),
            "exact finite model: commutator of H_BdG with Theta",
            FAILS if tr.passed else UNCHECKABLE,
            "the Hamiltonian is invariant only with the factor s s' (Jbar = sigma_y J* sigma_y)",
            "tests/test_validate.py::test_validate_command_passes_every_check",
        )
    )
    rows = printed_vs_exact_rows()
    worst_ac = max(r["ac_sector_diff"] for r in rows)
    tot = max(max(r["ac_total_exact"], r["ac_total_printed"]) for r in rows)
    out.append(
        Claim(
            "ac magnetization (pair transmission), summed over all k",
            "Eq. (12), (S23)",
            "non-zero, oscillating at 2eV",
            f"k sector: printed = exact second order (relative difference {_tiny(worst_ac, 1e-12)}); total {_tiny(tot, 1e-15)}",
            "printed formula and exact discrete second order on the same levels",
            FAILS,
            "the -k states cancel the k states: no ac magnetization at second order",
            "tests/test_validate.py::test_validate_command_passes_every_check",
        )
    )
    dc_diff = min(r["dc_sector_diff"] for r in rows if r["dc_sector_exact"] > 1e-9)
    out.append(
        Claim(
            "dc magnetization (reflection processes)",
            "Eq. (7), (S39)",
            "spin factor Y times the printed kernel",
            f"per-sector relative difference >= {_g(dc_diff)}; printed total 0, exact total up to {_g(max(r['dc_total_exact'] for r in rows))}",
            "printed formula and exact discrete second order",
            FAILS,
            "correct: M_dc = (1/4) I(eV) Tr[sigma W W^dag] (docs/second_order.md)",
            "tests/test_validate.py::test_validate_command_passes_every_check",
        )
    )
    su2 = check_su2()
    out.append(
        Claim(
            "spin-orbit (Rashba) tunnelling magnetizes the leads under bias",
            "Eq. (15), Fig. 1",
            "ac magnetization for the bent link",
            ("max |M_L(t)| < 1e-10" if su2.passed else su2.value) + " (exact, t0 = 0.2 in units of the gap)",
            "exact finite model",
            FAILS if su2.passed else UNCHECKABLE,
            "a momentum-independent SU(2) amplitude is undone by a spin rotation of one lead: zero to all orders",
            "tests/test_exact_symmetry.py",
        )
    )
    F = np.diag([1.3, 0.7])
    m_sc = so.magnetization_dc(F, F, 0.5, 0.0, 1.0, 1.0, cross="equal")[2]
    m_n = so.magnetization_dc(F, F, 0.5, 0.0, 1.0, 0.0, cross="equal")[2]
    out.append(
        Claim(
            "static magnetization in one lead even if the other is normal",
            "abstract, after Eq. (8)",
            "yes",
            f"M_z = {_g(m_sc)} (S-S), {_g(m_n)} (S-N), spin filter diag(1.3, 0.7), eV = Delta/2, per rho rho",
            "second order from the Hamiltonian",
            HOLDS,
            "but through spin filtering (J J^dag not ~ 1), not through the printed Y",
            "tests/test_second_order.py",
        )
    )
    m1, m2 = (
        so.magnetization_dc(J, J, 0.5, 0.0, 1.0, 1.0, cross="equal")
        for J in (straight_rashba_zeeman(1.0, b, 3.0) for b in (1e-3, 2e-3))
    )
    ratio = np.linalg.norm(m2) / np.linalg.norm(m1)
    out.append(
        Claim(
            "dc magnetization proportional to B_y",
            "after Eq. (11)",
            "~ m* B_y / k_F^2",
            f"M(2b)/M(b) = {_g(ratio)} (straight link, all blocks J)",
            "second order from the Hamiltonian",
            HOLDS if abs(ratio - 2) < 1e-6 else FAILS,
            "Tr(sigma J J^dag) is linear in b; the printed Y with the standard relation is 0",
            "tests/test_junction.py::test_second_order_static_moment_is_odd_in_bias_and_field",
        )
    )
    m0 = so.magnetization_dc(F, F, 0.0, 0.0, 1.0, 1.0, cross="equal")
    out.append(
        Claim(
            "no magnetization without bias for a symmetric DOS (blockade)",
            "abstract, Discussion",
            "M = 0 at V = 0",
            f"|M| {_tiny(np.abs(m0).max())} at V = 0 (spin filter)",
            "second order from the Hamiltonian",
            HOLDS,
            "I(eV) is odd in eV",
            "tests/test_junction.py::test_zero_bias_with_symmetric_dos_gives_no_magnetization",
        )
    )
    return out


def _kernel_claims() -> list[Claim]:
    from .kernels import LinearDOS, ac_kernel, channel_kernels, dc_kernel

    out = []
    ch0 = channel_kernels("ac", 0.0, 0.0, 1.0, 1.0)
    ch1 = channel_kernels("ac", 0.3, 0.0, 1.0, 1.0)
    out.append(
        Claim(
            "destructive interference of quasi-electron/hole channels at V = 0",
            "Discussion",
            "ee + hh = 0 and eh + he = 0; a bias lifts it",
            f"V = 0: ee {_g(ch0['ee'])}, eh {_g(ch0['eh'])}, he {_g(ch0['he'])}, hh {_g(ch0['hh'])}; V = 0.3: sum {_g(sum(ch1.values()))}",
            "printed kernel K_ac, channel parts",
            HOLDS,
            "as stated for the printed kernel; also ee = eh: left-lead electrons cancel left-lead holes",
            "tests/test_kernels_channels_dos.py",
        )
    )
    k0 = dc_kernel(0.0, 0.0, 1.0, 1.0, dos_left=LinearDOS(0.1, 20.0), dos_right=LinearDOS(0.1, 20.0))
    from .exact import FiniteJunction, discrete_second_order

    def levels(stretch, a):
        half = np.geomspace(0.05, 4, 12) * stretch
        xi = np.concatenate([-half[::-1], half])
        return xi + a * xi**2

    F = np.diag([1.3, 0.7]).astype(complex)
    m = {
        a: discrete_second_order(
            FiniteJunction(
                levels(1.0, a), levels(1.07, a), 1.0, 0.8, temperature=0.0, bias=0.0, phi0=0.0, blocks=F, hopping=0.01
            )
        ).static[2]
        for a in (0.0, 0.1)
    }
    out.append(
        Claim(
            "an intrinsic electron-hole imbalance gives a static magnetization at zero bias",
            "Discussion, after (S23)",
            "yes",
            f"printed K_dc(V = 0) = {_g(k0)} for N = N0 (1 + 0.1 xi/W); Hamiltonian, 24 levels, spin filter, t0 = 0.01: "
            f"M_z = {_g(m[0.1])} for levels xi + 0.1 xi^2, {_tiny(m[0.0], 1e-15)} for mirror-symmetric levels",
            "printed kernel; exact discrete second order (and exact equilibrium)",
            HOLDS,
            "in the Hamiltonian it needs a spin-filtering link (the printed total vanishes by the exchange symmetry)",
            "tests/test_exact_vs_second_order.py::test_electron_hole_asymmetric_levels_give_static_magnetization_at_zero_bias",
        )
    )
    k_ac_n = ac_kernel(0.5, 0.0, 1.0, 0.0)
    out.append(
        Claim(
            "the ac part needs both leads superconducting",
            "after Eq. (11), (S23)",
            "yes",
            f"printed K_ac = {_g(k_ac_n)} for Delta_R = 0; all orders: no 2eV harmonic with a normal lead",
            "printed kernel; all-orders solver",
            HOLDS,
            "a normal lead absorbs the bias phase: no Josephson dynamics",
            "tests/test_junction.py::test_all_orders_has_no_ac_part_with_a_normal_right_lead",
        )
    )
    eps = 1e-4
    slope_ac = abs(ac_kernel(eps, 0.0, 1.0, 1.0) / eps)
    slope_dc = dc_kernel(eps, 0.0, 1.0, 1.0) / eps
    s29 = math.pi**2 / 8
    out.append(
        Claim(
            "coefficient 3/16 of the ac estimate",
            "(S29)-(S30)",
            "3/16 = 0.1875",
            f"S29's integral = pi^2/8 = {_g(s29)}, so S29 gives {_g(s29 / 4)}; whole-line slope |dK_ac/d(eV)| = {_g(slope_ac)}",
            "printed kernel",
            FAILS,
            "3/16 does not follow from S29, whose integral is pi^2/8; S29 also keeps only a quarter of the (xi_k, xi_p) plane",
            "tests/test_kernels_analytic.py::test_s29_integral_is_pi_squared_over_8_and_sets_the_ac_slope",
        )
    )
    out.append(
        Claim(
            "coefficient 1/16 of the dc estimate",
            "after (S47)",
            "1/16 = 0.0625",
            f"slope dK_dc/d(eV) = {_g(slope_dc)}",
            "printed kernel",
            FAILS,
            "about 9 times larger",
            "tests/test_kernels_analytic.py::test_kernels_are_linear_in_small_bias_at_zero_temperature",
        )
    )
    return out


def _units_claims() -> list[Claim]:
    from . import estimates, units
    from .junction import Junction
    from .links import straight_rashba_zeeman

    out = []
    out.append(
        Claim(
            "resistance quantum R_Q = hbar/e^2 ~ 4 kOhm",
            "(S30)",
            "~ 4 kOhm",
            f"{_g(units.RESISTANCE_QUANTUM_OHM)} Ohm",
            "CODATA",
            HOLDS,
            "as a definition; one spin-degenerate channel of transmission tau has R_n = pi R_Q/tau",
            "tests/test_units_and_gap.py::test_resistance_quantum_is_hbar_over_e_squared",
        )
    )
    J = np.diag([1.0, 0.6])
    j = Junction(0.18, 0.18, 0.6, 0.09, 0.0, units.RESISTANCE_QUANTUM_OHM * 3e5, J, J)
    a = j.observables("second_order").spin_current_dc_muB_per_s[2]
    b = j.observables("all_orders").spin_current_dc_muB_per_s[2]
    trace = float(np.trace(J @ J.T))
    ratio = units.RESISTANCE_QUANTUM_OHM / j.normal_resistance_ohm / (j.coupling * trace / 2)
    out.append(
        Claim(
            "R_n = hbar/(e^2 rho_L rho_R J0^2)",
            "(S30)",
            "rho rho J0^2 = R_Q/R_n",
            f"the all-orders normal conductance at R_n = 3e5 R_Q gives R_Q/R_n = {_g(ratio)} x rho rho J0^2 Tr(jj^dag)/2; "
            f"second order and all orders at that J: spin currents agree to {_g(abs(b / a - 1))}",
            "normal conductance, second order vs all orders",
            FAILS,
            "off by 4 pi for a unitary amplitude",
            "tests/test_junction.py::test_golden_rule_resistance_is_the_second_order_approximation",
        )
    )
    per_muB = units.field_mT(1.0)
    out.append(
        Claim(
            "field of one mu_B in a half-sphere of radius 1 nm",
            "after (S30)",
            "about 10 mT",
            f"{_g(per_muB)} mT",
            "CODATA",
            HOLDS,
            "within a factor 2",
            "tests/test_units_and_gap.py::test_field_of_one_bohr_magneton_in_a_cubic_angstrom_is_about_a_tesla",
        )
    )
    Jl = straight_rashba_zeeman(1.0, 3e-3, 3.0)
    jd = Junction(0.18, 0.18, 0.1, 0.09, 0.0, 41000.0, Jl, Jl)
    ac = 2 * np.linalg.norm(np.abs(jd.observables("all_orders").moment_ac_muB))
    dc = np.linalg.norm(jd.observables("second_order").moment_dc_muB)
    from . import profile

    heights = (10.0, 20.0, 100.0)
    field = profile.junction_spin_density(jd, harmonics=(1,), quad_tol=1e-3).field([[0.0, 0.0, h] for h in heights])
    b_ac = [2 * float(np.linalg.norm(np.abs(field.values[i, 0]))) for i in range(len(heights))]
    out.append(
        Claim(
            "induced field of order 1-10 mT",
            "after Eq. (15), (S30)",
            "1-10 mT",
            f"paper's setting (Al, eV = Delta/2, R_Q/R_n = 0.1, straight link in ~1 T): |M_ac| {_g(ac)} mu_B -> "
            f"{_g(units.field_mT(ac))} mT in the paper's V0; M_dc {_g(dc)} mu_B -> {_g(units.field_mT(dc))} mT; "
            f"the computed spin density (spread over xi_0 = 7.4 um) gives a 2eV field of "
            + ", ".join(f"{_g(b)} mT at {h:g} nm" for b, h in zip(b_ac, heights, strict=False)),
            "all orders (ac), second order (dc), spin-density profile (docs/profile.md)",
            FAILS,
            f"{math.floor(math.log10(1.0 / max(b_ac)))}-{math.ceil(math.log10(10.0 / min(b_ac)))} orders of "
            "magnitude smaller at 10-100 nm: the moment is fourth order in J for ac and spread over the "
            "coherence length, and its field falls as 1/h^2",
            "tests/test_profile.py::test_shrunk_distribution_gives_the_field_of_a_point_dipole",
        )
    )
    harmonic = jd.observables("all_orders").moment_ac_muB
    out.append(
        Claim(
            "the ac magnetization oscillates at 2eV/hbar (Josephson frequency)",
            "Eq. (12), (S10)",
            "e^{i(phi0 + 2eVt)}",
            f"all orders: 2eV harmonic of M_L, |m| = {_g(np.linalg.norm(harmonic))} mu_B at the paper's setting; at second order the total is 0",
            "all-orders solver",
            HOLDS,
            "the frequency holds; the amplitude is fourth order in J (docs/all_orders.md)",
            "tests/test_floquet.py::test_spin_filter_josephson_spin_current_is_fourth_order",
        )
    )
    out.append(
        Claim(
            "the ac part is proportional to Delta_L Delta_R (pair transmission)",
            "Eq. (12), Introduction",
            "~ Delta_L Delta_R at second order",
            "second order: the total ac magnetization vanishes identically for any gaps",
            "second order from the Hamiltonian",
            FAILS,
            "the printed Delta_L Delta_R term is the k-sector alone; the -k sector cancels it",
            "tests/test_second_order.py",
        )
    )
    ic_p = estimates.critical_current_times_rn_paper(1.0)
    ic_ab = estimates.critical_current_times_rn_ambegaokar_baratoff(1.0, 0.0)
    out.append(
        Claim(
            "Ambegaokar-Baratoff critical current I_c = pi Delta/(e R_n)",
            "after Eq. (15), (S30)",
            "pi Delta/(e R_n)",
            f"I_c R_n = pi Delta/2e tanh(Delta/2T): {_g(ic_ab)} vs printed {_g(ic_p)} (Delta = 1, T = 0)",
            "Ambegaokar-Baratoff",
            FAILS,
            "a factor 2",
            "tests/test_estimates.py::test_ambegaokar_baratoff_zero_temperature_is_half_the_papers_value",
        )
    )
    r_p = estimates.spin_to_charge_ratio_paper(0.5, 1.0)
    r_ab = estimates.spin_to_charge_ratio_ambegaokar_baratoff(0.5, 1.0, 0.0)
    out.append(
        Claim(
            "spin-to-charge current ratio (2/pi)(eV/Delta)^2",
            "(S30) ff.",
            _g(r_p) + " at eV = Delta/2",
            f"{_g(r_ab)} with the Ambegaokar-Baratoff I_c",
            "estimates",
            FAILS,
            "rests on the printed I_c (factor 2), the printed R_n (4 pi) and an ac spin current that vanishes at second order",
            "tests/test_estimates.py",
        )
    )
    out.append(
        Claim(
            "spin polarization of a small grain",
            "Discussion (grain)",
            "fraction of polarized pairs ~ Gamma |W^a|/(J0^2 Delta)",
            "-",
            "-",
            UNCHECKABLE,
            "no Hamiltonian of the grain is given",
            "-",
        )
    )
    return out


def claims() -> list[Claim]:
    """All claims, computed now."""
    return _spin_factor_claims() + _hamiltonian_claims() + _kernel_claims() + _units_claims()


def markdown(items: list[Claim]) -> str:
    head = [
        "# What holds in the paper: `spintunnel reproduce`",
        "",
        "Computed by `spintunnel reproduce` (which also writes it to docs/reproduction.md unless `--no-write`):",
        "every number is computed when the command runs, and the test suite regenerates this table and compares.",
        "Units: reduced (gap = 1) unless stated.",
        "",
        "| claim | where | paper | computed | method | verdict | reason | backed by |",
        "|---|---|---|---|---|---|---|---|",
    ]
    esc = lambda s: s.replace("|", "\\|")
    rows = [
        f"| {esc(c.claim)} | {esc(c.where)} | {esc(c.paper)} | {esc(c.computed)} | {esc(c.method)} | **{c.verdict}** | {esc(c.reason)} | {esc(c.test)} |"
        for c in items
    ]
    counts = {v: sum(c.verdict == v for c in items) for v in (HOLDS, PRINTED_TR, FAILS, UNCHECKABLE)}
    tail = ["", "Summary: " + ", ".join(f"{n} {v}" for v, n in counts.items()) + "."]
    return "\n".join(head + rows + tail) + "\n"
