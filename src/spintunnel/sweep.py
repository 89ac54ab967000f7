"""Parameter sweeps: labelled, resumable, parallel (issue 7).

A sweep config is a run config (:mod:`spintunnel.config`) plus a ``[sweep]`` table whose
dotted keys name the axes by their config path, each with a range or a list::

    [sweep]
    "junction.bias_mV" = {start = 0.01, stop = 0.3, num = 60}   # linspace, mV
    "junction.temperature_K" = [0.05, 0.5, 1.0]                  # values, K
    chunk_points = 2048                                          # optional

Every numeric field of ``[junction]``, ``[junction.left]``/``[junction.right]``, ``[link]``
and ``methods.broadening_meV`` can be an axis. Setting one of a lead's gap fields along an
axis (``gap_meV``, ``gap_zero_meV``, ``critical_temperature_K``) replaces whichever of the
three the base config gives for that lead. Axis names, empty ranges and out-of-range values
are checked (against the pydantic models) before any work starts: :class:`SweepConfigError`
names the axis.

The result is an :class:`xarray.Dataset` with one dimension per axis (named by its path,
in config order), plus ``method_name`` and ``component`` (x, y, z); see :func:`run_sweep`.

Work is split into chunks of up to ``chunk_points`` grid points. Internally the bias axis
(if swept) runs fastest, so a chunk is a few "rows" at fixed temperature, gaps, link, ...
and a method that is vectorised over bias (``Method.vectorised``) handles one row in one call;
the others are evaluated point by point. Every point keeps each method's diagnostics:
``converged``, the error estimate per quantity, and the reason code of every quantity that
is not given (``invalid_reason``); a method that fails at a point leaves the code ``failed``
there (never a silent gap), and one :class:`SweepWarning` at the end counts the points that
did not converge or failed, per method. Finished chunks are written
one by one (atomic ``.npz`` files in a parts directory) by the process that drives the
sweep, so a killed sweep re-run with the same config continues, and a worker that dies only
loses its unfinished chunk (dask reschedules it). The merged NetCDF file does not depend on
the order in which chunks finished: it is byte-identical to that of an uninterrupted run.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import math
import os
import time
import tomllib
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from . import __version__
from .config import ConfigError, RunConfig, ValidationError, _format_errors
from .junction import REGIME_FLAGS, RegimeWarning, junction_from_config
from .methods import QUANTITIES, REASONS, UNITS, unavailable
from .units import TIME_UNIT_S

if TYPE_CHECKING:
    import xarray

__all__ = [
    "SweepConfigError",
    "SweepSpec",
    "parse_sweep",
    "load_sweep",
    "run_sweep",
    "plot_sweep",
    "SweepSummary",
    "SweepWarning",
    "local_cluster",
    "WORKER_ENV",
    "compute_chunk",
    "evaluate",
    "RECOMMENDED",
    "seconds_per_point",
    "dim_name",
    "spawn_cluster",
]

BIAS_AXIS = "junction.bias_mV"
#: The dimension of the methods ("method" would clash with the ``method=`` argument of ``.sel``).
METHOD_DIM = "method_name"
COMPONENTS = ("x", "y", "z")
_GAP_FIELDS = ("gap_meV", "gap_zero_meV", "critical_temperature_K")
_OPTIONS = {"chunk_points"}
_UNITS = {"_mV": "mV", "_meV": "meV", "_K": "K", "_rad": "rad", "_ohm": "Ohm", "_nm3": "nm^3"}
#: Worker environment: one BLAS/OpenMP thread per worker process (no oversubscription), and
#: glibc malloc thresholds of 64 MB in place of dask's MALLOC_TRIM_THRESHOLD_=65536 (see
#: :func:`local_cluster`).
WORKER_ENV = {
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "MALLOC_TRIM_THRESHOLD_": "67108864",
    "MALLOC_MMAP_THRESHOLD_": "67108864",
}


class SweepConfigError(ConfigError):
    """A sweep configuration that cannot be used; the message names the axis or option."""


def dim_name(path: str) -> str:
    """The dimension of a sweep axis: its config path without the section, parts joined by
    '_' (``junction.bias_mV`` -> ``bias_mV``, ``junction.left.gap_meV`` -> ``left_gap_meV``,
    ``link.b`` -> ``b``), so that ``ds.bias_mV`` works; the path is the coordinate's
    ``config_path`` attribute."""
    return "_".join(path.split(".")[1:])


def _unit(name: str) -> str:
    for suffix, unit in _UNITS.items():
        if name.endswith(suffix):
            return unit
    return "1"


# ----------------------------------------------------------------------------- the config
@dataclass(frozen=True)
class SweepSpec:
    """A validated sweep: base config, axes (config order), chunking.

    Attributes
    ----------
    config : RunConfig
        The base configuration (the fixed parameters).
    config_text : str
        The full TOML text (stored in the result's attributes).
    axes : tuple of (str, ndarray)
        (dotted config path, values in the field's unit), in config order.
    chunk_points : int
        Grid points per chunk.
    """

    config: RunConfig
    config_text: str
    axes: tuple
    chunk_points: int

    @property
    def names(self) -> list[str]:
        return [a for a, _ in self.axes]

    @property
    def shape(self) -> tuple:
        return tuple(len(v) for _, v in self.axes)

    @property
    def size(self) -> int:
        return math.prod(self.shape)

    @property
    def methods(self) -> list[str]:
        return list(self.config.methods.methods)

    def method_instances(self) -> dict:
        """{name: configured method instance} of the swept methods."""
        return {m: self.config.methods.method(m) for m in self.methods}

    @property
    def n_harmonics(self) -> int:
        """Harmonics k = 1..n of 2eV stored per point (the most any swept method gives)."""
        return max(m.harmonics_count() for m in self.method_instances().values())

    # internal layout: the bias axis (if any) last, so that a row is a vectorised kernel call
    @property
    def row_axes(self) -> list[int]:
        return [i for i, n in enumerate(self.names) if n != BIAS_AXIS]

    @property
    def biases(self) -> np.ndarray | None:
        for n, v in self.axes:
            if n == BIAS_AXIS:
                return v
        return None

    @property
    def n_rows(self) -> int:
        return int(np.prod([self.shape[i] for i in self.row_axes]))

    @property
    def n_bias(self) -> int:
        b = self.biases
        return 1 if b is None else len(b)

    def chunks(self) -> list[tuple[int, int, int, int]]:
        """(row_start, row_stop, bias_start, bias_stop) of every chunk, in a fixed order."""
        nb, nr, cp = self.n_bias, self.n_rows, self.chunk_points
        out = []
        if nb >= cp:
            for r in range(nr):
                for b0 in range(0, nb, cp):
                    out.append((r, r + 1, b0, min(b0 + cp, nb)))
        else:
            step = max(1, cp // nb)
            for r0 in range(0, nr, step):
                out.append((r0, min(r0 + step, nr), 0, nb))
        return out

    def row_values(self, row: int) -> dict:
        """{path: value} of the non-bias axes at internal row index ``row``."""
        shape = [self.shape[i] for i in self.row_axes]
        idx = np.unravel_index(row, shape) if shape else ()
        return {self.names[i]: float(self.axes[i][1][k]) for i, k in zip(self.row_axes, idx, strict=True)}

    def digest(self) -> str:
        """A hash of everything that defines the result (base config, axes, chunking)."""
        h = hashlib.sha256()
        h.update(self.config.model_dump_json().encode())
        for n, v in self.axes:
            h.update(n.encode())
            h.update(np.ascontiguousarray(v, dtype=float).tobytes())
        h.update(str(self.chunk_points).encode())
        h.update(__version__.encode())
        h.update(f"chunk format {_CHUNK_FORMAT}".encode())
        return h.hexdigest()[:16]


def _field_info(cfg: RunConfig, path: str):
    """The pydantic field of a dotted path, or raise SweepConfigError naming it."""
    parts = path.split(".")
    allowed = path.startswith(("junction.", "link.")) or path == "methods.broadening_meV"
    if not allowed:
        raise SweepConfigError(
            f"sweep axis {path!r}: not a junction, link or methods.broadening_meV parameter "
            "(axes are dotted config paths such as 'junction.bias_mV', 'link.kso_d')"
        )
    model = cfg
    for i, p in enumerate(parts):
        fields = type(model).model_fields
        if p not in fields:
            where = ".".join(parts[:i]) or "(top)"
            raise SweepConfigError(
                f"sweep axis {path!r}: {where} has no field {p!r} (fields: {', '.join(sorted(fields))})"
            )
        if i < len(parts) - 1:
            model = getattr(model, p)
            if model is None or not hasattr(type(model), "model_fields"):
                raise SweepConfigError(f"sweep axis {path!r}: {'.'.join(parts[: i + 1])} is not a section")
    field = type(model).model_fields[parts[-1]]
    if field.annotation not in (float, float | None, int):
        raise SweepConfigError(f"sweep axis {path!r}: not a numeric field ({field.annotation})")
    return field


def _axis_values(path: str, spec) -> np.ndarray:
    if isinstance(spec, list):
        try:
            values = np.array([float(x) for x in spec])
        except (TypeError, ValueError):
            raise SweepConfigError(f"sweep axis {path!r}: the list must hold numbers, got {spec!r}") from None
    elif isinstance(spec, dict):
        unknown = set(spec) - {"start", "stop", "num"}
        missing = {"start", "stop", "num"} - set(spec)
        if unknown or missing:
            raise SweepConfigError(
                f"sweep axis {path!r}: a range is {{start, stop, num}} "
                f"(unknown: {sorted(unknown)}, missing: {sorted(missing)})"
            )
        num = spec["num"]
        if not isinstance(num, int) or isinstance(num, bool):
            raise SweepConfigError(f"sweep axis {path!r}: num must be an integer, got {num!r}")
        if num < 1:
            raise SweepConfigError(f"sweep axis {path!r}: empty range (num = {num})")
        try:
            values = np.linspace(float(spec["start"]), float(spec["stop"]), num)
        except (TypeError, ValueError):
            raise SweepConfigError(f"sweep axis {path!r}: start and stop must be numbers") from None
    else:
        raise SweepConfigError(f"sweep axis {path!r}: give a list of values or {{start, stop, num}}, got {spec!r}")
    if values.size == 0:
        raise SweepConfigError(f"sweep axis {path!r}: empty list of values")
    if not np.all(np.isfinite(values)):
        raise SweepConfigError(f"sweep axis {path!r}: values must be finite")
    if np.unique(values).size != values.size:
        raise SweepConfigError(f"sweep axis {path!r}: repeated values")
    return values


def _with_values(cfg: RunConfig, values: dict) -> RunConfig:
    """The config with the dotted paths set (a lead's gap field replaces its other two)."""
    data = cfg.model_dump()
    for path, v in values.items():
        parts = path.split(".")
        node = data
        for p in parts[:-1]:
            node = node[p]
        if len(parts) == 3 and parts[1] in ("left", "right") and parts[2] in _GAP_FIELDS:
            for g in _GAP_FIELDS:
                node[g] = None
        node[parts[-1]] = v
    return RunConfig.model_validate(data)


def parse_sweep(text: str) -> SweepSpec:
    """Parse a sweep config (TOML text: run config + ``[sweep]``); validate every axis.

    Raises :class:`SweepConfigError` (a :class:`ConfigError`, a ValueError) naming the bad
    axis or option, before any computation.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SweepConfigError(f"invalid TOML: {exc}") from exc
    table = data.pop("sweep", None)
    if not table:
        raise SweepConfigError(
            'no [sweep] table: name at least one axis, e.g. "junction.bias_mV" = {start = 0.01, stop = 0.3, num = 60}'
        )
    try:
        cfg = RunConfig.model_validate(data)
    except ValidationError as exc:
        raise SweepConfigError(_format_errors(exc)) from exc
    chunk_points = table.pop("chunk_points", None)
    unknown = [k for k in table if "." not in k]
    if unknown:
        raise SweepConfigError(
            f"[sweep]: unknown option(s) {unknown} (options: {sorted(_OPTIONS)}; axes are dotted paths)"
        )
    axes = []
    for path, spec in table.items():
        _field_info(cfg, path)
        values = _axis_values(path, spec)
        # the config's constraints on a number are bounds (ge, gt, lt, le): the smallest and the
        # largest value decide, with the other parameters at their base values
        for v in (values.min(), values.max()):
            try:
                _with_values(cfg, {path: float(v)})
            except ValidationError as exc:
                detail = "; ".join(e["msg"] for e in exc.errors())
                raise SweepConfigError(f"sweep axis {path!r}: value {float(v)!r} is invalid: {detail}") from None
        axes.append((path, values))
    if chunk_points is None:
        chunk_points = _default_chunk_points(cfg, math.prod(len(v) for _, v in axes))
    if not isinstance(chunk_points, int) or isinstance(chunk_points, bool) or chunk_points < 1:
        raise SweepConfigError(f"[sweep] chunk_points must be a positive integer, got {chunk_points!r}")
    return SweepSpec(cfg, text, tuple(axes), chunk_points)


#: Seconds of work per chunk aimed at by the default chunking (long enough to hide the
#: per-task overhead of dask, short enough to keep every worker busy and to lose little on a kill).
CHUNK_SECONDS = 4.0
#: The default chunking makes at least this many chunks (so that workers share the load).
MIN_CHUNKS = 8


def _default_chunk_points(cfg: RunConfig, size: int) -> int:
    """Points per chunk from the swept methods' cost per point (``Method.cost_hint_s``, as
    measured by the benchmarks): about :data:`CHUNK_SECONDS` of work per chunk, and at least
    :data:`MIN_CHUNKS` chunks when there are that many points."""
    cost = sum(cfg.methods.method(m).cost_hint_s for m in cfg.methods.methods)
    by_time = max(1, int(CHUNK_SECONDS / max(cost, 1e-9)))
    by_count = max(1, -(-size // MIN_CHUNKS))
    return int(min(by_time, by_count, 2048))


def load_sweep(path) -> SweepSpec:
    """:func:`parse_sweep` of a file."""
    try:
        text = Path(path).read_text()
    except (OSError, UnicodeDecodeError) as exc:
        raise SweepConfigError(f"cannot read sweep config {path}: {exc}") from exc
    return parse_sweep(text)


# ----------------------------------------------------------------------------- computation
#: Layout of the chunk files; part of the sweep digest, so parts of an older layout are not mixed in.
_CHUNK_FORMAT = 3
#: Errors of a method at one point that become a "failed" point (message kept); others propagate.
_METHOD_ERRORS = (ValueError, RuntimeError, NotImplementedError, ArithmeticError)
#: Longest reason code (fixed-width strings in the chunk files).
_REASON_WIDTH = max(len(code) for code in REASONS)


def evaluate(junction, biases_mV, method, progress=None) -> list:
    """``method.compute(junction, biases_mV, progress)``; a failure becomes, point by point, a
    result with the reason ``failed`` and the message in its warnings (never a silent gap)."""
    try:
        return method.compute(junction, biases_mV, progress=progress)
    except _METHOD_ERRORS:
        if len(biases_mV) == 1:
            exc = _last_error(method, junction, biases_mV[0])
            return [
                unavailable(method.name, float(biases_mV[0]), "failed", exc, junction.regime_flags(float(biases_mV[0])))
            ]
        return [r for v in biases_mV for r in evaluate(junction, [float(v)], method)]


def _last_error(method, junction, bias) -> str:
    try:
        method.compute(junction, [bias])
    except _METHOD_ERRORS as exc:
        return f"{type(exc).__name__}: {exc}"
    return "failed"


def _empty_method(n: int, n_harmonics: int) -> dict:
    nq = len(QUANTITIES)
    return {
        "M_dc": np.full((n, 3), np.nan),
        "spin_current_dc": np.full((n, 3), np.nan),
        "M_harm_re": np.full((n, n_harmonics, 3), np.nan),
        "M_harm_im": np.full((n, n_harmonics, 3), np.nan),
        "converged": np.zeros(n, np.int8),
        "error": np.full((n, nq), np.nan),
        "reason": np.full((n, nq), "", dtype=f"<U{_REASON_WIDTH}"),
    }


def _store(d: dict, i: int, r) -> None:
    """Put one MethodResult into row i of a method's arrays."""
    d["converged"][i] = bool(r.converged)
    for qi, q in enumerate(QUANTITIES):
        d["reason"][i, qi] = r.diagnostics.reasons.get(q, "") if r.value(q) is None else ""
        d["error"][i, qi] = r.error(q)
    if r.moment_dc_muB is not None:
        d["M_dc"][i] = r.moment_dc_muB
    if r.spin_current_dc_muB_per_s is not None:
        d["spin_current_dc"][i] = r.spin_current_dc_muB_per_s
    harmonics = r.harmonics()[: d["M_harm_re"].shape[1]]
    given = ([0] if r.moment_ac_muB is not None else []) + (
        list(range(1, len(harmonics))) if len(r.moment_harmonics_muB) else []
    )
    d["M_harm_re"][i, given] = harmonics[given].real
    d["M_harm_im"][i, given] = harmonics[given].imag
    for key, value in r.extras.items():
        d.setdefault(f"extra/{key}", np.full(d["converged"].shape, np.nan))[i] = value


def _compute_row(spec: SweepSpec, row: int, b0: int, b1: int) -> dict:
    """One row (non-bias axes fixed) over biases [b0, b1): arrays with leading dim b1 - b0."""
    values = spec.row_values(row)
    biases = spec.biases
    n = b1 - b0
    res: dict[str, Any] = {
        "gap_left_meV": np.full(n, np.nan),
        "gap_right_meV": np.full(n, np.nan),
        "regime_flags": np.zeros(n, np.int8),
        "row_error": np.full(n, "", dtype="<U200"),
    }
    per_method = {name: _empty_method(n, spec.n_harmonics) for name in spec.methods}
    res["methods"] = per_method
    try:
        junction = junction_from_config(_with_values(spec.config, values))
    except ValueError as exc:  # e.g. both gaps zero at this combination: the whole row is invalid
        res["row_error"][:] = str(exc)[:200]
        for d in per_method.values():
            d["reason"][:] = "failed"
        return res
    v = np.full(n, junction.bias_mV) if biases is None else biases[b0:b1].astype(float)
    res["gap_left_meV"][:] = junction.gap_left_meV
    res["gap_right_meV"][:] = junction.gap_right_meV
    res["regime_flags"][:] = junction.regime_flags(v)
    for name, method in spec.method_instances().items():
        for i, r in enumerate(evaluate(junction, v, method)):
            _store(per_method[name], i, r)
    return res


def compute_chunk(spec: SweepSpec, chunk: tuple) -> dict:
    """The flat arrays of one chunk (rows x biases, row-major), as numpy arrays (npz keys)."""
    r0, r1, b0, b1 = chunk
    rows = [_compute_row(spec, r, b0, b1) for r in range(r0, r1)]
    out = {}
    for k in ("gap_left_meV", "gap_right_meV", "regime_flags", "row_error"):
        out[k] = np.concatenate([r[k] for r in rows])
    for m in spec.methods:
        keys = sorted(set().union(*(r["methods"][m] for r in rows)))
        for f in keys:
            parts = []
            for r in rows:
                d = r["methods"][m]
                parts.append(d[f] if f in d else np.full(d["converged"].shape, np.nan))
            out[f"{m}/{f}"] = np.concatenate(parts)
    return out


def seconds_per_point(spec: SweepSpec, budget_s: float = 1.0) -> float:
    """The measured cost of one grid point (s, in this process): a probe of about
    ``budget_s`` of work at the start of the grid, sized by the methods' cost hints."""
    cost = sum(m.cost_hint_s for m in spec.method_instances().values())
    n = int(min(max(budget_s / max(cost, 1e-9), 1), spec.n_bias, 256))
    t0 = time.perf_counter()
    with warnings.catch_warnings(record=True):  # the probe's warnings come again in the sweep
        warnings.simplefilter("always")
        compute_chunk(spec, (0, 1, 0, n))
    return (time.perf_counter() - t0) / n


def _compute_chunk_task(spec: SweepSpec, index: int, chunk: tuple):
    """Worker task: (index, arrays). One BLAS thread: the env of the worker (see run_sweep)."""
    return index, compute_chunk(spec, chunk)


# ----------------------------------------------------------------------------- storage
_LOCK = "LOCK"


def _parts_dir(output: Path) -> Path:
    return output.with_name(output.name + ".parts")


def _write_chunk(parts: Path, index: int, arrays: dict) -> None:
    tmp = parts / f".chunk-{index:06d}.tmp.npz"
    with open(tmp, "wb") as fh:
        np.savez(fh, **arrays)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, parts / f"chunk-{index:06d}.npz")


def _read_chunk(parts: Path, index: int) -> dict:
    with np.load(parts / f"chunk-{index:06d}.npz") as z:
        return {k: z[k] for k in z.files}


def _done_chunks(parts: Path) -> set[int]:
    return {int(p.stem.split("-")[1]) for p in parts.glob("chunk-*.npz")}


def _prepare_parts(spec: SweepSpec, parts: Path, restart: bool) -> set[int]:
    """Create or check the parts directory; return the indices of finished chunks."""
    stamp = parts / "SWEEP_ID"
    if parts.exists():
        if restart or not stamp.exists():
            for p in parts.iterdir():
                if p.name != _LOCK:
                    p.unlink()
        elif stamp.read_text().strip() != spec.digest():
            raise SweepConfigError(
                f"{parts} holds chunks of a different sweep (config, axes, chunking or version "
                "changed); use restart=True (--restart) to discard them"
            )
    parts.mkdir(parents=True, exist_ok=True)
    stamp.write_text(spec.digest() + "\n")
    return _done_chunks(parts)


# ----------------------------------------------------------------------------- assembly
def _assemble(spec: SweepSpec, chunk_arrays) -> xarray.Dataset:
    """The Dataset from all chunks (an iterable of (chunk, arrays) in chunk order)."""
    import xarray as xr

    nr, nb = spec.n_rows, spec.n_bias
    flat = {}

    def put(key, chunk, arr):
        r0, r1, b0, b1 = chunk
        if key not in flat:
            flat[key] = np.full((nr, nb) + arr.shape[1:], np.nan if arr.dtype.kind == "f" else 0, dtype=arr.dtype)
        flat[key][r0:r1, b0:b1] = arr.reshape((r1 - r0, b1 - b0) + arr.shape[1:])

    for chunk, arrays in chunk_arrays:
        for k, a in arrays.items():
            put(k, chunk, a)

    names = spec.names
    row_names = [names[i] for i in spec.row_axes]
    row_shape = [spec.shape[i] for i in spec.row_axes]
    internal = row_names + ([BIAS_AXIS] if spec.biases is not None else [])

    def grid(a):  # (nr, nb, ...) -> internal dims -> config order
        a = a.reshape(tuple(row_shape) + ((nb,) if spec.biases is not None else ()) + a.shape[2:])
        order = [internal.index(n) for n in names] + list(range(len(internal), a.ndim))
        return np.transpose(a, order)

    methods = spec.methods
    dims = tuple(dim_name(n) for n in names)
    coords: dict[str, tuple] = {}
    for path, values in spec.axes:
        field = _field_info(spec.config, path)
        coords[dim_name(path)] = (
            dim_name(path),
            values,
            {"units": _unit(path), "config_path": path, "long_name": path, "description": field.description or path},
        )
    ranks = {m: type(inst).rank for m, inst in spec.method_instances().items()}
    shown = methods + ([RECOMMENDED] if any(ranks.values()) else [])
    coords[METHOD_DIM] = (
        METHOD_DIM,
        np.array(shown),
        {
            "long_name": "method (spintunnel.methods); 'recommended': per point and quantity the "
            "highest-ranked method that gives it (variable recommended_method)"
        },
    )
    coords["component"] = ("component", np.array(COMPONENTS))
    coords["harmonic"] = (
        "harmonic",
        np.arange(1, spec.n_harmonics + 1),
        {"units": "1", "long_name": "harmonic k of the Josephson frequency 2eV/h"},
    )
    coords["quantity"] = (
        "quantity",
        np.array(QUANTITIES),
        {"long_name": "reported quantity (spintunnel.methods.QUANTITIES)"},
    )

    def stack(field):
        return np.stack([grid(flat[f"{m}/{field}"]) for m in methods])

    per = {f: stack(f) for f in ("M_dc", "spin_current_dc", "M_harm_re", "M_harm_im", "converged", "error", "reason")}
    if RECOMMENDED in shown:
        weak = [type(inst).regime == "weak tunnelling" for inst in spec.method_instances().values()]
        _append_recommended(per, methods, ranks, weak, grid(flat["regime_flags"]))
    mk = per["M_harm_re"] + 1j * per["M_harm_im"]  # (method, *axes, harmonic, component)
    m = mk[..., 0, :]  # the 2eV harmonic
    biases = np.abs(grid(np.broadcast_to(_bias_grid(spec)[:, :], (nr, nb))))
    omega = 2.0 * biases / TIME_UNIT_S  # 2eV/hbar, rad/s
    amp = 2.0 * np.abs(m)
    vdims = (METHOD_DIM,) + dims + ("component",)
    qdims = (METHOD_DIM,) + dims + ("quantity",)
    nan_note = "NaN where the method does not give it: the code is in invalid_reason (spintunnel.methods.REASONS)"
    units = {q: UNITS[q] for q in QUANTITIES}
    data = {
        "M_dc": (
            vdims,
            per["M_dc"],
            {"units": "mu_B", "long_name": "static magnetization M_L,dc (g = 2)", "note": nan_note},
        ),
        "M_ac_amplitude": (
            vdims,
            amp,
            {
                "units": "mu_B",
                "long_name": "ac magnetization amplitude 2|m|, M_ac(t) = 2 Re[m exp(i(phi0 + 2eVt/hbar))]",
                "note": nan_note,
            },
        ),
        "M_ac_phase": (
            vdims,
            np.angle(m),
            {"units": "rad", "long_name": "phase arg(m) of the ac magnetization", "note": nan_note},
        ),
        "spin_current_ac_amplitude": (
            vdims,
            omega[None, ..., None] * amp,
            {"units": "mu_B/s", "long_name": "ac spin current amplitude (2eV/hbar) 2|m|", "note": nan_note},
        ),
        "M_harmonics_amplitude": (
            (METHOD_DIM,) + dims + ("harmonic", "component"),
            2.0 * np.abs(mk),
            {
                "units": "mu_B",
                "long_name": "amplitude 2|m_k| of harmonic k, M_ac(t) = Sum_k 2 Re[m_k exp(ik(phi0 + 2eVt/hbar))]",
                "note": nan_note + "; NaN also for the harmonics a method does not give",
            },
        ),
        "M_harmonics_phase": (
            (METHOD_DIM,) + dims + ("harmonic", "component"),
            np.angle(mk),
            {"units": "rad", "long_name": "phase arg(m_k) of harmonic k", "note": "NaN as M_harmonics_amplitude"},
        ),
        "spin_current_dc": (
            vdims,
            per["spin_current_dc"],
            {"units": "mu_B/s", "long_name": "time-averaged spin current dM_L/dt", "note": nan_note},
        ),
        "converged": (
            (METHOD_DIM,) + dims,
            per["converged"],
            {
                "units": "1",
                "long_name": "1: the method's numerics reached their tolerance at this point; 0: not (values kept, not to be trusted)",
                "flag_values": np.array([0, 1], np.int8),
                "flag_meanings": "not_converged converged",
            },
        ),
        "error": (
            qdims,
            per["error"],
            {
                "long_name": "the method's error estimate of each quantity (absolute; for M_ac of m, i.e. half the amplitude's)",
                "units_by_quantity": json.dumps(units),
                "note": "NaN where the method gives no estimate",
            },
        ),
        "invalid_reason": (
            qdims,
            per["reason"],
            {
                "long_name": "why a quantity is not given at this point ('' where it is); codes of spintunnel.methods.REASONS",
                "codes": json.dumps(REASONS),
            },
        ),
        "regime_flags": (
            dims,
            grid(flat["regime_flags"]),
            {
                "units": "1",
                "long_name": "second-order regime checks that fail at this point (Junction.regime_warnings); 0: none",
                "flag_masks": np.array(list(REGIME_FLAGS), np.int8),
                "flag_meanings": " ".join(REGIME_FLAGS.values()),
            },
        ),
        "gap_left_meV": (
            dims,
            grid(flat["gap_left_meV"]),
            {"units": "meV", "long_name": "Delta_L used (BCS Delta(T) where the config gives Delta(0) or T_c)"},
        ),
        "gap_right_meV": (dims, grid(flat["gap_right_meV"]), {"units": "meV", "long_name": "Delta_R used"}),
        "row_error": (
            dims,
            grid(flat["row_error"]),
            {"long_name": "why no method ran at this point ('' where they did)"},
        ),
    }
    if RECOMMENDED in shown:
        data["recommended_method"] = (
            dims + ("quantity",),
            per["recommended_method"],
            {"long_name": "the method behind the 'recommended' entry, per quantity ('' where none gives it)"},
        )
    for m_name in methods:
        for key in sorted(k for k in flat if k.startswith(f"{m_name}/extra/")):
            name = f"{m_name}_{key.split('/')[-1]}"
            data[name] = (
                dims,
                grid(flat[key]),
                {"long_name": f"{key.split('/')[-1]} of the method {m_name} (MethodResult.extras)"},
            )
    attrs = {
        "title": "spintunnel sweep",
        "spintunnel_version": __version__,
        "config_toml": spec.config_text,
        "axes": " ".join(dims),
        "methods": " ".join(shown),
        "points": spec.size,
        "chunk_points": spec.chunk_points,
        "conventions": "M_ac(t) = 2 Re[m exp(i(phi0 + 2eVt/hbar))], m = M_ac_amplitude/2 exp(i M_ac_phase) per component; g = 2",
    }
    return xr.Dataset(data, coords=coords, attrs=attrs)


#: The entry of the method dimension that holds the recommended answer.
RECOMMENDED = "recommended"


def _append_recommended(per: dict, methods: list, ranks: dict, weak: list, flags) -> None:
    """Append the 'recommended' entry to every per-method array (axis 0), in place: per point
    and quantity the values of the highest-ranked method (rank > 0) that gives the quantity
    and applies there (a weak-tunnelling method not where ``regime_flags`` is set, as
    :func:`spintunnel.methods.applies`); ``per["recommended_method"]`` names it."""
    order = sorted((i for i, m in enumerate(methods) if ranks[m] > 0), key=lambda i: -ranks[methods[i]])
    reason = per["reason"]  # (method, *axes, quantity)
    outside = (np.asarray(flags) != 0)[..., None]  # (*axes, 1)
    given = (reason == "") & ~(np.array(weak)[(slice(None),) + (None,) * (reason.ndim - 1)] & outside[None])
    shape = reason.shape[1:]
    choice = np.full(shape, -1)
    for i in reversed(order):  # the best method last, so it wins
        choice = np.where(given[i], i, choice)
    rec = {k: np.full(v.shape[1:], np.nan if v.dtype.kind == "f" else 0, dtype=v.dtype) for k, v in per.items()}
    best = reason[order[0]] if order else np.full(shape, "", dtype=reason.dtype)
    rec["reason"] = np.where(choice < 0, np.where(best == "", "outside_regime", best), "")
    rec["converged"] = np.ones(shape[:-1], np.int8)
    qi = {q: n for n, q in enumerate(QUANTITIES)}
    targets = {
        "M_dc": ("M_dc", None),
        "spin_current_dc": ("spin_current_dc", None),
        "M_ac": ("M_harm", slice(0, 1)),
        "M_harmonics": ("M_harm", slice(1, None)),
    }
    for q, (field, harm) in targets.items():
        c = choice[..., qi[q]]
        for i in order:
            sel = c == i
            if not sel.any():
                continue
            rec["error"][..., qi[q]][sel] = per["error"][i][..., qi[q]][sel]
            rec["converged"][sel] &= per["converged"][i][sel]
            for f in (field,) if harm is None else ("M_harm_re", "M_harm_im"):
                if harm is None:
                    rec[f][sel] = per[f][i][sel]
                else:
                    rec[f][sel, harm] = per[f][i][sel, harm]
    per["recommended_method"] = np.where(choice >= 0, np.array(methods + [""])[choice], "")
    for k, v in rec.items():
        per[k] = np.concatenate([per[k], v[None]], axis=0)


def _bias_grid(spec: SweepSpec) -> np.ndarray:
    """(n_rows, n_bias) of the bias in mV (base value where bias is not swept)."""
    if spec.biases is not None:
        return np.broadcast_to(spec.biases[None, :], (spec.n_rows, spec.n_bias))
    return np.full((spec.n_rows, 1), spec.config.junction.bias_mV)


# ----------------------------------------------------------------------------- driver
@dataclass
class SweepSummary:
    """Points, chunks, wall time (s) and points per second of one call of :func:`run_sweep`."""

    points: int
    chunks: int
    chunks_computed: int
    seconds: float

    @property
    def points_per_second(self) -> float:
        computed = self.points * self.chunks_computed / max(self.chunks, 1)
        return computed / self.seconds if self.seconds > 0 else math.inf

    def __str__(self):
        return (
            f"{self.points} points in {self.chunks} chunks ({self.chunks_computed} computed now, "
            f"{self.chunks - self.chunks_computed} resumed); {self.seconds:.2f} s, "
            f"{self.points_per_second:.1f} points/s"
        )


def run_sweep(
    spec: SweepSpec | str,
    output: str | os.PathLike | None = None,
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    client: Any = None,
    restart: bool = False,
    keep_parts: bool = False,
    progress: Callable[[int], Any] | None = None,
    summary: Callable[[SweepSummary], Any] | None = None,
) -> xarray.Dataset:
    """Run a sweep; return the :class:`xarray.Dataset` (and write it to ``output``, NetCDF).

    Parameters
    ----------
    spec : SweepSpec or str
        A parsed sweep, or TOML text (:func:`parse_sweep`).
    output : path, optional
        NetCDF file to write (scipy engine, NetCDF3). Finished chunks go to ``output.parts/``
        as they come in; a re-run with the same sweep resumes from them; the directory is
        removed after the merge unless ``keep_parts``. Without ``output`` nothing is written
        and nothing resumes.  While it runs, ``output.parts/LOCK`` is locked (``flock``): a
        second sweep on the same output stops with :class:`SweepConfigError`.
    workers : int, optional
        0: serial, in this process (no dask). None or N >= 1: a ``distributed.LocalCluster``
        of N single-threaded worker processes (None: one per CPU), started and closed here.
    scheduler : str, optional
        Address of an existing dask.distributed scheduler (``workers`` is then ignored).
    client : distributed.Client, optional
        An existing client to use (not closed here).
    restart : bool
        Discard finished chunks of a previous run.
    progress : callable, optional
        ``progress(n)`` after n more chunks are done (e.g. ``click.progressbar().update``);
        it is first called with the number of chunks already finished.
    summary : callable, optional
        Called with a :class:`SweepSummary` at the end.

    Returns
    -------
    xarray.Dataset
        Dims: the axes (config order, named by :func:`dim_name`, e.g. ``bias_mV``; the config
        path and the unit in the coordinate's attributes), ``method_name``,
        ``component`` (x, y, z). Variables: ``M_dc`` (mu_B), ``M_ac_amplitude`` (mu_B, 2|m|),
        ``M_ac_phase`` (rad), ``spin_current_ac_amplitude`` and ``spin_current_dc`` (mu_B/s),
        NaN where not given; ``converged`` (0/1 per method and point), over ``quantity``
        ``error`` (the method's estimate) and ``invalid_reason`` (reason codes, '' where
        given); ``gap_left_meV``, ``gap_right_meV``; over ``harmonic`` (k = 1.. of 2eV)
        ``M_harmonics_amplitude`` (mu_B) and ``M_harmonics_phase`` (rad); method extras as
        ``<method>_<name>`` (e.g. the printed kernels); ``regime_flags`` (bits of
        ``junction.REGIME_FLAGS``; one :class:`~spintunnel.junction.RegimeWarning` sums them
        up when a weak-tunnelling method is swept).  The method dimension ends with
        ``recommended`` (per point and quantity the highest-ranked method that gives it,
        named by ``recommended_method``).  Attributes: the full config (``config_toml``) and
        ``spintunnel_version``.
    """
    if isinstance(spec, str):
        spec = parse_sweep(spec)
    tick = progress or (lambda n: None)
    chunks = spec.chunks()
    t0 = time.perf_counter()
    out = Path(output) if output is not None else None
    parts = _parts_dir(out) if out is not None else None
    lock = _exclusive(parts, out) if parts is not None and out is not None else contextlib.nullcontext()
    with lock:  # the parts directory (if any) is ours until the merge is written
        done = _prepare_parts(spec, parts, restart) if parts is not None else set()
        done &= set(range(len(chunks)))
        memory = {}
        tick(len(done))
        todo = [i for i in range(len(chunks)) if i not in done]

        def store(i, arrays):
            if parts is not None:
                _write_chunk(parts, i, arrays)
            else:
                memory[i] = arrays
            tick(1)

        if todo:
            if workers == 0 and scheduler is None and client is None:
                for i in todo:
                    store(i, compute_chunk(spec, chunks[i]))
            else:
                _run_distributed(spec, chunks, todo, store, workers, scheduler, client)

        def all_chunks():
            for i, c in enumerate(chunks):
                yield c, (memory[i] if parts is None else _read_chunk(parts, i))

        ds = _assemble(spec, all_chunks())
        _warn_regime(spec, ds)
        _warn_diagnostics(spec, ds)
        if out is not None and parts is not None:
            tmp = out.with_name("." + out.name + ".tmp")
            ds.to_netcdf(tmp, engine="scipy")
            os.replace(tmp, out)
            if not keep_parts:
                for p in parts.iterdir():
                    if p.name != _LOCK:
                        p.unlink()
        if summary is not None:
            summary(SweepSummary(spec.size, len(chunks), len(todo), time.perf_counter() - t0))
        return ds


@contextlib.contextmanager
def _exclusive(parts: Path, output: Path):
    """Hold an exclusive lock on ``parts/LOCK`` (``fcntl.flock``: released by the kernel when
    the process ends, however it ends), so that two sweeps never write the same parts."""
    import fcntl

    parts.mkdir(parents=True, exist_ok=True)
    fh = open(parts / _LOCK, "a")
    try:
        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        fh.close()
        raise SweepConfigError(
            f"another sweep is writing {output} (lock {parts / _LOCK} is held); "
            "wait for it to finish or choose another output"
        ) from None
    try:
        yield
    finally:
        if [p.name for p in parts.iterdir()] == [_LOCK]:  # merged and cleaned: remove the directory
            (parts / _LOCK).unlink()
            parts.rmdir()
        fh.close()  # closing the file releases the lock


def _warn_regime(spec: SweepSpec, ds) -> None:
    """One :class:`RegimeWarning` for the points where the weak-tunnelling methods (regime
    ``"weak tunnelling"`` or ``"printed formula"``) leave their regime (the per-point bits are
    in ``regime_flags``)."""
    weak = [m for m, inst in spec.method_instances().items() if inst.regime in ("weak tunnelling", "printed formula")]
    if not weak:
        return
    flags = ds["regime_flags"].values
    parts = [
        f"{int(np.count_nonzero(flags & bit))} {meaning.replace('_', ' ')}"
        for bit, meaning in REGIME_FLAGS.items()
        if np.any(flags & bit)
    ]
    if parts:
        message = (
            f"{int(np.count_nonzero(flags))} of {flags.size} points leave the regime of second-order "
            f"perturbation theory ({'; '.join(parts)}): see the variable regime_flags"
        )
        warnings.warn(message, RegimeWarning, stacklevel=3)  # the caller of run_sweep


class SweepWarning(UserWarning):
    """Points of a sweep where a method did not converge or failed (counted per method)."""


def _warn_diagnostics(spec: SweepSpec, ds) -> None:
    """One :class:`SweepWarning` counting, per swept method, the points that did not converge
    and those where it failed (``invalid_reason == 'failed'``)."""
    parts = []
    for m in spec.methods:
        sel = {METHOD_DIM: m}
        bad = int((ds["converged"].sel(sel) == 0).sum())
        failed = int((ds["invalid_reason"].sel(sel) == "failed").any("quantity").sum())
        if bad or failed:
            parts.append(f"{m}: {bad} not converged" + (f", {failed} failed" if failed else ""))
    if parts:
        warnings.warn(
            f"of {spec.size} points, {'; '.join(parts)} (variables converged, invalid_reason)",
            SweepWarning,
            stacklevel=3,
        )


def local_cluster(n_workers: int):
    """A ``distributed.LocalCluster`` of ``n_workers`` single-threaded worker processes.

    The workers get one BLAS/OpenMP thread and malloc thresholds of 64 MB (:data:`WORKER_ENV`),
    and ignore SIGINT (Ctrl-C interrupts the driving process, which closes the cluster).
    dask's default ``MALLOC_TRIM_THRESHOLD_=65536`` switches off glibc's dynamic mmap
    threshold, so every kernel temporary above 128 kB is mapped and unmapped again: the
    vectorised kernels then run at half speed (measured on a 2,000-point chunk: 0.26 s
    without the variable, 0.45 s with dask's value, 0.17 s with :data:`WORKER_ENV`).
    """
    import signal

    # the worker processes start with SIGINT ignored (inherited through exec), so that Ctrl-C
    # reaches only this process, which then closes the cluster cleanly (no worker tracebacks)
    import threading

    import dask
    import distributed

    main = threading.current_thread() is threading.main_thread()  # signals: main thread only
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN) if main else None
    try:
        with dask.config.set({"distributed.nanny.pre-spawn-environ": dict(WORKER_ENV)}):
            return distributed.LocalCluster(
                n_workers=n_workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=":0",
                env=WORKER_ENV,
                silence_logs=logging.ERROR,
            )
    finally:
        if main:
            signal.signal(signal.SIGINT, previous)


