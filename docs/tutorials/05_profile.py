# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Where the magnetization sits, and what a detector would see
#
# The paper puts the whole induced moment into a half-sphere of radius 1 nm and finds
# "1-10 mT".  The moment is carried by the lead's states near the contact, spread over the
# Fermi wavelength and the coherence length xi_0 = hbar v_F/Delta (7.4 um in aluminium).
# {mod}`spintunnel.profile` computes that distribution from the all-orders T-matrix of the
# contact and the field it makes at a magnetometer above the lead (docs/profile.md).

# %%
import matplotlib.pyplot as plt
import numpy as np

import spintunnel as st
from spintunnel import profile

# %% [markdown]
# ## The spin density of the paper's junction
#
# At the paper's setting (eV = Delta/2) multiple Andreev reflection injects quasiparticles,
# so the static moment is not established; the 2eV and 4eV harmonics are.

# %%
junction = st.Junction.from_config()
density = profile.junction_spin_density(junction, harmonics=(0, 1, 2), quad_tol=1e-3)
print(density.harmonics, "|", density.notes[0][:90], "...")

# %% [markdown]
# `profile(radii_nm)` is the density on the axis into the lead (mu_B/nm^3, complex
# amplitudes of the harmonics), with its Friedel oscillations; the coordinate `envelope` is
# its smooth part.  `moment_within(R)` integrates the envelope over the half sphere of
# radius R: the moment is spread out to xi_0.

# %%
radii = np.geomspace(1.0, 3e4, 60)
m = density.profile(radii)
within = density.moment_within([20.0, 100.0, 1000.0, 1e5])
total = np.linalg.norm(within.sel(harmonic=1).values[-1])
for R in (20.0, 100.0, 1000.0):
    frac = np.linalg.norm(within.sel(harmonic=1, radius=R).values) / total
    print(f"2eV moment within {R:6.0f} nm: {frac:.3f} of the total {total:.2e} mu_B")

fig, ax = plt.subplots(figsize=(6.4, 4.0))
envelope = np.linalg.norm(m["envelope"].sel(harmonic=1).values, axis=-1)
ax.loglog(radii, radii**2 * envelope, label="2eV harmonic, envelope")
ax.axvline(junction_xi := profile.ALUMINIUM.coherence_length_nm(junction.gap_left_meV), ls=":", color="grey")
ax.set_xlabel("distance r from the contact (nm)")
ax.set_ylabel("r^2 |m(r)| (mu_B/nm)")
ax.set_title(f"xi_0 = {junction_xi:.0f} nm (dotted)", fontsize=9)
ax.legend()

# %% [markdown]
# ## The field at a detector
#
# `field(points_nm)` is the stray field (mT) of the envelope at detector points above the
# lead's surface (the contact at the origin).  Against the paper's estimate:

# %%
heights = np.array([10.0, 20.0, 50.0, 100.0])
B = density.field([[0.0, 0.0, h] for h in heights])
amplitude = 2 * np.linalg.norm(np.abs(B.sel(harmonic=1).values), axis=-1)
for h, b in zip(heights, amplitude, strict=True):
    print(f"|B_2eV| at {h:5.0f} nm: {b:.2e} mT")
print("paper: 1-10 mT")
