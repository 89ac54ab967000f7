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
@click.option("--out", "out_dir", type=click.Path(), default=None, help="Output folder (default: spintunnel-run-<timestamp>).")
@click.option("--methods", "method_list", default=None, metavar="A,B,...",
              help="Methods to compute, comma separated (overrides the config); shows them side by side.")
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
        click.echo("".join(("#" + line if line.startswith("#") else "# " + line).rstrip() + "\n" for line in text.splitlines()))
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
@click.option("--out", "output", type=click.Path(dir_okay=False), default=None, help="NetCDF result (default: CONFIG with suffix .nc). Chunks go to OUT.parts/ until the merge.")
@click.option("--workers", type=click.IntRange(min=0), default=None, help="Worker processes of a local dask cluster (default: one per CPU; 0: serial, no dask).")
@click.option("--scheduler", default=None, help="Address of an existing dask.distributed scheduler (e.g. tcp://host:8786).")
@click.option("--restart", is_flag=True, help="Discard finished chunks of an earlier run of this sweep.")
@click.option("--keep-parts", is_flag=True, help="Keep the per-chunk files after the merge.")
@click.option("--max-points", type=click.IntRange(min=1), default=1_000_000, show_default=True,
              help="Refuse a larger grid (raise it to run one).")
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
        _fail(f"{config}: the grid has {spec.size:,} points ({axes}), more than --max-points {max_points:,}; "
              "raise --max-points to run it (the time estimate comes after)")
    n_workers = 1 if workers == 0 else (workers or os.cpu_count() or 1)
    per_point = _sweep.seconds_per_point(spec)
    n_chunks = len(spec.chunks())
    if not quiet:
        where = "an existing cluster" if scheduler else f"{n_workers} worker{'s' if n_workers > 1 else ''}"
        click.echo(f"sweep: {spec.size:,} points over {axes}; methods {', '.join(spec.methods)}; {n_chunks} chunks; "
                   f"measured {per_point:.3g} s per point: about {_duration(spec.size * per_point / n_workers)} on {where}",
                   err=True)
    from .progress import Progress

    summaries = []
    try:
        with _interruptible(), _shown_warnings(), Progress(n_chunks, "sweep (chunks)", quiet=quiet) as progress:
            _sweep.run_sweep(spec, out, workers=workers, scheduler=scheduler, restart=restart,
                             keep_parts=keep_parts, progress=progress.advance, summary=summaries.append)
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
@click.option("--out", "output", type=click.Path(dir_okay=False), default=None, help="Figure file (default: RESULT with suffix .png).")
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
@click.option("--write", "write_path", type=click.Path(dir_okay=False), default="docs/reproduction.md", show_default=True,
              help="Where to write the table as Markdown (the repository keeps it there).")
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
