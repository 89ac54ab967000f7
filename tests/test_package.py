"""The package as installed: one version source, a light import (nothing heavy until it is
used), and figures that leave the caller's matplotlib backend alone.  Import times are
measured in benchmarks/bench_import.py, not here."""

import importlib.metadata
import json
import subprocess
import sys

from click.testing import CliRunner

import spintunnel
from spintunnel.cli import main

HEAVY = ("dask", "distributed", "xarray", "matplotlib", "numba")


def _modules_after(code: str) -> set[str]:
    """Top-level modules loaded in a fresh interpreter after running ``code``."""
    out = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport sys, json; print(json.dumps(sorted(sys.modules)))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return {name.split(".")[0] for name in json.loads(out.splitlines()[-1])}


def test_import_loads_no_heavy_module():
    loaded = _modules_after("import spintunnel")
    assert not loaded & {*HEAVY, "scipy", "numpy"}, loaded & {*HEAVY, "scipy", "numpy"}


def test_command_line_help_loads_no_heavy_module():
    loaded = _modules_after("import spintunnel.cli")
    assert not loaded & {*HEAVY, "scipy", "numpy"}, loaded & {*HEAVY, "scipy", "numpy"}


def test_model_and_methods_load_no_parallel_plotting_or_compiler_module():
    """The solvers behind the model import dask, xarray, matplotlib and numba only where used."""
    loaded = _modules_after(
        "import spintunnel as st; st.Junction, st.floquet, st.exact, st.second_order, "
        "st.methods.names(), st.report, st.sweep, st.config"
    )
    assert not loaded & set(HEAVY), loaded & set(HEAVY)


def test_names_are_loaded_on_first_use():
    assert spintunnel.Junction.__module__ == "spintunnel.junction"
    assert spintunnel.floquet.floquet_currents.__module__ == "spintunnel.floquet.solver"
    assert {"Junction", "floquet", "methods", "sweep"} <= set(dir(spintunnel))
    try:
        spintunnel.no_such_name  # noqa: B018
    except AttributeError as exc:
        assert "no_such_name" in str(exc)
    else:
        raise AssertionError("an unknown attribute must raise AttributeError")


def test_one_version_source():
    assert spintunnel.__version__ == importlib.metadata.version("spintunnel")
    res = CliRunner().invoke(main, ["--version"])
    assert res.exit_code == 0 and spintunnel.__version__ in res.output


def test_writing_figures_keeps_the_callers_backend():
    """plotting and sweep figures are drawn without pyplot: the backend a user chose (here
    'pdf', as a notebook would choose its inline one) stays, and pyplot is never imported."""
    code = """
import matplotlib
matplotlib.use("pdf")
import tempfile, pathlib
from spintunnel import plotting
from spintunnel.config import load_config
plotting.spin_factor_geometry(load_config().link, pathlib.Path(tempfile.mkdtemp()) / "g")
import sys
print(matplotlib.get_backend(), "matplotlib.pyplot" in sys.modules)
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["pdf", "False"]
