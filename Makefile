# One dev loop: `make demo`, `make test`, `make lint`, `make fix`, `make bench`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: demo test lint fix bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[formats]'
	touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(STAMP)

demo: $(STAMP)
	$(BIN)/kg build seeds/ --out output/
	@echo
	@echo "Built the sample corpus into output/:"
	@echo "  output/graph.html   the network view; open it in a browser"
	@echo "  output/graph.nq     the graph as N-Quads"
	@echo "  output/store/       the SPARQL store; try: $(BIN)/kg stats, $(BIN)/kg query 'SELECT ...'"

# The remote-store tests run against a real OpenLink Virtuoso. As root on Debian or Ubuntu
# it is installed here; elsewhere those tests skip and say how to install it.
test: $(TEST_STAMP)
	@command -v virtuoso-t >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null \
	  && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	     --no-install-recommends virtuoso-opensource >/dev/null; } \
	  || echo "virtuoso-opensource is not installed: the remote-store tests will skip"
	$(BIN)/python -m pytest -q

lint: $(TEST_STAMP)
	$(BIN)/ruff check kg tests bench scripts
	$(BIN)/ruff format --check kg tests bench scripts
	$(BIN)/mypy kg bench
	$(BIN)/lint-imports

fix: $(TEST_STAMP)
	$(BIN)/ruff check --fix kg tests bench scripts
	$(BIN)/ruff format kg tests bench scripts

# Figures side by side with jieba and rdflib, written to bench/results/ and bench/README.md
# (about an hour on 2 cores; the corpora are generated under bench/corpus/, git-ignored).
bench: $(TEST_STAMP)
	$(BIN)/python bench/run.py
	$(BIN)/python bench/bench_views.py --json bench/results/views_synthetic.json

clean:
	rm -rf $(VENV) output/.kg output/store output/graph.nq output/graph.html
