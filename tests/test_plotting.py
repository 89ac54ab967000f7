"""Figures are written, readable PNGs."""

import matplotlib.image as mpimg

from spintunnel import plotting
from spintunnel.config import BentLink, MatrixLink, load_config


def test_geometry_figures_are_written(tmp_path):
    for name, link in [
        ("straight", load_config().link),
        ("bent", BentLink(model="bent_two_segment", kso_d=1.0, theta_rad=0.5)),
        ("matrix", MatrixLink(model="matrix", J_real=[[1, 0.2], [0, 0.5]])),
    ]:
        paths = plotting.spin_factor_geometry(link, tmp_path / name, pdf=(name == "bent"))
        assert paths[0].suffix == ".png"
        img = mpimg.imread(paths[0])
        assert img.shape[0] > 200 and img.shape[1] > 300
        if name == "bent":
            assert paths[1].suffix == ".pdf" and paths[1].stat().st_size > 1000
