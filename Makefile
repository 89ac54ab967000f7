# Two entry points for a fresh machine (see README): `make run` and `make test`.
# Everything lives in a local virtual environment .venv; nothing is installed globally.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# single-threaded BLAS: the matrices are small, and threaded OpenBLAS on 2 shared cores is
# ~8x slower for them (tests, docs' tutorials)
SERIAL := OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1

.PHONY: run test bench lint docs wheel-check clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	# compile the all-orders kernels into numba's cache once, at install (~5 s), not at the first run
	$(BIN)/python -c "from spintunnel.floquet.kernel import warm_up; warm_up()"
	touch $@

$(VENV)/.lint-installed: $(VENV)/.installed pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[dev,lint]'
	touch $@

$(VENV)/.docs-installed: $(VENV)/.installed pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[dev,docs]'
	touch $@

## run the main job on its built-in default
run: $(VENV)/.installed
	$(BIN)/spintunnel run

## run the whole test suite (tutorials included)
test: $(VENV)/.installed
	$(SERIAL) $(BIN)/python -m pytest -q

## run the benchmarks (speed and accuracy against naive baselines, side by side)
bench: $(VENV)/.installed
	$(BIN)/python -m benchmarks

## lint, format and types (ruff, mypy; configured in pyproject.toml)
lint: $(VENV)/.lint-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

## the documentation: API reference, theory pages, executed tutorials -> docs/_build/html
docs: $(VENV)/.docs-installed
	$(SERIAL) $(BIN)/sphinx-build -b html -W --keep-going -q docs docs/_build/html
	@echo "open docs/_build/html/index.html"

## the plain install route: build the wheel, install it into a fresh venv, import it, run the CLI
wheel-check: $(VENV)/.installed
	rm -rf dist build/wheel-venv
	$(BIN)/python -m pip wheel --quiet --no-deps --wheel-dir dist .
	$(PYTHON) -m venv build/wheel-venv
	build/wheel-venv/bin/python -m pip install --quiet dist/spintunnel-*.whl
	cd build && wheel-venv/bin/python -c "import spintunnel, sys; assert 'site-packages' in spintunnel.__file__; print('spintunnel', spintunnel.__version__, 'from', spintunnel.__file__)"
	build/wheel-venv/bin/spintunnel --version
	build/wheel-venv/bin/spintunnel --help > /dev/null

clean:
	rm -rf $(VENV) build dist *.egg-info src/*.egg-info .pytest_cache docs/_build docs/api/generated docs/jupyter_execute
