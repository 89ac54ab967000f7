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
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default=None, help="Output folder (default: spintunnel-run-<timestamp>).")
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
    n_methods = len(cfg.methods.methods)
    with _shown_warnings(), _progress(2 * n_methods, "spintunnel run", quiet) as bar:
        computed = report.compute(cfg, progress=bar.update)
        sweep = report.bias_sweep(cfg, computed["junction"], progress=bar.update)
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
    """Refuse an output folder that cannot be created or written, before any work."""
    probe = out
    while not probe.exists():
        if probe.parent == probe:
            break
        probe = probe.parent
    if probe.exists() and not probe.is_dir():
        _fail(f"--out {out}: {probe} is a file, not a folder")
    if not os.access(probe, os.W_OK | os.X_OK):
        _fail(f"--out {out}: {probe} is not writable")


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


def _progress(length: int, label: str, quiet: bool):
    return click.progressbar(length=length, label=label, file=open(os.devnull, "w") if quiet else sys.stderr)


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
@click.option("--quiet", is_flag=True, help="No progress bar or summary on stderr.")
def sweep(config, output, workers, scheduler, restart, keep_parts, quiet) -> None:
    """Sweep the junction over the axes of CONFIG's [sweep] table; write an xarray NetCDF.

    Resumable: re-run the same command after an interruption to continue where it stopped.
    """
    from . import sweep as _sweep

    try:
        spec = _sweep.load_sweep(config)
    except _sweep.SweepConfigError as exc:
        click.echo(f"error: {config}: {exc}", err=True)
        sys.exit(2)
    out = Path(output) if output else Path(config).with_suffix(".nc")
    n_chunks = len(spec.chunks())
    if not quiet:
        axes = ", ".join(f"{n} ({len(v)})" for n, v in spec.axes)
        click.echo(f"sweep: {spec.size} points over {axes}; methods {', '.join(spec.methods)}; {n_chunks} chunks", err=True)
    summaries = []
    try:
        with _shown_warnings(), _progress(n_chunks, "chunks", quiet) as bar:  # warnings shown also with --quiet
            _sweep.run_sweep(spec, out, workers=workers, scheduler=scheduler, restart=restart,
                             keep_parts=keep_parts, progress=bar.update, summary=summaries.append)
    except _sweep.SweepConfigError as exc:
        _fail(str(exc))
    if not quiet:
        click.echo(f"done: {summaries[0]}", err=True)
    click.echo(f"wrote {out}")


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