@contextlib.contextmanager
def spawn_cluster(n_workers: int = 2, timeout: float = 60.0):
    """A dask scheduler and ``n_workers`` single-threaded workers started as separate
    processes (the ``dask scheduler`` and ``dask worker`` commands) on localhost, with the
    worker environment :data:`WORKER_ENV`; yields the scheduler address for
    ``run_sweep(scheduler=...)`` / ``spintunnel sweep --scheduler``, and stops them after.
    For trying the ``--scheduler`` path on one machine (tests, benchmarks)."""
    import subprocess
    import sys
    import tempfile

    import distributed

    procs = []
    with tempfile.TemporaryDirectory() as tmp:
        info = Path(tmp) / "scheduler.json"
        quiet: dict[str, Any] = dict(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            procs.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "distributed.cli.dask_scheduler",
                        "--host",
                        "127.0.0.1",
                        "--port",
                        "0",
                        "--dashboard-address",
                        ":0",
                        "--scheduler-file",
                        str(info),
                    ],
                    **quiet,
                )
            )
            t0 = time.monotonic()
            while not info.exists():
                if time.monotonic() - t0 > timeout or procs[0].poll() is not None:
                    raise RuntimeError("the dask scheduler did not start")
                time.sleep(0.05)
            time.sleep(0.1)  # the file is written in one go, but give the scheduler a moment
            address = json.loads(info.read_text())["address"]
            procs.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "distributed.cli.dask_worker",
                        address,
                        "--nworkers",
                        str(n_workers),
                        "--nthreads",
                        "1",
                        "--no-dashboard",
                    ],
                    env=dict(os.environ, **WORKER_ENV),
                    **quiet,
                )
            )
            with distributed.Client(address, timeout=timeout) as client:
                client.wait_for_workers(n_workers, timeout=timeout)
            yield address
        finally:
            for p in reversed(procs):
                p.terminate()
            for p in reversed(procs):
                try:
                    p.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    p.kill()


