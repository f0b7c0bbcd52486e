# perkcheck: `make run` and `make test` work on a fresh machine (they create .venv on first use).
# The interpreter .venv is made with: the fastest CPython >= 3.11 on PATH (tools/pick-python.sh
# says why), unless given: `make PYTHON=python3.12 install` on a machine with no .venv yet.
PYTHON ?=
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install bytecode run test lint format bench clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || { \
		python=$$(sh tools/pick-python.sh "$(PYTHON)") && \
		echo "creating $(VENV) with $$python ($$("$$python" -c 'import sys; print(sys.version.split()[0])'))" && \
		"$$python" -m venv $(VENV); }
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

# An editable install does not byte-compile the package (a regular pip install does); without
# this, every CLI run compiles core/ from source again when PYTHONDONTWRITEBYTECODE is set.
bytecode: install
	@$(BIN)/python -m compileall -q core adapters bot

run: bytecode
	$(BIN)/python -m bot

test: install
	$(BIN)/python -m pytest -q

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy core
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: bytecode
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis *.egg-info
