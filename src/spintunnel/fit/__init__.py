"""Fit the channel transmissions of a point contact to a measured I-V, and predict its spin
response (docs/fit.md).

* :mod:`.io`: the measured curve (CSV with units in the header), checked and symmetrised.
* :mod:`.forward`: the single-channel current of the all-orders solver, tabulated.
* :mod:`.fit`: least squares for tau_1..tau_N (and Delta, R_s), with uncertainties.
* :mod:`.predict`: the fitted multi-channel junction through the methods, the fit's
  covariance propagated.
* :mod:`.plot`: the figure of a fit.
"""

from .fit import FitResult, fit_channels, fit_iv
from .io import DataError, IVData, iv_data, read_iv_csv

__all__ = ["fit_channels", "fit_iv", "FitResult", "DataError", "IVData", "iv_data", "read_iv_csv"]