def _run_distributed(spec, chunks, todo, store, workers, scheduler, client):
    import distributed

    own_cluster = own_client = None
    try:
        if client is None:
            if scheduler is not None:
                client = own_client = distributed.Client(scheduler)
            else:
                n = workers if workers is not None else (os.cpu_count() or 1)
                own_cluster = local_cluster(n)
                client = own_client = distributed.Client(own_cluster)
        spec_future = client.scatter(spec, broadcast=True)
        futures = [
            client.submit(
                _compute_chunk_task, spec_future, i, chunks[i], key=f"spintunnel-chunk-{spec.digest()}-{i}", retries=2
            )
            for i in todo
        ]
        for fut in distributed.as_completed(futures):
            i, arrays = fut.result()
            store(i, arrays)
            fut.release()
    finally:
        if own_client is not None:
            own_client.close()
        if own_cluster is not None:
            own_cluster.close()


# ----------------------------------------------------------------------------- figures
def plot_sweep(
    ds: xarray.Dataset, path: str | os.PathLike, *, variable: str | None = None, method: str | None = None
) -> Path:
    """Draw a sweep: a 1D sweep as curves (x, y, z and the norm), a 2D sweep as a map of the
    norm, or as curves when one of the two axes has at most 5 values.

    ``variable`` defaults to ``M_ac_amplitude``; ``method`` to ``recommended`` (else the first
    in the file).  Axes are labelled with physics symbols and units; points where the method
    did not converge are marked; blank cells say why (the reason codes, counted) in the
    figure.  Returns the path.
    """
    from .plotting import _scaled, figure  # headless: the caller's matplotlib backend is left alone

    axes = ds.attrs["axes"].split()
    present = [str(m) for m in ds[METHOD_DIM].values]
    method = method or (RECOMMENDED if RECOMMENDED in present else present[0])
    if method not in present:
        raise ValueError(f"method {method!r} is not in the file (methods: {', '.join(present)})")
    variable = variable or "M_ac_amplitude"
    if variable not in ds.data_vars:
        raise ValueError(f"variable {variable!r} is not in the file (variables: {', '.join(map(str, ds.data_vars))})")
    da = ds[variable]
    converged = ds["converged"].sel({METHOD_DIM: method}) if "converged" in ds else None
    reason = ds["invalid_reason"].sel({METHOD_DIM: method}) if "invalid_reason" in ds else None
    if METHOD_DIM in da.dims:
        da = da.sel({METHOD_DIM: method})
    if "harmonic" in da.dims:
        da = da.isel(harmonic=0)
    # the other axes of length 1 are dropped; more than 2 swept axes: first value of the rest
    swept = [a for a in axes if ds.sizes[a] > 1]
    fixed = {a: 0 for a in axes if a not in swept[:2]}
    da = da.isel({a: i for a, i in fixed.items() if a in da.dims})
    converged = None if converged is None else converged.isel(fixed)
    reason = None if reason is None else reason.isel(fixed)
    swept = swept[:2]
    norm = da if "component" not in da.dims else ((da**2).sum("component", skipna=False)) ** 0.5
    what = _VARIABLE_LABELS.get(variable, variable)
    what = f"|{what}|" if "component" in da.dims else what
    factor, unit = _scaled(np.asarray(norm.values, dtype=float), da.attrs.get("units", ""))
    da, norm = da * factor, norm * factor
    fig, ax = figure(figsize=(6.4, 4.4))
    if len(swept) == 2 and min(ds.sizes[a] for a in swept) <= 5:
        x_axis, c_axis = sorted(swept, key=lambda a: -ds.sizes[a])
        for c in ds[c_axis].values:
            y = norm.sel({c_axis: c}).transpose(x_axis).values
            (line,) = ax.plot(
                ds[x_axis].values,
                y,
                marker=".",
                label=f"{axis_label(ds, c_axis, unit=False)} = {c:g} {_axis_unit(ds, c_axis)}",
            )
            if converged is not None:
                bad = converged.sel({c_axis: c}).transpose(x_axis).values == 0
                ax.plot(ds[x_axis].values[bad], y[bad], "x", color=line.get_color(), ms=8)
        ax.set_xlabel(axis_label(ds, x_axis))
        ax.set_ylabel(f"{what} ({unit})")
        ax.legend(fontsize=8)
        _clip(ax, ds[x_axis].values)
    elif len(swept) <= 1:
        x = ds[swept[0]].values if swept else np.array([0.0])
        if "component" in da.dims:
            for c in COMPONENTS:
                y = da.sel(component=c).values.reshape(-1)
                if np.nanmax(np.abs(y), initial=0) > 0:
                    ax.plot(x, y, marker=".", label=c)
        ax.plot(x, norm.values.reshape(-1), "k-", lw=1.5, label="norm")
        if converged is not None:
            bad = converged.values.reshape(-1) == 0
            ax.plot(x[bad], norm.values.reshape(-1)[bad], "rx", ms=8, label="not converged")
        ax.set_xlabel(axis_label(ds, swept[0]) if swept else "")
        ax.set_ylabel(f"{_VARIABLE_LABELS.get(variable, variable)} ({unit})")
        ax.legend(fontsize=8)
        if swept:
            _clip(ax, x)
    else:
        xa, ya = swept
        z = norm.transpose(ya, xa).values
        mesh = ax.pcolormesh(ds[xa].values, ds[ya].values, z, shading="nearest")
        fig.colorbar(mesh, ax=ax, label=f"{what} ({unit})")
        if converged is not None:
            bad = converged.transpose(ya, xa).values == 0
            X, Y = np.meshgrid(ds[xa].values, ds[ya].values)
            ax.plot(X[bad], Y[bad], "rx", ms=4, label="not converged")
            if bad.any():
                ax.legend(fontsize=8, loc="upper right")
        ax.set_xlabel(axis_label(ds, xa))
        ax.set_ylabel(axis_label(ds, ya))
        _clip(ax, ds[xa].values, ds[ya].values)
    title = f"{what}, {method}" + (
        f" ({', '.join(f'{axis_label(ds, a, unit=False)} = {float(ds[a][0]):g}' for a in fixed if ds.sizes[a] > 1)})"
        if any(ds.sizes[a] > 1 for a in fixed)
        else ""
    )
    blank = _blank_reasons(norm, reason, variable)
    if blank:
        title += "\nblank: " + blank
    ax.set_title(title, fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=150)
    return Path(path)


