"""Energy kernels K_dc and K_ac of the second-order magnetization (Eq. 7/S39, Eq. 12/S23).

Definitions (hbar = k_B = e = 1, v = eV, E_k = sqrt(xi_k^2 + Delta_L^2),
E_p = sqrt(xi_p^2 + Delta_R^2), f(E) = 1/(exp(E/T) + 1), D_+- = (E_k +- E_p)^2 - v^2,
integrals over xi_k and xi_p on the whole line, each weighted by the lead's density of states
in units of its value at the Fermi level)::

    K_dc = int int Delta_L^2/(4 E_k^3) [ (f_p - f_k)/D_- (xi_p/E_p (E_p - E_k) + v)
                                       + (1 - f_k - f_p)/D_+ (xi_p/E_p (E_p + E_k) + v) ]
    K_ac = int int Delta_L Delta_R/(4 E_k E_p) (v - xi_k)/(E_k^2 - v^2)
               [ (2E_k - E_p)(f_p - f_k)/D_- - (2E_k + E_p)(1 - f_k - f_p)/D_+ ]

Normalisation.  With constant densities of states rho_L, rho_R the sums over k and p become
rho ∫ dxi, and per unit rho_L rho_R |J0|^2 = R_Q/R_n (S30) the magnetization of the left lead,
in units of (g/2) mu_B, is

    M_dc    = K_dc * Y / |J0|^2                                       (Eq. 7, S39)
    M_ac(t) = K_ac * (X exp(i(phi0 + 2 eV t)) + c.c.) / |J0|^2          (Eq. S23)

with the spin factors X (ac) and Y (dc) of :mod:`spintunnel.spin_factors`.  Eq. (12) writes the
same ac term as Delta_L Delta_R/(2 E_k E_p) Re[sum sigma sigma W^a] = Delta_L Delta_R/(4 E_k E_p)
(X e^{i...} + c.c.), i.e. the same normalisation.

Both kernels are dimensionless (energy^0): two energy integrals times an integrand of dimension
energy^-2.  They depend on the energies only through the ratios bias/gap_left, T/gap_left,
gap_right/gap_left; any common energy unit may be used.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from ..inputs import non_negative, positive
from . import constant_dos as _fast
from . import general as _general
from .dos import CallableDOS, ConstantDOS, DensityOfStates, LinearDOS

__all__ = [
    "dc_kernel",
    "ac_kernel",
    "channel_kernels",
    "special_biases",
    "KernelResult",
    "KernelAccuracyWarning",
    "SpecialBiasError",
    "ConstantDOS",
    "LinearDOS",
    "CallableDOS",
    "DensityOfStates",
]

_FAST_STEP = 1.0 / 12.0


class KernelAccuracyWarning(RuntimeWarning):
    """The error estimate of a kernel value exceeds the requested tolerance."""


class SpecialBiasError(ValueError):
    """The bias sits on a special bias where the kernel jumps or diverges."""


@dataclass(frozen=True)
class KernelResult:
    """A kernel value with its error estimate and the prescription used.

    Attributes
    ----------
    value : float, complex or ndarray
        K_dc or K_ac (dimensionless); complex for ``prescription='broadening'``.
    error : float or ndarray
        Absolute error estimate (embedded quadrature rule).
    prescription : str
        'principal_value' (real part of the resonant denominators, S37) or 'broadening'.
    broadening : float
        Dynes Gamma (energy unit of the caller); 0 for the principal value.
    kind : str
        'dc' or 'ac'.
    options : dict
        Other inputs that define the value (temperature, gaps, DOS, channel).
    """

    value: object
    error: object
    prescription: str
    broadening: float
    kind: str
    options: dict = field(default_factory=dict)

    def __float__(self):
        return float(self.value)

    def __array__(self, dtype=None, copy=None):
        return np.asarray(self.value, dtype=dtype)


def _refine_estimate(raw, value):
    """Error bound of I(h): raw = |I(h) - I(2h)|, floored at 4 eps |I|.

    raw bounds the error of the coarse value I(2h); the double-exponential rule converges
    much faster than that, so for the returned I(h) it is conservative (typically by orders
    of magnitude; the tests check the true error against independent references).
    """
    scale = np.abs(value)
    return np.maximum(raw, 4 * np.finfo(float).eps * scale)


def _check_bias(bias):
    arr = np.asarray(bias)
    if arr.dtype.kind not in "biuf":
        raise ValueError(f"bias must be real (float or array of floats), got dtype {arr.dtype}")
    arr = arr.astype(float)
    if not np.all(np.isfinite(arr)):
        raise ValueError("bias must be finite (got NaN or inf)")
    return arr


def special_biases(kind: str, temperature: float, gap_left: float, gap_right: float) -> list[tuple[float, str]]:
    """Biases |eV| where the constant-DOS kernel jumps or diverges.

    Parameters
    ----------
    kind : {'dc', 'ac'}
    temperature, gap_left, gap_right : float
        Same energy unit as the bias.

    Returns
    -------
    list of (float, str)
        (|eV|, description); the kernel is odd in eV, so -|eV| is special as well.

    Notes
    -----
    Found from the structure of the one-dimensional integrands (docs/kernels.md): a special bias
    is where an inner pole line E_k +- E_p = +-eV, or the outer pole E_k = |eV|, reaches a gap
    edge.  Verified numerically (tests/test_kernels_special.py):

    * |eV| = Delta_L + Delta_R (Delta_R > 0): logarithmic divergence from both sides;
    * |eV| = Delta_L (ac): divergence ~ (Delta_L - |eV|)^-1/2 from below, finite from above;
    * |eV| = |Delta_L - Delta_R| (T > 0, Delta_R > 0, unequal gaps): finite jump.

    For a normal right lead K_dc is continuous at every bias (K_ac = 0).
    """
    T = non_negative(temperature, "temperature")
    gL = positive(gap_left, "gap_left")
    gR = non_negative(gap_right, "gap_right")
    out = []
    if gR > 0:
        out.append((gL + gR, "gap sum Delta_L + Delta_R: logarithmic divergence on both sides"))
        if kind == "ac":
            out.append((gL, "|eV| = Delta_L: divergence from below, finite from above"))
        if T > 0 and gL != gR:
            out.append((abs(gL - gR), "gap difference |Delta_L - Delta_R| (T > 0): jump"))
    return sorted(out)


def _guard_special(kind, v, T, gL, gR, tol=1e-12):
    for vs, what in special_biases(kind, T, gL, gR):
        hit = np.abs(np.abs(v) - vs) <= tol * (gL + gR)
        if np.any(hit):
            raise SpecialBiasError(
                f"bias = {np.asarray(v)[hit].ravel()[0]!r} is a special bias of K_{kind} ({what}); "
                "no principal value exists there. Evaluate at bias +- delta for the one-sided "
                "limits, or use broadening=Gamma."
            )


def _evaluate(
    kind, bias, temperature, gap_left, gap_right, broadening, dos_left, dos_right, channel, band, rtol, full_output
):
    v = _check_bias(bias)
    T = non_negative(temperature, "temperature")
    gL = positive(gap_left, "gap_left")
    gR = non_negative(gap_right, "gap_right")
    gamma = 0.0 if broadening is None else non_negative(broadening, "broadening")
    rtol = positive(rtol, "rtol")
    prescription = "broadening" if gamma > 0 else "principal_value"
    scalar = v.ndim == 0
    vf = np.atleast_1d(v).ravel()
    options = dict(
        temperature=T, gap_left=gL, gap_right=gR, dos_left=dos_left, dos_right=dos_right, channel=channel, band=band
    )
    fast = gamma == 0.0 and channel is None and _is_constant(dos_left) and _is_constant(dos_right) and band is None
    if fast:
        _guard_special(kind, vf, T, gL, gR)
        value = np.zeros_like(vf)
        error = np.zeros_like(vf)
        nz = vf != 0.0
        if np.any(nz) and not (kind == "ac" and gR == 0.0):
            av = np.abs(vf[nz])
            fn = _fast.dc_terms if kind == "dc" else _fast.ac_terms
            step = _FAST_STEP if rtol >= 1e-10 else _FAST_STEP / 2
            val, raw = fn(av, T, gL, gR, step)
            value[nz] = np.sign(vf[nz]) * val
            error[nz] = _refine_estimate(raw, val)
    else:
        if kind == "ac" and gR == 0.0:
            value = np.zeros_like(vf, dtype=complex if gamma > 0 else float)
            error = np.zeros_like(vf)
        else:
            if gamma == 0.0:
                _guard_special(kind, vf, T, gL, gR)
            value, raw = _general.kernel(kind, vf, T, gL, gR, gamma, dos_left, dos_right, channel, band)
            error = _refine_estimate(raw, value)
    # The bound is the error of the coarse rule; the returned fine value is far better
    # (tests: true error < 3e-9 relative whenever bound < 1e-4 relative). Warn where even the
    # fine value may miss rtol: where the bound exceeds 1e-3 relative.
    bad = error > 1e-3 * np.abs(value) + 1e-300
    if np.any(bad):
        warnings.warn(
            f"K_{kind}: relative error bound exceeds 1e-3 (rtol={rtol:g} not guaranteed) at {int(bad.sum())} bias point(s) "
            f"(worst relative estimate {np.max(error[bad] / np.maximum(np.abs(value[bad]), 1e-300)):.2e}); "
            "close to a special bias?",
            KernelAccuracyWarning,
            stacklevel=3,
        )
    if scalar:
        value, error = value[0], float(error[0])
        value = complex(value) if np.iscomplexobj(value) else float(value)
    else:
        value = value.reshape(v.shape)
        error = error.reshape(v.shape)
    if full_output:
        return KernelResult(value, error, prescription, gamma, kind, options)
    return value


def _is_constant(dos):
    return dos is None or isinstance(dos, ConstantDOS)


_DOC_PARAMS = """
    Parameters
    ----------
    bias : float or array_like
        eV = mu_L - mu_R, in the common energy unit (any sign; arrays are evaluated vectorised).
    temperature : float
        k_B T >= 0, same unit.
    gap_left, gap_right : float
        Delta_L > 0 and Delta_R >= 0 (Delta_R = 0: normal right lead), same unit.
    broadening : float, optional
        Dynes-type broadening Gamma > 0 (same unit): eV -> eV + i Gamma everywhere in the
        integrand, i.e. the analytic continuation K(eV + i Gamma), a complex number whose real
        part tends to the principal value as Gamma -> 0+ (a literal E -> E - i Gamma would
        leave the E_k - E_p denominators unbroadened; docs/kernels.md).  Evaluated by the
        general (2D) path.  Default: principal value (the real part kept by the paper, S37),
        a float.
    dos_left, dos_right : DensityOfStates, optional
        Normal-state densities of states N(xi)/N(0) (:class:`LinearDOS` for N0 (1 + a xi/W) on
        |xi| < W, :class:`CallableDOS` for a user function with a band limit).  Default: constant,
        infinite band (the fast exact path).
    channel : {'ee', 'eh', 'he', 'hh'}, optional
        Restrict to one quasi-electron (xi > 0) / quasi-hole (xi < 0) channel, first letter the
        left lead (sign of xi_k), second the right lead (sign of xi_p).  Requires a finite band
        (``band`` or a DOS with a band limit) for the dc kernel, whose channel parts diverge
        logarithmically with the band width.
    band : float, optional
        Band half-width W for a constant DOS (|xi| < W in both leads).
    rtol : float
        Requested relative accuracy (default 1e-8; below 1e-10 the constant-DOS path halves
        its quadrature step).  The constant-DOS path meets 1e-8 (tested
        against an independent nested quadrature; typically 1e-10 or better away from special
        biases); the general path ~1e-8.  A :class:`KernelAccuracyWarning` is issued where the
        returned error bound exceeds 1e-3 relative (within ~1e-3 of a special bias).
    full_output : bool
        Return a :class:`KernelResult` (value, conservative error bound |I(h) - I(2h)|,
        prescription, broadening) instead of the value.

    Raises
    ------
    ValueError
        Bad input (negative or non-finite temperature or gap, non-finite bias), naming the
        parameter.
    SpecialBiasError
        (a ValueError) at a special bias where the principal value does not exist
        (:func:`special_biases`).
