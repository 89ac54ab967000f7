# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # The paper's junction, end to end
#
# Two aluminium leads (Delta(0) = 0.18 meV) joined by a straight weak link with Rashba
# spin-orbit coupling and a Zeeman term (Eq. 11 of the paper), biased at eV = Delta/2,
# at T = 0.1 K, with R_n = 41 kOhm (R_Q/R_n = 0.1).  We build the junction in lab units,
# look at the one coupling every method shares, compute the magnetization of the left lead
# (Eq. 4) by the printed route, second order and all orders, take the recommended answer,
# and draw M_L(t).
#
# Units: lab units at the {class}`~spintunnel.junction.Junction` (meV, mV, K, Ohm, rad);
# results in Bohr magnetons (mu_B) and mu_B/s.

# %%
import matplotlib.pyplot as plt
import numpy as np

import spintunnel as st
from spintunnel.links import model_pair, straight_rashba_zeeman

# %% [markdown]
# ## The junction
#
# The link is j = J/J0 (dimensionless); its partner jbar = Jbar/J0 is what the printed
# route needs (from the time-reversal relation, here the standard one).  The overall scale
# J0 is not an input: R_n fixes it.

# %%
j, jbar = model_pair(straight_rashba_zeeman, convention="standard", kso_d=1.0, b=3e-3, kf_over_kso=3.0)
junction = st.Junction(
    gap_left_meV=0.18,
    gap_right_meV=0.18,  # Delta_L, Delta_R at T = 0.1 K (BCS: Delta(0.1 K) = Delta(0))
    temperature_K=0.1,
    bias_mV=0.09,
    phi0_rad=0.0,
    normal_resistance_ohm=41000.0,
    amplitude=j,
    amplitude_partner=jbar,
)
print(np.round(j, 4))

# %% [markdown]
# The built-in default configuration is the same junction (`spintunnel run` computes it;
# `spintunnel run --print-default-config` prints it), so this is equivalent:

# %%
default = st.Junction.from_config()
print(default.gap_left_meV, default.bias_mV, default.normal_resistance_ohm)

# %% [markdown]
# ## One coupling for every method
#
# R_n fixes the amplitude J through the all-orders normal-state conductance of the point
# contact, R_n = 2 pi R_Q / Sum_i tau_i (docs: *One coupling for every method*).  Every
# method uses that J.  The golden-rule R_n at the same J is its second-order approximation.

# %%
print(f"channel transmissions tau_i          = {np.round(junction.transmissions, 4)}")
print(f"coupling rho_L rho_R |J0|^2          = {junction.coupling:.5f}")
print(f"golden-rule R_n at this J            = {junction.golden_rule_resistance_ohm / 1e3:.2f} kOhm (given: 41 kOhm)")
print(f"Josephson frequency 2eV/h            = {junction.josephson_frequency_GHz:.2f} GHz")
print(f"regime warnings                      = {junction.regime_warnings() or 'none'}")

# %% [markdown]
# ## The observables, method by method
#
# Each method returns a {class}`~spintunnel.methods.MethodResult`: the static moment
# `M_dc`, the 2eV amplitude `m_1` (M_ac(t) = 2 Re[m_1 e^{i(phi0 + 2eVt)}]), higher
# harmonics, the dc spin current (Eq. 5), each with an error estimate, and diagnostics that
# say why a quantity is not given.

# %%
results = {m: junction.observables(m) for m in ("paper", "second_order", "all_orders")}
for name, r in results.items():
    m1 = "-" if r.moment_ac_muB is None else f"{np.abs(r.moment_ac_muB).max():.3e}"
    dc = "-" if r.moment_dc_muB is None else f"{np.abs(r.moment_dc_muB).max():.3e}"
    print(f"{name:13s} |m_1| = {m1:10s} mu_B   |M_dc| = {dc:10s} mu_B   not given: {r.diagnostics.reasons}")

# %% [markdown]
# Three findings of the package show up here: the printed ac formula (`paper`) is not
# what the Hamiltonian gives (its total over all momenta vanishes at second order, so
# `second_order` has no m_1 at its order); the 2eV moment starts at fourth order (`all_orders`); and
# all orders gives no static moment here, because quasiparticles are injected (multiple
# Andreev reflection), so the moment grows with time instead of being static.
#
# ## The recommended answer
#
# {func}`spintunnel.methods.recommend` takes, per quantity, the most complete method that
# gives it, with its error estimate, and says why where it falls back.

# %%
best = st.methods.recommend(results)
for q, rec in best.items():
    # the norm of the vector (of each harmonic's vector for M_harmonics, k = 2, 3, ...)
    size = "-" if rec.value is None else np.array2string(np.linalg.norm(rec.value, axis=-1), precision=3)
    print(f"{q:16s} {str(rec.method):13s} |value| = {size} {rec.unit}, error {rec.error:.1e}  {rec.note}")

# %% [markdown]
# ## M_L(t) over three periods, and the field it makes
#
# The time trace rebuilds M_L(t) = M_dc + Sum_k 2 Re[m_k e^{ik(phi0 + omega_J t)}] from
# the harmonics; the spin current is its derivative.  The paper's field estimate is
# B = mu_0 M / V0 (V0 = `volume_nm3`).

# %%
period_s = 1e-9 / junction.josephson_frequency_GHz
t = np.linspace(0.0, 3 * period_s, 300)
fig, ax = plt.subplots(figsize=(6.4, 3.4))
for name, style in (("paper", "--"), ("all_orders", "-")):
    moment, _ = junction.time_trace(results[name], t)
    for k, c in enumerate("xy"):
        ax.plot(t * 1e9, moment[:, k] * 1e6, style, label=f"M_{c}, {name}")
ax.set_xlabel("time (ns)")
ax.set_ylabel("M_L(t) (1e-6 mu_B)")
ax.legend(fontsize=8)
fig.tight_layout()

m1 = results["all_orders"].moment_ac_muB
print(
    f"all orders: 2|m_1| = {2 * np.linalg.norm(m1):.3e} mu_B  ->  B = {junction.field_mT(2 * np.linalg.norm(m1)):.3e} mT"
)
