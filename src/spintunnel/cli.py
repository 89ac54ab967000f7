"""The ``spintunnel`` command.

``spintunnel run [CONFIG.toml]`` is the main job: the junction of the config (or the
built-in default, printed at the top), its observables by every configured method side by
side, and an output folder with results.json, the time trace as NetCDF, and figures.
"""

from __future__ import annotations

import datetime
import json
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
@click.option("--pdf", is_flag=True, help="Also write the figures as PDF.")
@click.option("--quiet", is_flag=True, help="No progress output on stderr.")
def run(config, print_default_config, as_json, out_dir, pdf, quiet) -> None:
    """Run the main job on CONFIG (TOML), or on the built-in default junction."""
    from .config import DEFAULT_CONFIG_TOML, ConfigError, parse_config

    if print_default_config:
        click.echo(DEFAULT_CONFIG_TOML, nl=False)
        return
    if config is None:
        text = DEFAULT_CONFIG_TOML
    else:
        try:
            text = Path(config).read_text()
        except (OSError, UnicodeDecodeError) as exc:
            click.echo(f"error: cannot read config {config}: {exc}", err=True)
            sys.exit(2)
    try:
        cfg = parse_config(text)
    except ConfigError as exc:
        click.echo(f"error: {config or 'default config'}: {exc}", err=True)
        sys.exit(2)

    from . import report

    if not as_json:
        click.echo("# spintunnel run: configuration (copy and edit; `spintunnel run --print-default-config > my.toml`)")
        click.echo("".join("# " + line + "\n" for line in text.splitlines()))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # numerical warnings; regime warnings are in the table
            n_methods = len(cfg.methods.methods)
            with click.progressbar(length=n_methods * (1 + cfg.output.sweep_points), label="spintunnel run", file=sys.stderr if not quiet else open("/dev/null", "w")) as bar:
                computed = report.compute(cfg, progress=bar.update)
                sweep = report.bias_sweep(cfg, computed["junction"], progress=bar.update)
    except ValueError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    out = Path(out_dir) if out_dir else Path(f"spintunnel-run-{datetime.datetime.now():%Y%m%d-%H%M%S}")
    written = report.write_outputs(out, cfg, computed, sweep, text, pdf=pdf or cfg.output.pdf)
    if as_json:
        click.echo(json.dumps(computed["summary"], indent=2))
    else:
        click.echo(report.format_table(computed["summary"]))
        click.echo("")
        click.echo(f"wrote {len(written)} files to {out}/: " + ", ".join(p.name for p in written))


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
