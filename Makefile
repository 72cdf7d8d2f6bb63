# Two commands for everyone: `make site` builds every Trust's site, `make test` checks it all.
# The common steps for one Trust: `make check [TRUST=slug]`, `make serve TRUST=slug`,
# `make new SLUG=slug NAME="Trust name"`, `make build TRUST=slug`. Everything else:
# `.venv/bin/trustsite COMMAND` (installed by any of these). The values reach the commands as
# environment variables ("$$TRUST"), so a name with spaces or quotes stays one argument.
VENV ?= .venv
PYTHON := $(VENV)/bin/python
TRUSTSITE := $(VENV)/bin/trustsite
CANARY_VENV := .venv-canary
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
export NO_MKDOCS_2_WARNING := 1

.PHONY: site test check serve new build bench canary clean system-packages

# SHARD=2/4 builds only the second of four shards of the Trusts (the pull-request workflow).
site: $(STAMP)
	$(TRUSTSITE) build --all $${SHARD:+--shard "$$SHARD"}
	@echo "Open dist/index.html in a browser, or upload the site/ folder of dist/<slug>.zip to your intranet."

test: system-packages $(STAMP) $(NODE_STAMP)
	$(PYTHON) -m pytest

# Debian's Chromium (browser tests) and Java (vnu.jar), installed with apt when missing.
system-packages:
	@bash .ci/system-packages

check: $(STAMP)
	$(TRUSTSITE) check $${TRUST:+"$$TRUST"}

serve: $(STAMP)
	$(TRUSTSITE) serve $${TRUST:+"$$TRUST"}

new: $(STAMP)
	@test -n "$$SLUG" && test -n "$$NAME" || { echo 'Give both: make new SLUG=anytown-hospitals NAME="Anytown Hospitals NHS Foundation Trust"'; exit 2; }
	$(TRUSTSITE) new "$$SLUG" --name "$$NAME"

build: $(STAMP)
	@test -n "$$TRUST" || { echo "Give the Trust: make build TRUST=example (or make site for every Trust)"; exit 2; }
	$(TRUSTSITE) build "$$TRUST"

# Maintainers: measure the build and rewrite BENCHMARKS.md (BENCH_ARGS="--trusts 20 --runs 1").
bench: $(STAMP)
	$(PYTHON) scripts/bench.py $(BENCH_ARGS)

# Maintainers: build the example Trust with Zensical, MkDocs' successor, in its own virtual
# environment, and write dist/canary/REPORT.md (see "Moving to Zensical" in ARCHITECTURE.md).
canary: $(STAMP) $(CANARY_VENV)/.installed
	$(PYTHON) scripts/canary.py --venv $(CANARY_VENV)

# A failed install is not fatal: the canary then reports why Zensical could not be installed.
$(CANARY_VENV)/.installed: requirements-canary.txt
	test -x $(CANARY_VENV)/bin/python || python3 -m venv $(CANARY_VENV)
	$(CANARY_VENV)/bin/python -m pip install --disable-pip-version-check -r requirements-canary.txt \
	  > $(CANARY_VENV)/install.log 2>&1 && touch $@ || tail -n 3 $(CANARY_VENV)/install.log

# The virtual environment with the exact pinned packages; redone when the pins change.
$(STAMP): requirements.txt pyproject.toml
	test -x $(PYTHON) || python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(PYTHON) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

# The Nu HTML Checker (vnu.jar, run with the machine's Java) at the version package-lock.json
# pins. --ignore-scripts: its install script would download a Java of its own.
$(NODE_STAMP): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

clean:
	rm -rf dist site