"""


def dc_kernel(
    bias: ArrayLike,
    temperature: float,
    gap_left: float,
    gap_right: float,
    *,
    broadening: float | None = None,
    dos_left: DensityOfStates | None = None,
    dos_right: DensityOfStates | None = None,
    channel: str | None = None,
    band: float | None = None,
    rtol: float = 1e-8,
    full_output: bool = False,
) -> Any:
    return _evaluate(
        "dc", bias, temperature, gap_left, gap_right, broadening, dos_left, dos_right, channel, band, rtol, full_output
    )


def ac_kernel(
    bias: ArrayLike,
    temperature: float,
    gap_left: float,
    gap_right: float,
    *,
    broadening: float | None = None,
    dos_left: DensityOfStates | None = None,
    dos_right: DensityOfStates | None = None,
    channel: str | None = None,
    band: float | None = None,
    rtol: float = 1e-8,
    full_output: bool = False,
) -> Any:
    return _evaluate(
        "ac", bias, temperature, gap_left, gap_right, broadening, dos_left, dos_right, channel, band, rtol, full_output
    )


dc_kernel.__doc__ = (
    """dc kernel K_dc of the static magnetization (Eq. 7, S39), dimensionless.

    K_dc = int dxi_k int dxi_p Delta_L^2/(4 E_k^3) [ (f_p - f_k)/((E_k - E_p)^2 - (eV)^2)
           (xi_p/E_p (E_p - E_k) + eV) + (1 - f_k - f_p)/((E_k + E_p)^2 - (eV)^2)
           (xi_p/E_p (E_p + E_k) + eV) ]

    M_L,dc = K_dc * Y/|J0|^2 in units of (g/2) mu_B per unit rho_L rho_R |J0|^2 = R_Q/R_n, with
    Y the dc spin factor (:func:`spintunnel.spin_factors.spin_factor_dc`).  For a constant DOS
    K_dc is odd in eV, vanishes at eV = 0 and is linear in eV at small bias.
