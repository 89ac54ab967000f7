# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # A sweep over bias and field
#
# A sweep is the run configuration plus a `[sweep]` table of axes, each named by its config
# path.  {func}`spintunnel.sweep.run_sweep` returns a labelled {class}`xarray.Dataset`
# (every value with its unit, its method's convergence and the reason of every value not
# given); `spintunnel sweep CONFIG.toml --out RESULT.nc` does the same from the command line,
# in parallel with dask and resumable.  Here: the paper's junction, the bias from 0.02 to
# 0.34 mV (eV up to ~2 Delta) and three Zeeman fields b = m* B_y / k_F^2 (b = 3e-3 is about
# 1 T), by second order and all orders.

# %%
from pathlib import Path

import matplotlib.pyplot as plt

from spintunnel.config import DEFAULT_CONFIG_TOML
from spintunnel.sweep import plot_sweep, run_sweep

# %% [markdown]
# ## The sweep config
#
# The default run config with the two methods we want, and the axes.  Ranges are
# `{start, stop, num}` (numpy `linspace`, both ends included), or lists of values, in the unit
# of the field's name.

# %%
config = (
    DEFAULT_CONFIG_TOML.replace(
        'methods = ["paper", "second_order", "all_orders"]', 'methods = ["second_order", "all_orders"]'
    )
    + """
[sweep]
"junction.bias_mV" = {start = 0.02, stop = 0.34, num = 17}
"link.b" = [1e-3, 3e-3, 6e-3]
"""
)
print(config.split("[sweep]")[1])

# %% [markdown]
# ## Run it
#
# `workers=0` runs serially in this process (no dask); `workers=None` would start a local
# cluster with one worker per core, and `output="sweep.nc"` would write NetCDF and resume
# after an interruption.

# %%
ds = run_sweep(config, workers=0)
print(dict(ds.sizes))
print(ds["M_ac_amplitude"].attrs["units"], "|", ds["bias_mV"].attrs["units"], "|", ds["b"].attrs["config_path"])

# %% [markdown]
# The method dimension ends with `recommended`: per point and quantity, the value of the
# highest-ranked method that gives it, named in `recommended_method`.  Values that are not
# given are NaN, and `invalid_reason` says why; a static moment from all orders, for one,
# is not given above the threshold of quasiparticle injection.

# %%
rec = ds.sel(method_name="recommended", b=3e-3)
for v in rec["bias_mV"].values[::4]:
    point = rec.sel(bias_mV=v)
    print(
        f"V = {v:.2f} mV: M_ac from {str(point['recommended_method'].sel(quantity='M_ac').values):11s}"
        f" M_dc from {str(point['recommended_method'].sel(quantity='M_dc').values):13s}"
        f" (all_orders: {str(ds['invalid_reason'].sel(method_name='all_orders', b=3e-3, bias_mV=v, quantity='M_dc').values) or 'given'})"
    )

# %% [markdown]
# ## The figure
#
# {func}`~spintunnel.sweep.plot_sweep` draws a file (as `spintunnel plot RESULT.nc` does):
# with one axis of at most 5 values, one curve per value; the recommended method by default.
# It writes without a display and leaves this notebook's matplotlib backend alone.

# %%
path = plot_sweep(ds, Path("sweep_bias_field.png"), variable="M_ac_amplitude")
print("wrote", path)

fig, ax = plt.subplots(figsize=(6.4, 4.4))  # the file, shown here
ax.imshow(plt.imread(path))
ax.set_axis_off()

# %% [markdown]
# The Dataset is also ready for xarray's own plotting: the recommended answer against bias,
# one line per field, the 2eV amplitude (all orders) and the static moment (all orders below
# the injection threshold, second order above it).

# %%
rec = ds.sel(method_name="recommended")
fig, axes = plt.subplots(1, 2, figsize=(9.6, 3.6))
for ax, name, label in (
    (axes[0], "M_ac_amplitude", "|M_ac| amplitude 2|m_1| (mu_B)"),
    (axes[1], "M_dc", "|M_dc| (mu_B)"),
):
    ((rec[name] ** 2).sum("component", skipna=False) ** 0.5).plot.line(x="bias_mV", hue="b", ax=ax, marker=".")
    ax.set_ylabel(label)
    ax.set_title(f"{name}, recommended")
fig.tight_layout()

# %% [markdown]
# The 2eV amplitude is fourth order in the coupling and peaks at the subharmonic gap
# structure eV = 2 Delta / n; both moments grow with the field b (the Zeeman term of the link
# is what makes it a spin filter).
