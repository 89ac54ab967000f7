"""Smoke tests of the research scripts in docs/studies (their ``--quick`` modes)."""

import importlib.util
import pathlib
import re

_STUDIES = pathlib.Path(__file__).resolve().parents[1] / "docs" / "studies"


def _load(name):
    spec = importlib.util.spec_from_file_location(name, _STUDIES / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_above_threshold_quick_mode_reproduces_its_two_identities(capsys):
    """``above_threshold.py --quick``: the package's Floquet value against the independent
    sector solver (rel. 2e-10 observed), and the relaxed exact model (N = 4) against the
    level-resolved Floquet (7e-6 observed at Magnus/Simpson step 0.1)."""
    _load("above_threshold").main(["--quick"])
    out = capsys.readouterr().out
    rows = [line for line in out.splitlines() if re.match(r"\| [0-9]", line)]
    assert len(rows) == 2
    assert float(rows[0].split("|")[5]) < 1e-6
    assert float(rows[1].split("|")[6]) < 3e-5
