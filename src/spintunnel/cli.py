"""The ``spintunnel`` command.

``spintunnel run [CONFIG.toml]`` is the main job: the junction of the config (or the
built-in default, printed at the top), its observables by every configured method side by
side, and an output folder with results.json, the time trace as NetCDF, and figures.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import os
import sys
import warnings
from pathlib import Path

import click

from . import __version__


@click.group()
@click.version_option(__version__, prog_name="spintunnel")
def main() -> None:
    """spintunnel: magnetization of superconductors by spin-dependent tunnelling."""


@main.command()
@click.argument("config", required=False, type=click.Path(dir_okay=False))
@click.option("--print-default-config", is_flag=True, help="Print the built-in default config (TOML) and exit.")
@click.option("--json", "as_json", is_flag=True, help="Print the results as one JSON object instead of the table.")
@click.option(
    "--out", "out_dir", type=click.Path(), default=None, help="Output folder (default: spintunnel-run-<timestamp>)."
)
@click.option(
    "--methods",
    "method_list",
    default=None,
    metavar="A,B,...",
    help="Methods to compute, comma separated (overrides the config); shows them side by side.",
)
@click.option("--compare", is_flag=True, help="Also show every computed method side by side.")
@click.option("--pdf", is_flag=True, help="Also write the figures as PDF.")
@click.option("--quiet", is_flag=True, help="No progress output on stderr.")
def run(config, print_default_config, as_json, out_dir, method_list, compare, pdf, quiet) -> None:
    """Run the main job on CONFIG (TOML), or on the built-in default junction.

    The table leads with the recommended answer per quantity (value, error, method); the
    methods are those of the config's [methods] table (or --methods).
    """
    from .config import DEFAULT_CONFIG_TOML, parse_config, with_methods

    if print_default_config:
        click.echo(DEFAULT_CONFIG_TOML, nl=False)
        return
    if config is None:
        text = DEFAULT_CONFIG_TOML
    else:
        try:
            text = Path(config).read_text()
        except (OSError, UnicodeDecodeError) as exc:
            _fail(f"cannot read config {config}: {exc}")
    from .junction import junction_from_config

    try:
        cfg = parse_config(text)
        if method_list is not None:
            cfg = with_methods(cfg, [m.strip() for m in method_list.split(",") if m.strip()])
        junction_from_config(cfg)  # the junction itself (e.g. an R_n no point contact reaches), before any work
    except ValueError as exc:  # ConfigError is a ValueError
        _fail(f"{config or 'default config'}: {exc}")
    out = Path(out_dir) if out_dir else Path(f"spintunnel-run-{datetime.datetime.now():%Y%m%d-%H%M%S}")
    _check_writable_folder(out)

    from . import report

    if not as_json:
        click.echo("# spintunnel run: configuration (copy and edit; `spintunnel run --print-default-config > my.toml`)")
        click.echo(
            "".join(("#" + line if line.startswith("#") else "# " + line).rstrip() + "\n" for line in text.splitlines())
        )
    from .progress import Progress

    with _shown_warnings(), Progress(report.work(cfg), "spintunnel run", quiet=quiet) as progress:
        computed = report.compute(cfg, progress=progress)
        sweep = report.bias_sweep(cfg, computed["junction"], progress=progress)
    written = report.write_outputs(out, cfg, computed, sweep, text, pdf=pdf or cfg.output.pdf)
    if as_json:
        click.echo(json.dumps(computed["summary"], indent=2))
    else:
        click.echo(report.format_table(computed["summary"], compare=compare or method_list is not None))
        click.echo("")
        click.echo(f"wrote {len(written)} files to {out}/: " + ", ".join(p.name for p in written))


def _fail(message: str, code: int = 2):
    """One line on stderr, exit ``code`` (2: bad input)."""
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


def _check_writable_folder(out: Path) -> None:
    """Refuse an output folder that cannot be created or written, before any work: the
    nearest existing ancestor must be a folder in which a folder can be made (tried, and
    removed again; nothing is left behind)."""
    import tempfile

    probe = out
    while not probe.exists() and probe.parent != probe:
        probe = probe.parent
    if out.exists() and not out.is_dir():
        _fail(f"--out {out}: a file of that name exists")
    if not probe.is_dir():
        _fail(f"--out {out}: {probe} is a file, not a folder")
    try:
        os.rmdir(tempfile.mkdtemp(prefix=".spintunnel-probe-", dir=probe))
    except OSError as exc:
        _fail(f"--out {out}: cannot write in {probe} ({exc.strerror or exc})")


@contextlib.contextmanager
def _shown_warnings():
    """Show every warning raised inside as one 'warning: ...' line on stderr (no source line)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            yield
        finally:
            seen = set()
            for w in caught:
                line = f"warning: {w.message}"
                if line not in seen:
                    seen.add(line)
                    click.echo(line, err=True)


