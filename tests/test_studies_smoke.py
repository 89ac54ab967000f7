"""The research scripts of docs/studies/ run at a tiny size (their full runs take minutes to
hours and are recorded in docs/all_orders.md), so that a change of the package cannot break
them unnoticed.  Where a tiny size still has a limit to check, it is checked."""

import re
import runpy
from pathlib import Path

import numpy as np
import pytest

STUDIES = Path(__file__).resolve().parents[1] / "docs" / "studies"


def study(name):
    return runpy.run_path(str(STUDIES / f"{name}.py"), run_name=name)


def test_ac_spin_harmonic_of_a_spin_filter_is_fourth_order():
    """docs/all_orders.md Sec. 6: below 2 Delta the local slope d ln|I_s,1|/d ln t is 4."""
    s = study("ac_spin_scaling")
    table = s["ac_spin_scaling"](biases=(0.6,), ts=(0.1, 0.05))
    assert table["slope"][0, 1] == pytest.approx(4.0, abs=0.01)
    s["print_table"](table)


def test_normal_lead_candidates_coincide_at_weak_coupling(capsys):
    """At second order the Brouwer candidates and M_log reduce to M_FS (docs/all_orders.md Sec. 4)."""
    s = study("normal_lead")
    J = 0.05 * s["J0"]
    fs, log = s["candidates"](J, 0.8, 2.0, n=8)
    b_ee, b_col = s["brouwer"](J, 0.8, 2.0, n=8, n_s=9)
    for other in (log, b_ee, b_col):
        np.testing.assert_allclose(other, fs, rtol=1e-3)
    assert np.all(np.isfinite(s["eta_relaxed_term"](J, 0.8, 2.0, n=8, n_grid=200, kmax=2)))


def test_switch_path_study_runs():
    s = study("switch_path")
    moments = [s["static_moment"](0.05, 8, 2.0, path, periods=1) for path in ("scale", "diag", "off")]
    assert all(np.all(np.isfinite(m)) and np.abs(m).max() > 0 for m in moments)


def test_static_exact_study_runs(capsys):
    s = study("static_exact")
    s["main"](1.0, 0.0, 0.45, 0.2, [8], [8.0], D=3.0)
    assert "exact M" in capsys.readouterr().out
    inside = s["injecting_in_gap"](0.2 * s["J0"], 0.63, 1.0, 1.0, 3.0, n=5)
    assert np.all(np.isfinite(inside)) and np.abs(inside).max() > 0


def test_band_exact_study_runs(tmp_path, capsys):
    s = study("band_exact")
    s["main"]([20], ("NN",), save_dir=tmp_path)
    assert "| NN | 20 |" in capsys.readouterr().out


def test_above_threshold_quick_mode_reproduces_its_two_identities(capsys):
    """``above_threshold.py --quick``: the package's Floquet value against the independent
    sector solver (rel. 2e-10 observed), and the relaxed exact model (N = 4) against the
    level-resolved Floquet (7e-6 observed at Magnus/Simpson step 0.1)."""
    study("above_threshold")["main"](["--quick"])
    out = capsys.readouterr().out
    rows = [line for line in out.splitlines() if re.match(r"\| [0-9]", line)]
    assert len(rows) == 2
    assert float(rows[0].split("|")[5]) < 1e-6
    assert float(rows[1].split("|")[6]) < 3e-5
