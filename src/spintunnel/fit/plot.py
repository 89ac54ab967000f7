"""The figure of a fit: the data, the fit, each channel's current, and the residuals below."""

from __future__ import annotations

from pathlib import Path

import numpy as np


def fit_figure(fit, path) -> Path:
    """Draw :class:`~.fit.FitResult` ``fit`` to ``path`` (PNG): top, the measured I (nA) against
    V (mV), the model and each channel's contribution (on a fine grid; at the fitted points
    with a series resistance), points left out below the lowest fitted bias in grey; bottom, the residual I_model - I (nA) with the
    noise (the given errors or the residual RMS)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    path = Path(path)
    fig, (ax, axr) = plt.subplots(2, 1, figsize=(6.4, 6.0), sharex=True, gridspec_kw={"height_ratios": [3, 1.2]})
    data = fit.data
    left_out = data.bias_mV < fit.bias_mV[0]
    ax.plot(data.bias_mV[left_out], data.current_nA[left_out], "o", ms=3, color="0.7", label="not fitted")
    ax.plot(
        fit.bias_mV, fit.current_nA, "o", ms=3, color="k", label="data" + (" (symmetrised)" if data.n_folded else "")
    )
    if fit.series_resistance_ohm == 0:  # the junction sees the measured bias: the model on a fine grid
        grid = np.linspace(fit.bias_mV[0], fit.bias_mV[-1], 600)
        chans = fit.channel_current_nA(grid)
    else:  # V - I R_s needs the measured I: the model at the points
        grid, chans = fit.bias_mV, fit.channel_currents_nA
    ax.plot(
        grid,
        chans.sum(axis=0),
        "-",
        color="C3",
        lw=1.6,
        label=f"fit: {fit.n_channels} channel{'s' if fit.n_channels > 1 else ''}, Delta = {fit.gap_meV:.4g} meV",
    )
    for i, (t, e, c) in enumerate(zip(fit.transmissions, fit.transmission_errors, chans, strict=False)):
        ax.plot(grid, c, "--", lw=1.0, color=f"C{i}", label=f"channel {i + 1}: tau = {t:.4f} +- {e:.2g}")
    ax.set_ylabel("current I (nA)")
    ax.legend(fontsize=7, loc="upper left")
    ax.set_title(
        f"R_n = {fit.normal_resistance_ohm / 1e3:.4g} kOhm, T = {fit.temperature_K:g} K, residual RMS "
        f"{fit.residual_rms_nA:.3g} nA" + ("  [ILL-CONDITIONED]" if fit.ill_conditioned else ""),
        fontsize=8,
    )
    resid = fit.model_nA - fit.current_nA
    noise = fit.residual_rms_nA if data.current_error_nA is None else None
    if noise is not None:
        axr.axhspan(-noise, noise, color="0.9", label="+- residual RMS")
    axr.axhline(0.0, color="0.5", lw=0.8)
    axr.plot(fit.bias_mV, resid, "o", ms=2.5, color="C3")
    axr.set_xlabel("bias V (mV)")
    axr.set_ylabel("I_fit - I (nA)")
    if noise is not None:
        axr.legend(fontsize=7, loc="upper right")
    for axis in (ax, axr):
        for n in (1, 2, 3, 4):
            axis.axvline(2 * fit.gap_meV / n, color="0.85", lw=0.6, zorder=0)
    fig.tight_layout()
    fig.savefig(path, dpi=130)
    plt.close(fig)
    return path
