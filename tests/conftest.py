"""Test settings: in CI (environment variable CI set) hypothesis runs derandomized, so that a
run is reproducible; on a developer's machine it explores new examples every run."""

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")
