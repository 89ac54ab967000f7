"""The ``spintunnel`` command.

``spintunnel run`` is the main job. Until the Junction (physical units, kernels and
methods side by side) lands, it prints the spin structure of the built-in default link:
the dc and ac spin factors (Eq. S39, S23) under both time-reversal relations.
"""

from __future__ import annotations

import click
import numpy as np

from . import __version__
from .links import bent_two_segment, model_pair, straight_rashba_zeeman
from .spin import CONVENTIONS
from .spin_factors import spin_factor_ac, spin_factor_dc

#: The built-in default link: straight Rashba + Zeeman link (Eq. 11) with a field a laboratory
#: can apply (b = m* B_y / k_F^2 ~ Zeeman energy / (2 E_F) ~ 3e-3 for 1 T and E_F = 10 meV).
DEFAULT_LINK = {"model": "straight_rashba_zeeman", "kso_d": 1.0, "b": 3.0e-3, "kf_over_kso": 3.0}


def _vec(v: np.ndarray) -> str:
    return "(" + ", ".join(f"{c.real:+.6e}" + (f"{c.imag:+.2e}j" if abs(c.imag) > 1e-15 else "") for c in v) + ")"


@click.group()
@click.version_option(__version__, prog_name="spintunnel")
def main() -> None:
    """spintunnel: magnetization of superconductors by spin-dependent tunnelling."""


@main.command()
def run() -> None:
    """Run the main job on the built-in default link: print its spin factors."""
    params = {k: v for k, v in DEFAULT_LINK.items() if k != "model"}
    click.echo("spintunnel run: spin factors of the default link (units |J0|^2)")
    click.echo(f"link: straight Rashba + Zeeman (Eq. 11, S45) {params}")
    for conv in CONVENTIONS:
        J, Jbar = model_pair(straight_rashba_zeeman, convention=conv, **params)
        click.echo(f"  {conv:8s} Y (dc, S39) = {_vec(spin_factor_dc(J, Jbar))}")
        click.echo(f"  {conv:8s} X (ac, S23) = {_vec(spin_factor_ac(J, Jbar))}")
    click.echo("link: bent two-segment, Rashba field along z (S26), kso_d=1.0, theta=0.5")
    for conv in CONVENTIONS:
        J, Jbar = model_pair(bent_two_segment, convention=conv, kso_d=1.0, theta=0.5, field="z")
        click.echo(f"  {conv:8s} Y (dc, S39) = {_vec(spin_factor_dc(J, Jbar))}")
        click.echo(f"  {conv:8s} X (ac, S23) = {_vec(spin_factor_ac(J, Jbar))}")
    click.echo(
        "note: under the standard time reversal (Theta = i sigma_y K) the dc factors of both "
        "links and the ac factor of the bent link vanish; the straight link keeps an ac factor "
        "4i b sqrt(1+(k_F/k_so)^2) sin(k_so d) (sin, cos, 0) because its printed amplitude (S45) "
        "is not its own time-reversed partner. Summed over all momenta (Eq. 4) the printed "
        "formulas cancel pairwise in any case. See docs/spin_factors.md."
    )
