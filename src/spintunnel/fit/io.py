"""A measured I-V curve: read from CSV, checked, converted to mV and nA, symmetrised.

The CSV has a header naming its columns with their units, ``bias_<unit>`` and
``current_<unit>`` (e.g. ``bias_mV,current_nA`` or ``bias_V,current_A``), and optionally
``current_err_<unit>`` (the 1-sigma error of each current).  Lines starting with ``#`` are
comments.  Bias units: V, mV, uV (or µV), nV; current units: A, mA, uA (µA), nA, pA, fA.

Checks (each a :class:`DataError` naming the row, before any work): a number in every cell,
no NaN or infinity, biases strictly increasing (no duplicate, none out of order), a current
of the sign of its bias (``I V >= 0`` within 1 % of the largest |I|: the package's
convention, a particle current L -> R for eV = mu_L - mu_R > 0, is that of a measured I at
V > 0), and at least :data:`MIN_POINTS` points of non-zero bias.

Negative biases, if present, are folded onto the positive ones: ``I_s(V) = (I(V) - I(-V))/2``
with I(-V) interpolated linearly on the negative branch; the asymmetry
``rms(I(V) + I(-V)) / rms(I(V))`` over the folded points is reported.  Positive biases beyond
the negative branch keep I(V); a curve with negative biases only is mirrored.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

__all__ = [
    "DataError",
    "IVData",
    "read_iv_csv",
    "iv_data",
    "check_enough_points",
    "BIAS_UNITS",
    "CURRENT_UNITS",
    "MIN_POINTS",
]

#: Factor to mV of each bias unit.
BIAS_UNITS = {"V": 1e3, "mV": 1.0, "uV": 1e-3, "µV": 1e-3, "nV": 1e-6}
#: Factor to nA of each current unit.
CURRENT_UNITS = {"A": 1e9, "mA": 1e6, "uA": 1e3, "µA": 1e3, "nA": 1.0, "pA": 1e-3, "fA": 1e-6}
#: Fewest points of non-zero bias of any I-V.
MIN_POINTS = 5
#: A current of the wrong sign for its bias beyond this fraction of the largest |I| is an error.
WRONG_SIGN_TOLERANCE = 0.01


class DataError(ValueError):
    """An I-V curve that cannot be fitted; the message says why (and which row)."""


@dataclass(frozen=True)
class IVData:
    """An I-V curve at positive biases, ready to fit.

    Attributes
    ----------
    bias_mV : ndarray (n,)
        V > 0 in mV, strictly increasing.
    current_nA : ndarray (n,)
        I in nA (symmetrised where negative biases were given).
    current_error_nA : ndarray (n,) or None
        1-sigma error of each current, nA (from a ``current_err_*`` column), or None.
    n_folded : int
        Points whose negative-bias partner was folded in.
    asymmetry : float or None
        ``rms(I(V) + I(-V)) / rms(I(V))`` over the folded points (None without negative biases).
    dropped_zero_bias : int
        Points at V = 0 left out (they carry no dc quasiparticle current to fit).
    source : str
        Where the data came from (file name or "arrays").
    """

    bias_mV: np.ndarray
    current_nA: np.ndarray
    current_error_nA: np.ndarray | None = None
    n_folded: int = 0
    asymmetry: float | None = None
    dropped_zero_bias: int = 0
    source: str = "arrays"
    notes: tuple = field(default_factory=tuple)

    def to_dict(self) -> dict:
        return {
            "source": self.source,
            "points": int(self.bias_mV.size),
            "folded_negative_biases": self.n_folded,
            "asymmetry": self.asymmetry,
            "dropped_zero_bias": self.dropped_zero_bias,
            "notes": list(self.notes),
        }


def _unit(column: str, prefix: str, units: dict) -> float:
    unit = column[len(prefix) :]
    if unit not in units:
        raise DataError(f"unknown unit {unit!r} in column {column!r}; known units: {', '.join(units)}")
    return units[unit]


def read_iv_csv(path) -> IVData:
    """Read, check and symmetrise the I-V curve of a CSV file (module docstring)."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(f"cannot read {path}: {exc}") from exc
    rows = [
        r
        for r in csv.reader(
            io.StringIO(
                "\n".join(line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#"))
            )
        )
    ]
    if not rows:
        raise DataError(f"{path}: no header and no data")
    header = [h.strip() for h in rows[0]]
    cols = {}
    for i, h in enumerate(header):
        for prefix in ("current_err_", "bias_", "current_"):
            if h.startswith(prefix):
                if prefix in cols:
                    raise DataError(f"{path}: two columns for {prefix.rstrip('_')}")
                cols[prefix] = (i, _unit(h, prefix, BIAS_UNITS if prefix == "bias_" else CURRENT_UNITS))
                break
        else:
            raise DataError(
                f"{path}: unknown column {h!r}; expected bias_<unit>, current_<unit> "
                f"(and optionally current_err_<unit>), e.g. bias_mV,current_nA"
            )
    for need in ("bias_", "current_"):
        if need not in cols:
            raise DataError(f"{path}: no {need}<unit> column in the header {header}")
    data: dict[str, list[float]] = {k: [] for k in cols}
    for n, row in enumerate(rows[1:], start=2):
        if len(row) != len(header):
            raise DataError(f"{path}: row {n} has {len(row)} cells, the header {len(header)}")
        for k, (i, _) in cols.items():
            try:
                data[k].append(float(row[i]))
            except ValueError:
                raise DataError(f"{path}: row {n}: {row[i]!r} is not a number") from None
    err = None
    if "current_err_" in cols:
        err = np.array(data["current_err_"]) * cols["current_err_"][1]
    return iv_data(
        np.array(data["bias_"]) * cols["bias_"][1],
        np.array(data["current_"]) * cols["current_"][1],
        current_error_nA=err,
        source=str(path),
        first_row=2,
    )


def iv_data(bias_mV, current_nA, current_error_nA=None, *, source: str = "arrays", first_row: int = 0) -> IVData:
    """Check and symmetrise an I-V curve given as arrays (mV, nA; module docstring).

    Parameters
    ----------
    bias_mV, current_nA : array_like (n,)
        The measured bias (mV) and current (nA), biases strictly increasing.
    current_error_nA : array_like (n,), optional
        1-sigma errors of the currents (nA, > 0).
    """
    V = np.asarray(bias_mV, dtype=float).reshape(-1)
    I = np.asarray(current_nA, dtype=float).reshape(-1)
    E = None if current_error_nA is None else np.asarray(current_error_nA, dtype=float).reshape(-1)
    what = "row" if first_row else "point"

    def where(i):
        return f"{what} {i + first_row}"

    if V.size != I.size or (E is not None and E.size != V.size):
        raise DataError(
            f"bias, current (and error) must have the same length, got {V.size}, {I.size}"
            + ("" if E is None else f", {E.size}")
        )
    for name, a in (("bias", V), ("current", I)) + ((("current error", E),) if E is not None else ()):
        bad = np.flatnonzero(~np.isfinite(a))
        if bad.size:
            raise DataError(f"{source}: {name} is not finite (NaN or inf) at {where(bad[0])}")
    if E is not None and np.any(E <= 0):
        raise DataError(f"{source}: current errors must be > 0 (at {where(np.flatnonzero(E <= 0)[0])})")
    step = np.diff(V)
    if np.any(step == 0):
        i = np.flatnonzero(step == 0)[0] + 1
        raise DataError(f"{source}: duplicated bias {V[i]:g} mV at {where(i)}")
    if np.any(step < 0):
        i = np.flatnonzero(step < 0)[0] + 1
        raise DataError(
            f"{source}: biases are not sorted: {V[i]:g} mV at {where(i)} follows {V[i - 1]:g} mV "
            "(give them in increasing order)"
        )
    scale = float(np.abs(I).max()) if I.size else 0.0
    wrong = np.flatnonzero(I * np.sign(V) < -WRONG_SIGN_TOLERANCE * scale)
    if wrong.size:
        i = wrong[0]
        raise DataError(
            f"{source}: current of the wrong sign for its bias at {where(i)} (V = {V[i]:g} mV, "
            f"I = {I[i]:g} nA; {wrong.size} such points): I must have the sign of V (polarity swapped?)"
        )
    zero = int(np.count_nonzero(V == 0))
    neg, pos = V < 0, V > 0
    notes = []
    n_folded, asym = 0, None
    if not pos.any():
        Vp, Ip = -V[neg][::-1], -I[neg][::-1]
        Ep = None if E is None else E[neg][::-1]
        notes.append("negative biases only: mirrored, I(V) = -I(-V)")
    else:
        Vp, Ip = V[pos], I[pos].copy()
        Ep = None if E is None else E[pos].copy()
        if neg.sum() >= 2:
            Vn, In = -V[neg][::-1], I[neg][::-1]  # |V| increasing, I(-|V|)
            inside = (Vp >= Vn[0]) & (Vp <= Vn[-1])
            mirror = np.interp(Vp[inside], Vn, In)
            n_folded = int(inside.sum())
            if n_folded:
                asym = float(
                    np.sqrt(np.mean((Ip[inside] + mirror) ** 2)) / max(np.sqrt(np.mean(Ip[inside] ** 2)), 1e-300)
                )
                Ip[inside] = 0.5 * (Ip[inside] - mirror)
                if Ep is not None and E is not None:
                    En = np.interp(Vp[inside], Vn, E[neg][::-1])
                    Ep[inside] = 0.5 * np.hypot(Ep[inside], En)
                notes.append(
                    f"symmetrised (I(V) - I(-V))/2 at {n_folded} biases; asymmetry "
                    f"rms(I(V) + I(-V))/rms(I) = {asym:.2%}"
                )
        elif neg.any():
            notes.append("one negative-bias point left out (too few to fold)")
    if Vp.size < MIN_POINTS:
        raise DataError(f"{source}: {Vp.size} points of non-zero bias; at least {MIN_POINTS} are needed")
    return IVData(Vp, Ip, Ep, n_folded, asym, zero, source, tuple(notes))


def check_enough_points(data: IVData, n_parameters: int) -> None:
    """A DataError unless the curve has more points than twice the fit's parameters (so that
    the residual estimates the noise)."""
    if data.bias_mV.size < max(MIN_POINTS, 2 * n_parameters + 1):
        raise DataError(
            f"{data.source}: {data.bias_mV.size} points are too few for {n_parameters} fit parameters "
            f"(need at least {max(MIN_POINTS, 2 * n_parameters + 1)})"
        )