#: How the sweep variables are named on a figure.
_VARIABLE_LABELS = {
    "M_dc": "M_dc",
    "M_ac_amplitude": "M_ac (2eV amplitude)",
    "M_ac_phase": "arg m_1",
    "spin_current_ac_amplitude": "I_s,ac (2eV amplitude)",
    "spin_current_dc": "I_s,dc",
    "M_harmonics_amplitude": "M_ac harmonic amplitude",
    "gap_left_meV": "Delta_L",
    "gap_right_meV": "Delta_R",
}

#: Physics symbols of the sweepable config fields (the last part of the path) and their unit.
_SYMBOLS = {
    "bias_mV": ("V", "mV"),
    "temperature_K": ("T", "K"),
    "phi0_rad": ("phi_0", "rad"),
    "normal_resistance_ohm": ("R_n", "Ohm"),
    "volume_nm3": ("V_0", "nm^3"),
    "spin_relaxation_time_ns": ("tau_s", "ns"),
    "gap_meV": ("Delta", "meV"),
    "gap_zero_meV": ("Delta(0)", "meV"),
    "critical_temperature_K": ("T_c", "K"),
    "kso_d": ("k_so d", "rad"),
    "b": ("b = m* B_y / k_F^2", ""),
    "kf_over_kso": ("k_F / k_so", ""),
    "theta_rad": ("theta", "rad"),
    "broadening_meV": ("Gamma (Dynes)", "meV"),
}


