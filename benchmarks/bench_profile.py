"""Speed of the spin-density profile and its stray field (spintunnel.profile), and the
numbers docs/profile.md quotes.

Target (one core): the profile at 200 radii and the field at 50 detector points, from the
junction's parameters, in <= 5 s, at the paper's setting (aluminium, eV = Delta/2,
R_Q/R_n = 0.1) for harmonics 1, 2 (the static part is not established there: real
quasiparticles are injected) and for an S-N contact with the static part.

Run: ``OMP_NUM_THREADS=1 python -m benchmarks.bench_profile`` (or via benchmarks/__main__);
``python -m benchmarks.bench_profile --checks`` also prints the moment checks and the
field verdict of docs/profile.md (about a minute).
"""

from __future__ import annotations

import sys
import time

import numpy as np

from spintunnel import units
from spintunnel.floquet import floquet_currents, static_magnetization
from spintunnel.floquet.profile import radial_moments, spin_density_profile
from spintunnel.links import straight_rashba_zeeman
from spintunnel.profile import ALUMINIUM, MU0_MUB_OVER_4PI_MT_NM3, lead_spin_density

GAP = 0.18  # meV, aluminium
LINKS = {
    "straight Rashba + Zeeman (paper, ~1 T)": straight_rashba_zeeman(1.0, 3e-3, 3.0),
    "spin filter diag(1, 0.5)": np.diag([1.0, 0.5]).astype(complex),
}


def _amplitude(link, gap_right=GAP, bias=GAP / 2):
    """J in units of W for R_n = 10 R_Q (R_Q/R_n = 0.1)."""
    return floquet_currents(
        link, bias=bias, gap_left=GAP, gap_right=gap_right, resistance=10.0, n_harmonics=2, tol=1e-8
    )


def timing():
    """Profile at 200 radii + field at 50 points, from the junction's parameters."""
    radii = np.geomspace(0.1, 1e5, 200)
    h = np.geomspace(1.0, 1e4, 25)
    points = np.concatenate([np.stack([0 * h, 0 * h, h], 1), np.stack([h, 0 * h, 0 * h], 1)])
    rows = []
    cases = [
        ("paper setting, S-S, k = 1, 2", GAP, (1, 2), LINKS["spin filter diag(1, 0.5)"]),
        ("S-N, eV = Delta/2, k = 0", 0.0, (0,), LINKS["spin filter diag(1, 0.5)"]),
    ]
    lead_spin_density(0.3 * np.eye(2), bias_meV=0.09, gap_left_meV=GAP, gap_right_meV=0.0, harmonics=(0,))  # warm-up
    for name, gr, ks, link in cases:
        J = _amplitude(link, gap_right=gr).params["J"]
        t0 = time.perf_counter()
        d = lead_spin_density(J, bias_meV=GAP / 2, gap_left_meV=GAP, gap_right_meV=gr, harmonics=ks)
        d.profile(radii)
        d.field(points)
        rows.append((name, time.perf_counter() - t0, sum(a.size for a in d.reduced.rates)))
    return rows


def checks():
    """Moments: numerical radial integral of the density against static_magnetization and
    floquet_currents (reduced units, Delta = 1), at k_F xi_0 = 2000 and aluminium's."""
    J0 = np.array([[1.0, 0.3 + 0.2j], [-0.1j, 0.5]])
    K_al = ALUMINIUM.fermi_wavevector_per_m * ALUMINIUM.length_unit_nm * 1e-9 / GAP
    out = []
    for name, gr, V, ks in (("S-S, eV = 0.45", 1.0, 0.45, (0, 1, 2)), ("S-N, eV = 0.5", 0.0, 0.5, (0, 1))):
        J = 0.3 * J0
        prof = spin_density_profile(J, bias=V, gap_right=gr, harmonics=ks, phi0=0.3)
        s = static_magnetization(J, bias=V, gap_right=gr, phi0=0.3)
        r = floquet_currents(J, bias=V, gap_right=gr, phi0=0.3, n_harmonics=max(ks), tol=1e-9)
        k = np.arange(1, max(ks) + 1)[:, None]
        ref = np.vstack([s.moment, r.spin[1:] / (1j * k * r.omega_J)])
        for K in (2000.0, K_al):
            env, fr = radial_moments(prof, 50.0, K=K)
            for i, kk in enumerate(ks):
                size = np.abs(ref[i]).max()
                out.append(
                    (
                        name,
                        kk,
                        K,
                        ref[i][2],
                        env[i][2] + fr[i][2],
                        np.abs(env[i] - ref[i]).max() / size if size else 0.0,
                        np.abs(env[i] + fr[i] - ref[i]).max() / size if size else 0.0,
                    )
                )
    return out


def verdict():
    """The paper's setting (Al, eV = Delta/2, R_Q/R_n = 0.1): 2eV harmonic moment, its field on
    the axis at 10-100 nm, against the paper's mu_0 M/V0 (half-sphere of 1 nm)."""
    h = np.array([10.0, 20.0, 50.0, 100.0])
    out = []
    for name, link in LINKS.items():
        r = _amplitude(link)
        M1 = r.spin[1] / (1j * r.omega_J)
        d = lead_spin_density(r.params["J"], bias_meV=GAP / 2, gap_left_meV=GAP, gap_right_meV=GAP, harmonics=(1, 2))
        B = d.field(np.stack([0 * h, 0 * h, h], 1)).values
        frac = np.abs(d.moment_within([20.0, 100.0, 1000.0]).values[:, 0]).max(axis=1) / np.abs(M1).max()
        out.append(
            (
                name,
                np.linalg.norm(M1),
                units.field_mT(np.linalg.norm(M1)),
                np.linalg.norm(B[:, 0], axis=1),
                2 * MU0_MUB_OVER_4PI_MT_NM3 * np.linalg.norm(M1) / h**3,
                frac,
            )
        )
    paper_M = units.RESISTANCE_QUANTUM_OHM / 41000.0 * 0.5  # mu_B (eV/Delta) R_Q/R_n
    return h, out, paper_M, units.field_mT(paper_M)


def main():
    print("profile (200 radii) + field (50 points), one core:")
    for name, dt, nodes in timing():
        flag = "ok" if dt <= 5.0 else "SLOW"
        print(f"  {name:32s} {dt:6.2f} s  ({nodes} energy nodes)  target 5 s: {flag}")
    if "--checks" not in sys.argv:
        return
    print("\nmoment checks (z component; rel = max over components / |M|):")
    print("  case            k   k_F xi_0   reference                integral (env+Friedel)       env rel   total rel")
    for name, k, K, ref, tot, e_rel, t_rel in checks():
        print(f"  {name:15s} {k}  {K:9.3g}  {ref:.7e}  {tot:.7e}  {e_rel:.1e}  {t_rel:.1e}")
    h, rows, pM, pB = verdict()
    print(
        f"\nverdict: paper's estimate M = mu_B (eV/Delta) R_Q/R_n = {pM:.3g} mu_B -> "
        f"mu_0 M/V0 = {pB:.3g} mT ('1-10 mT')"
    )
    for name, M1, v0, B, dip, frac in rows:
        print(
            f"  {name}: |M_2eV| = {M1:.3e} mu_B, paper's V0 rule for it: {v0:.3e} mT; "
            f"fraction within 20/100/1000 nm: " + ", ".join(f"{f:.2e}" for f in frac)
        )
        for hh, b, p in zip(h, B, dip, strict=False):
            print(f"    h = {hh:5.0f} nm: |B_2eV| = {b:.3e} mT (point dipole at the contact {p:.3e} mT)")


if __name__ == "__main__":
    main()
