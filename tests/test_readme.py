"""The README's Python blocks run as they stand (issue 21)."""

import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # the block draws a figure; headless here


def test_readme_python_blocks_run():
    text = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    assert blocks, "the README has no Python block"
    for block in blocks:
        exec(compile(block, "README.md", "exec"), {"__name__": "readme"})