@main.command()
@click.option("--quiet", is_flag=True, help="No progress output on stderr.")
def validate(quiet) -> None:
    """Re-check the package's physics statements at a small size: a PASS/FAIL table.

    Exact finite-model evolution, exact discrete second order, the paper's printed formulas
    on the same levels, the continuum second order and the all-orders solver, against each
    other. Exit code 1 if any check fails.
    """
    from . import validate as _validate

    def progress(name):
        if not quiet:
            click.echo(f"  running {name} ...", err=True)

    table, ok = _validate.main(progress)
    click.echo(table)
    sys.exit(0 if ok else 1)


@main.command()
@click.argument("config", type=click.Path(dir_okay=False, exists=True))
@click.option(
    "--out",
    "output",
    type=click.Path(dir_okay=False),
    default=None,
    help="NetCDF result (default: CONFIG with suffix .nc). Chunks go to OUT.parts/ until the merge.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=0),
    default=None,
    help="Worker processes of a local dask cluster (default: one per CPU; 0: serial, no dask).",
)
@click.option(
    "--scheduler", default=None, help="Address of an existing dask.distributed scheduler (e.g. tcp://host:8786)."
)
@click.option("--restart", is_flag=True, help="Discard finished chunks of an earlier run of this sweep.")
@click.option("--keep-parts", is_flag=True, help="Keep the per-chunk files after the merge.")
@click.option(
    "--max-points",
    type=click.IntRange(min=1),
    default=1_000_000,
    show_default=True,
    help="Refuse a larger grid (raise it to run one).",
)
@click.option("--quiet", is_flag=True, help="No progress or summary on stderr (warnings are still shown).")
def sweep(config, output, workers, scheduler, restart, keep_parts, max_points, quiet) -> None:
    """Sweep the junction over the axes of CONFIG's [sweep] table; write an xarray NetCDF.

    Before any work: the grid size against --max-points, and the time from a measured cost
    per point.  Resumable: after an interruption (Ctrl-C, SIGTERM, a kill) run the same
    command again to continue where it stopped.
    """
    from . import sweep as _sweep

    try:
        spec = _sweep.load_sweep(config)
    except _sweep.SweepConfigError as exc:
        _fail(f"{config}: {exc}")
    out = Path(output) if output else Path(config).with_suffix(".nc")
    _check_writable_folder(out.parent)
    axes = ", ".join(f"{_sweep.dim_name(n)} ({len(v)})" for n, v in spec.axes)
    if spec.size > max_points:
        _fail(
            f"{config}: the grid has {spec.size:,} points ({axes}), more than --max-points {max_points:,}; "
            "raise --max-points to run it (the time estimate comes after)"
        )
    n_workers = 1 if workers == 0 else (workers or os.cpu_count() or 1)
    per_point = _sweep.seconds_per_point(spec)
    n_chunks = len(spec.chunks())
    if not quiet:
        where = "an existing cluster" if scheduler else f"{n_workers} worker{'s' if n_workers > 1 else ''}"
        click.echo(
            f"sweep: {spec.size:,} points over {axes}; methods {', '.join(spec.methods)}; {n_chunks} chunks; "
            f"measured {per_point:.3g} s per point: about {_duration(spec.size * per_point / n_workers)} on {where}",
            err=True,
        )
    from .progress import Progress

    summaries: list = []
    try:
        with _interruptible(), _shown_warnings(), Progress(n_chunks, "sweep (chunks)", quiet=quiet) as progress:
            _sweep.run_sweep(
                spec,
                out,
                workers=workers,
                scheduler=scheduler,
                restart=restart,
                keep_parts=keep_parts,
                progress=progress.advance,
                summary=summaries.append,
            )
    except _sweep.SweepConfigError as exc:
        _fail(str(exc))
    except KeyboardInterrupt:
        _fail("interrupted; run the same command again to resume", code=130)
    if not quiet:
        click.echo(f"done: {summaries[0]}", err=True)
    click.echo(f"wrote {out}")