def _axis_unit(ds, dim) -> str:
    path = ds[dim].attrs.get("config_path", dim)
    return _SYMBOLS.get(path.split(".")[-1], (None, ds[dim].attrs.get("units", "")))[1]


def axis_label(ds, dim, unit=True) -> str:
    """The physics symbol of a sweep axis (a dimension of ``ds``), with its unit
    (``"V (mV)"``, ``"Delta_L (meV)"``)."""
    path = ds[dim].attrs.get("config_path", dim)
    parts = path.split(".")
    symbol = _SYMBOLS.get(parts[-1], (path, ""))[0]
    if len(parts) == 3 and parts[1] in ("left", "right"):
        symbol += "_" + parts[1][0].upper()
    u = _axis_unit(ds, dim)
    return symbol if not unit or not u else f"{symbol} ({u})"


def _clip(ax, x, y=None) -> None:
    """Axis limits at the data (no cell or margin beyond the first and last value)."""
    if len(x) > 1:
        ax.set_xlim(np.min(x), np.max(x))
    if y is not None and len(y) > 1:
        ax.set_ylim(np.min(y), np.max(y))


def _quantity_of(variable: str) -> str:
    for q, prefixes in (
        ("M_dc", ("M_dc",)),
        ("spin_current_dc", ("spin_current_dc",)),
        ("M_harmonics", ("M_harmonics",)),
    ):
        if variable.startswith(prefixes):
            return q
    return "M_ac"


def _blank_reasons(norm, reason, variable) -> str:
    """'code (n points), ...' for the NaN points of the drawn variable (its quantity's codes)."""
    if reason is None:
        return ""
    nan = np.isnan(np.asarray(norm.values, dtype=float))
    if not nan.any():
        return ""
    codes = reason.sel(quantity=_quantity_of(variable)).transpose(*norm.dims).values
    counted: dict[str, int] = {}
    for code in np.atleast_1d(codes[nan]):
        code = str(code) or "no value"
        counted[code] = counted.get(code, 0) + 1
    return ", ".join(f"{c} ({n} points)" for c, n in sorted(counted.items(), key=lambda kv: -kv[1]))
