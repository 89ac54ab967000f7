"""Every tutorial (docs/tutorials/NN_*.py, percent-format scripts) runs to the end as a script,
so that none of them rots.  The docs build executes them too and renders their outputs; this
test is the fast check of `make test`.  A new tutorial is a new file: it is picked up here."""

import runpy
from pathlib import Path

import pytest

TUTORIALS = sorted((Path(__file__).resolve().parents[1] / "docs" / "tutorials").glob("[0-9]*.py"))


def test_there_are_tutorials():
    assert len(TUTORIALS) >= 3


@pytest.mark.parametrize("path", TUTORIALS, ids=[p.stem for p in TUTORIALS])
def test_tutorial_runs_as_a_script(path, tmp_path, monkeypatch):
    import matplotlib

    matplotlib.use("Agg")  # the scripts draw with pyplot; headless here (a notebook shows them inline)
    import matplotlib.pyplot as plt

    monkeypatch.chdir(tmp_path)  # files a tutorial writes land here
    try:
        runpy.run_path(str(path), run_name="__main__")
    finally:
        plt.close("all")