def _duration(seconds: float) -> str:
    from .progress import _duration as duration

    return duration(seconds)


@contextlib.contextmanager
def _interruptible():
    """SIGTERM behaves as Ctrl-C (KeyboardInterrupt), so that the cluster and its workers are
    closed by the same clean path; the previous handler is restored after."""
    import signal

    def terminate(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@main.command()
@click.argument("result", type=click.Path(dir_okay=False, exists=True))
@click.option(
    "--out",
    "output",
    type=click.Path(dir_okay=False),
    default=None,
    help="Figure file (default: RESULT with suffix .png).",
)
@click.option("--variable", default=None, help="Variable to draw (default: M_ac_amplitude).")
@click.option("--method", default=None, help="Method to draw (default: recommended, else the first in the file).")
def plot(result, output, variable, method) -> None:
    """Draw a sweep result: a 1D sweep as curves, a 2D sweep as a map (units on the axes)."""
    import xarray as xr

    from .sweep import plot_sweep

    out = Path(output) if output else Path(result).with_suffix(".png")
    with xr.open_dataset(result, engine="scipy") as ds:
        try:
            plot_sweep(ds, out, variable=variable, method=method)
        except ValueError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(2)
    click.echo(f"wrote {out}")


@main.command()
@click.option(
    "--write",
    "write_path",
    type=click.Path(dir_okay=False),
    default="docs/reproduction.md",
    show_default=True,
    help="Where to write the table as Markdown (the repository keeps it there).",
)
@click.option("--no-write", is_flag=True, help="Only print the table.")
def reproduce(write_path, no_write) -> None:
    """Every checkable claim of the paper, computed now, with a verdict: printed, and written as Markdown."""
    from . import reproduce as _reproduce

    with _shown_warnings():
        items = _reproduce.claims()
    text = _reproduce.markdown(items)
    click.echo(text, nl=False)
    if not no_write:
        Path(write_path).parent.mkdir(parents=True, exist_ok=True)
        Path(write_path).write_text(text)
        click.echo(f"wrote {write_path}", err=True)


@main.command()
@click.argument("data", type=click.Path(dir_okay=False))
@click.option("--temperature-K", "temperature_K", type=float, required=True, help="Temperature of the measurement, K.")
@click.option(
    "--channels",
    type=click.IntRange(1, 8),
    default=None,
    help="Number of channels N (default: N = 1..--max-channels, chosen by the Bayesian information criterion).",
)
@click.option("--max-channels", type=click.IntRange(1, 8), default=4, show_default=True)
@click.option("--gap-meV", "gap_meV", type=float, default=None, help="Gap Delta in meV, fixed (default: fitted).")
@click.option(
    "--tc-K", "tc_K", type=float, default=None, help="T_c in K: Delta(T) of BCS, Delta(0) = 1.764 k_B T_c, fixed."
)
@click.option(
    "--broadening-meV",
    "broadening_meV",
    default="0",
    show_default=True,
    metavar="G or G1,G2,...",
    help="Dynes broadening of both leads, meV; a list is scanned (one table each) and the best kept.",
)
@click.option(
    "--series-resistance-ohm", type=float, default=0.0, show_default=True, help="Series resistance R_s, Ohm, fixed."
)
@click.option("--fit-series-resistance", is_flag=True, help="Fit the series resistance (0 .. 0.2 R_n).")
@click.option(
    "--min-bias-over-gap", type=float, default=0.2, show_default=True, help="Points below this eV/Delta are not fitted."
)
@click.option(
    "--bootstrap",
    type=click.IntRange(0, 10000),
    default=0,
    help="Residual-bootstrap refits for a second error estimate.",
)
@click.option(
    "--link",
    "link_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="A TOML file with a [link] table (as in a run config): predict the spin response of the fitted contact.",
)
@click.option(
    "--predict-bias-mV",
    "predict_bias",
    default=None,
    metavar="V1,V2,...",
    help="Junction biases (mV) of the prediction (default: --predict-points of the fitted biases).",
)
@click.option("--predict-points", type=click.IntRange(1, 1000), default=8, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the result as one JSON object instead of the table.")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False),
    default=None,
    help="Write fit.json, fit.png and run_config.toml (the fitted junction, for `spintunnel run`) here.",
)
@click.option(
    "--workers", type=click.IntRange(1, 64), default=1, show_default=True, help="Processes that build the table."
)
@click.option(
    "--coarse-table",
    is_flag=True,
    help="A coarse table of the single-channel current (about 2.5x fewer "
    "solver calls; interpolation errors up to 2e-3 of a channel's current below the gap, 1e-2 just above "
    "2 Delta; docs/fit.md).",
)
def fit(
    data,
    temperature_K,
    channels,
    max_channels,
    gap_meV,
    tc_K,
    broadening_meV,
    series_resistance_ohm,
    fit_series_resistance,
    min_bias_over_gap,
    bootstrap,
    link_path,
    predict_bias,
    predict_points,
    as_json,
    out_dir,
    workers,
    coarse_table,
) -> None:
    """Fit the channel transmissions of a point contact to its measured I-V (DATA: CSV with a header
    such as bias_mV,current_nA), and with --link predict its spin response (docs/fit.md).

    Bad data or options: one error line, exit 2, nothing written.
    """
    from .config import ConfigError
    from .fit import DataError, fit_iv, read_iv_csv
    from .fit.forward import COARSE
    from .fit.predict import load_link, predict, run_config_toml

    try:
        iv = read_iv_csv(data)
        link, relation = load_link(link_path) if link_path else (None, "standard")
        biases = None
        if predict_bias is not None:
            if link is None:
                raise ValueError("--predict-bias-mV needs --link (the spin structure of the channels)")
            biases = [float(x) for x in predict_bias.split(",") if x.strip()]
            if not biases or any(not (b > 0 and b == b and b != float("inf")) for b in biases):
                raise ValueError(f"--predict-bias-mV must be positive biases in mV, got {predict_bias!r}")
        if gap_meV is not None and tc_K is not None:
            raise ValueError("give --gap-meV or --tc-K, not both")
        try:
            broadening = [float(x) for x in broadening_meV.split(",") if x.strip()]
        except ValueError:
            raise ValueError(f"--broadening-meV must be numbers in meV, got {broadening_meV!r}") from None
        if not broadening or any(not (g >= 0 and g != float("inf")) for g in broadening):
            raise ValueError(f"--broadening-meV must be numbers >= 0 in meV, got {broadening_meV!r}")
    except (DataError, ConfigError, ValueError) as exc:
        _fail(str(exc))
    if out_dir is not None:
        _check_writable_folder(Path(out_dir))
    try:
        with _shown_warnings():
            result = fit_iv(
                iv,
                temperature_K=temperature_K,
                channels=channels,
                max_channels=max_channels,
                gap_meV=gap_meV,
                tc_K=tc_K,
                broadening_meV=broadening if len(broadening) > 1 else broadening[0],
                fit_series_resistance=fit_series_resistance,
                series_resistance_ohm=series_resistance_ohm,
                min_bias_over_gap=min_bias_over_gap,
                bootstrap=bootstrap,
                workers=workers,
                table_options=COARSE if coarse_table else None,
            )
            prediction = None
            if link is not None:
                prediction = predict(result, link, relation, biases, n_points=predict_points)
    except (DataError, ValueError) as exc:
        _fail(str(exc))
    summary = result.to_dict()
    if prediction is not None:
        summary["prediction"] = prediction
    for line in result.warnings:
        click.echo(f"warning: {line}", err=True)
    written = []
    if out_dir is not None or not as_json:
        from .fit.plot import fit_figure

        folder = Path(out_dir) if out_dir is not None else Path(".")
        folder.mkdir(parents=True, exist_ok=True)
        stem = "fit" if out_dir is not None else f"{Path(data).stem}_fit"
        written.append(fit_figure(result, folder / f"{stem}.png"))
        if out_dir is not None:
            (folder / "fit.json").write_text(json.dumps(summary, indent=2))
            (folder / "run_config.toml").write_text(
                run_config_toml(result, link, relation, biases[0] if biases else None)
            )
            written += [folder / "fit.json", folder / "run_config.toml"]
    if as_json:
        click.echo(json.dumps(summary, indent=2))
        return
    click.echo(_fit_table(summary))
    click.echo(f"wrote {', '.join(str(p) for p in written)}")


def _fit_table(s: dict) -> str:
    """The fit (and prediction) as readable lines."""
    lines = [
        f"fit of {s['data']['source']}: {s['points_fitted']} points ({s['points_excluded_below_min_bias']} below the "
        f"lowest fitted bias left out); {s['n_channels']} channels ({s['criterion']['channels_chosen_by']}"
        + (
            ", "
            + ", ".join(f"N={k}: {v:.1f}" for k, v in s["criterion"]["values"].items())
            + f" [{s['criterion']['name']}]"
            if s["criterion"]["channels_chosen_by"] == "criterion"
            else ""
        )
        + ")"
    ]
    for note in s["data"]["notes"]:
        lines.append(f"  data: {note}")
    for i, (t, e) in enumerate(zip(s["transmissions"], s["transmission_errors"], strict=False)):
        boot = s["transmission_bootstrap_errors"]
        lines.append(f"  tau_{i + 1} = {t:.4f} +- {e:.4f}" + (f" (bootstrap +- {boot[i]:.4f})" if boot else ""))
    gap_err = f" +- {s['gap_error_meV']:.3g}" if s["gap_source"] == "fitted" else ""
    lines += [
        f"  Delta = {s['gap_meV']:.5g}{gap_err} meV ({s['gap_source']}), T = {s['temperature_K']:g} K, "
        f"Dynes {s['broadening_meV']:g}"
        + (f" +- {s['broadening_error_meV']:.2g}" if s["broadening_error_meV"] else "")
        + (" (best of " + ", ".join(s["broadening_scan"]) + ")" if s["broadening_scan"] else "")
        + f" meV, R_s = {s['series_resistance_ohm']:.4g} Ohm",
        f"  R_n = pi R_Q / Sum tau = {s['normal_resistance_ohm']:.6g} +- {s['normal_resistance_error_ohm']:.3g} Ohm",
        f"  chi^2 = {s['chi2']:.4g} for {s['dof']} degrees of freedom (noise: {s['noise']}), residual RMS = "
        f"{s['residual_rms_nA']:.4g} nA",
        "  ill-conditioned: " + ("YES (see the warnings)" if s["ill_conditioned"] else "no"),
    ]
    for entry in s.get("prediction", []):
        measured, model = entry["measured_current_nA"], entry["fit_model_current_nA"]
        lines.append(
            f"prediction at V = {entry['bias_mV']:.5g} mV (junction bias; fit's I = "
            + ("-" if model is None else f"{model:.5g}")
            + " nA"
            + ("" if measured is None else f", measured I = {measured:.5g} nA")
            + "):"
        )
        for q, e in entry.items():
            if not isinstance(e, dict):
                continue
            if e["value"] is None:
                lines.append(f"  {q:40s} not given ({e['note']})")
                continue
            val = ", ".join(f"{x:+.4e}" for x in e["value"])
            sig = "n/a" if e["fit_sigma"] is None else ", ".join(f"{x:.2e}" for x in e["fit_sigma"])
            err = "n/a" if e["error"] is None else f"{e['error']:.1e}"
            lines.append(f"  {q:40s} ({val})  fit +- ({sig})  method error {err}  [{e['method']}]")
        for key in ("B_dc_mT", "B_ac_mT"):
            if entry[key] is not None:
                lines.append(f"  {key:40s} {entry[key]:.4e}")
    return "\n".join(lines)
