# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # From a measured I-V to the spin response of the contact
#
# A real constriction carries a few conduction channels.  Their transmissions tau_i are
# found from the sub-gap structure of the measured I-V (multiple Andreev reflection, the
# "PIN code" of a contact), and spintunnel then predicts the magnetization and the spin
# current that contact would give with a spin-active link.  Here the "measurement" is
# synthetic: the all-orders current of two channels (tau = 0.85 and 0.3) with 0.3 % noise.
# docs/fit.md has the model and its assumptions.

# %%
import matplotlib.pyplot as plt
import numpy as np

import spintunnel as st
from spintunnel.fit.forward import COARSE
from spintunnel.units import RESISTANCE_QUANTUM_OHM

# %% [markdown]
# ## A synthetic measurement
#
# One spin-degenerate channel of transmission tau is the amplitude `J = t 1` with
# tau = 4t^2/(1+t^2)^2 (`floquet_currents(..., transmission=tau)`).  Its dc particle current
# `charge[0]` is in units of e/hbar times the energy unit (meV here): in nA it is that times
# e meV/hbar.

# %%
gap, T = 0.18, 0.1  # meV, K
kT = T * 8.617333262e-2  # meV
bias = np.linspace(0.05, 0.6, 40)  # mV
e_mev_per_hbar_nA = 1e-3 * 1.602176634e-19 / 1.054571817e-34 * 1.602176634e-19 * 1e9
true = (0.85, 0.3)
current = (
    sum(
        np.array(
            [
                st.floquet.floquet_currents(
                    np.eye(2),
                    bias=v,
                    gap_left=gap,
                    gap_right=gap,
                    temperature=kT,
                    transmission=tau,
                    n_harmonics=0,
                    tol=1e-6,
                )
                .charge[0]
                .real
                for v in bias
            ]
        )
        for tau in true
    )
    * e_mev_per_hbar_nA
)
rng = np.random.default_rng(1)
measured = current * (1 + 0.003 * rng.standard_normal(current.size))
print(f"R_n = {np.pi * RESISTANCE_QUANTUM_OHM / sum(true):.0f} Ohm; I(0.6 mV) = {measured[-1]:.2f} nA")

# %% [markdown]
# ## The fit
#
# {func}`~spintunnel.fit_channels` tabulates the single-channel current once (a coarse
# table here, to keep this page fast; the default one is ten times finer) and fits the
# transmissions; without `channels` the Bayesian information criterion chooses their number.

# %%
fit = st.fit_channels(bias, measured, temperature_K=T, gap_meV=gap, table_options=COARSE)
for tau, err in zip(fit.transmissions, fit.transmission_errors, strict=True):
    print(f"tau = {tau:.4f} +- {err:.4f}")
print("true:", true, "; channels chosen:", fit.n_channels)

# %%
fig, ax = plt.subplots(figsize=(6.4, 4.0))
ax.plot(bias, measured, "k.", label="data")
ax.plot(fit.bias_mV, fit.model_nA, "r-", label="fit")
for i, tau in enumerate(fit.transmissions):
    ax.plot(fit.bias_mV, fit.channel_currents_nA[i], "--", label=f"channel {i + 1}: tau = {tau:.3f}")
ax.set_xlabel("bias V (mV)")
ax.set_ylabel("current I (nA)")
ax.legend()

# %% [markdown]
# ## The spin response of the fitted contact
#
# With a spin-active link (here the paper's straight Rashba + Zeeman link in ~1 T), the
# fitted contact is a multi-channel {class}`~spintunnel.junction.Junction`; every method adds
# its channels.  (`spintunnel fit DATA.csv --link LINK.toml` does this and carries the
# transmissions' covariance into the prediction.)

# %%
j, jbar = st.links.model_pair(st.links.straight_rashba_zeeman, kso_d=1.0, b=3e-3, kf_over_kso=3.0)
contact = st.Junction(
    channels=[st.Channel(t, j, jbar) for t in fit.transmissions],
    gap_left_meV=gap,
    gap_right_meV=gap,
    temperature_K=T,
    bias_mV=0.2,
    phi0_rad=0.0,
)
r = contact.observables("all_orders", static=False)
print(f"R_n = {contact.resistance_ohm:.0f} Ohm; 2eV amplitude of M_L: {2 * np.abs(r.moment_ac_muB)} mu_B")