"""
    + _DOC_PARAMS
    + """
    Returns
    -------
    float, complex or ndarray (shape of ``bias``), or KernelResult if ``full_output``.
    """
)

ac_kernel.__doc__ = (
    """ac kernel K_ac of the oscillating magnetization (Eq. 12, S23), dimensionless.

    K_ac = int dxi_k int dxi_p Delta_L Delta_R/(4 E_k E_p) (eV - xi_k)/(E_k^2 - (eV)^2)
           [ (2E_k - E_p)(f_p - f_k)/((E_k - E_p)^2 - (eV)^2)
             - (2E_k + E_p)(1 - f_k - f_p)/((E_k + E_p)^2 - (eV)^2) ]

    M_L,ac(t) = K_ac * (X e^{i(phi0 + 2eVt)} + c.c.)/|J0|^2 in units of (g/2) mu_B per unit
    rho_L rho_R |J0|^2 = R_Q/R_n, X the ac spin factor (:func:`spintunnel.spin_factors.spin_factor_ac`);
    identical to Eq. (12), which writes Delta_L Delta_R/(2 E_k E_p) Re[...].  K_ac = 0 exactly for a
    normal right lead (Delta_R = 0).
"""
    + _DOC_PARAMS
    + """
    Returns
    -------
    float, complex or ndarray (shape of ``bias``), or KernelResult if ``full_output``.
    """
)


def channel_kernels(
    kind: str,
    bias: ArrayLike,
    temperature: float,
    gap_left: float,
    gap_right: float,
    *,
    band: float | None = None,
    dos_left: DensityOfStates | None = None,
    dos_right: DensityOfStates | None = None,
    broadening: float | None = None,
    rtol: float = 1e-8,
) -> dict:
    """The four quasi-electron / quasi-hole channel parts of K_dc or K_ac.

    Returns
    -------
    dict
        {'ee', 'eh', 'he', 'hh'} -> value (sign of xi_k, sign of xi_p > 0: 'e', < 0: 'h');
        their sum is the full kernel with the same band and DOS.
    """
    fn = dc_kernel if kind == "dc" else ac_kernel
    return {
        ch: fn(
            bias,
            temperature,
            gap_left,
            gap_right,
            broadening=broadening,
            band=band,
            dos_left=dos_left,
            dos_right=dos_right,
            channel=ch,
            rtol=rtol,
        )
        for ch in ("ee", "eh", "he", "hh")
    }
