# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Which method when
#
# spintunnel computes the same observables by four methods ({mod}`spintunnel.methods`),
# all at the one amplitude J that R_n fixes:
#
# - `paper`: the paper's printed formulas (Eq. 7/S39, 12/S23), for comparison only;
# - `second_order`: second order in J, derived from the Hamiltonian (weak tunnelling);
# - `all_orders`: the Floquet-Keldysh point contact, any coupling;
# - `exact`: a finite model evolved exactly, the referee (finite band, finite N).
#
# Here we scan the coupling strength from weak to strong, see where each method holds, and
# let {func}`spintunnel.methods.recommend` pick the answer.

# %%
import dataclasses
import warnings

import matplotlib.pyplot as plt
import numpy as np

import spintunnel as st
from spintunnel.units import RESISTANCE_QUANTUM_OHM

# %% [markdown]
# ## What each method declares
#
# Every method states its regime and its rank; the recommended answer is, per quantity, the
# highest-ranked method among those computed that gives it (rank 0: never recommended).

# %%
for name in st.methods.names():
    method = type(st.methods.get(name))
    print(f"{name:13s} rank {method.rank:2d}  regime: {method.regime:16s} {method.summary}")

# %% [markdown]
# ## Second order against all orders, weak to strong
#
# A spin filter J = diag(1, 0.6) J0 between two aluminium leads at T = 0.6 K, eV = Delta/2:
# thermal quasiparticles carry a dc spin current already at second order, so both methods
# give it.  The coupling is set by R_n, i.e. by the mean channel transmission
# tau = pi R_Q / R_n.

# %%
spin_filter = np.diag([1.0, 0.6])
base = st.Junction(
    gap_left_meV=0.18,
    gap_right_meV=0.18,
    temperature_K=0.6,
    bias_mV=0.09,
    phi0_rad=0.0,
    normal_resistance_ohm=1e6,
    amplitude=spin_filter,
    amplitude_partner=spin_filter,
)
taus = np.geomspace(1e-4, 0.8, 6)
second, allord = [], []
for tau in taus:
    junction = dataclasses.replace(base, normal_resistance_ohm=np.pi * RESISTANCE_QUANTUM_OHM / tau)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", st.junction.RegimeWarning)  # strong coupling: the point of the scan
        second.append(junction.observables("second_order").spin_current_dc_muB_per_s[2])
        allord.append(junction.observables("all_orders", static=False).spin_current_dc_muB_per_s[2])
second, allord = np.array(second), np.array(allord)
relative = np.abs(allord / second - 1)
for tau, s, a, r in zip(taus, second, allord, relative, strict=True):
    print(f"tau = {tau:8.2e}: I_s,z second order {s:10.3e}, all orders {a:10.3e} mu_B/s; relative difference {r:.1e}")
assert relative[0] < 0.01 and relative[-1] > 0.5  # the claims below, checked when the tutorial runs

# %%
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9.6, 3.6))
ax1.loglog(taus, np.abs(second), "o--", label="second_order")
ax1.loglog(taus, np.abs(allord), "s-", label="all_orders")
ax1.set_xlabel("mean transmission tau = pi R_Q / R_n")
ax1.set_ylabel("|I_s,z| dc (mu_B/s)")
ax1.legend()
ax2.loglog(taus, relative, "k.-")
ax2.axvline(0.5, color="grey", ls=":", label="RegimeWarning above")
ax2.set_xlabel("mean transmission tau")
ax2.set_ylabel("|all orders / second order - 1|")
ax2.legend()
fig.tight_layout()

# %% [markdown]
# The difference is the next order, ~ tau ln(1/tau) (the log comes from the BCS gap
# edge): second order is good to 1 % only below tau ~ 1e-3 here, and off by a factor ~3
# at tau ~ 0.3 (R_n = 41 kOhm).  Above tau = 0.5 the junction warns
# ({class}`~spintunnel.junction.RegimeWarning`); the all-orders solver holds at any tau.
#
# ## The printed 2eV moment against all orders
#
# At the paper's junction (straight Rashba + Zeeman link) the printed ac formula gives a
# 2eV moment at second order; the Hamiltonian gives none at second order (the momentum
# sum cancels it), and all orders gives one that starts at fourth order, ~ tau^2.

# %%
paper_junction = st.Junction.from_config()
taus_ac = np.array([0.01, 0.03, 0.1, 0.3])
printed, fourth = [], []
for tau in taus_ac:
    junction = dataclasses.replace(paper_junction, normal_resistance_ohm=np.pi * RESISTANCE_QUANTUM_OHM / tau)
    printed.append(np.linalg.norm(junction.observables("paper").moment_ac_muB))
    fourth.append(np.linalg.norm(junction.observables("all_orders").moment_ac_muB))
slope_printed, slope_fourth = (np.polyfit(np.log(taus_ac), np.log(y), 1)[0] for y in (printed, fourth))
print(f"|m_1| ~ tau^{slope_printed:.2f} (printed route), tau^{slope_fourth:.2f} (all orders)")
assert abs(slope_printed - 1) < 0.1 and abs(slope_fourth - 2) < 0.15  # tau^1 and tau^2, as claimed

fig, ax = plt.subplots(figsize=(5.2, 3.6))
ax.loglog(taus_ac, printed, "o--", label=f"paper (printed), slope {slope_printed:.2f}")
ax.loglog(taus_ac, fourth, "s-", label=f"all_orders, slope {slope_fourth:.2f}")
ax.set_xlabel("mean transmission tau")
ax.set_ylabel("|m_1| (mu_B)")
ax.legend(fontsize=8)
fig.tight_layout()

# %% [markdown]
# ## The referee, and the recommended answer
#
# The exact finite model (16 levels per lead on a band of +-8 Delta) is evolved in time;
# its error estimate contains the offset of its finite band from the wide-band continuum.
# It is slow (seconds per point) and is recommended only when it is the only method run.

# %%
results = {name: paper_junction.observables(name) for name in ("paper", "second_order", "all_orders", "exact")}
m1 = {name: np.linalg.norm(r.moment_ac_muB) for name, r in results.items() if r.moment_ac_muB is not None}
print(
    f"|m_1|: exact {m1['exact']:.3e}, all orders {m1['all_orders']:.3e} mu_B "
    f"(exact's error estimate {results['exact'].error('M_ac'):.1e})"
)
for note in results["exact"].notes[-2:]:
    print(" -", note)

best = st.methods.recommend(results)
for q, rec in best.items():
    print(f"{q:16s} -> {str(rec.method):13s} {rec.note}")
