# Two entry points for a fresh machine (see README): `make run` and `make test`.
# Everything lives in a local virtual environment .venv; nothing is installed globally.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: run test bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	# compile the all-orders kernels into numba's cache once, at install (~5 s), not at the first run
	$(BIN)/python -c "from spintunnel.floquet.kernel import warm_up; warm_up()"
	touch $@

## run the main job on its built-in default
run: $(VENV)/.installed
	$(BIN)/spintunnel run

## run the whole test suite (single-threaded BLAS: the tests' matrices are small, and
## threaded OpenBLAS on 2 shared cores is ~8x slower for them)
test: $(VENV)/.installed
	OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 $(BIN)/python -m pytest -q

## run the benchmarks (speed and accuracy against naive baselines, side by side)
bench: $(VENV)/.installed
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info .pytest_cache
