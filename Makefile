# Two commands for everyone: `make site` builds every Trust's site, `make test` checks it all.
VENV ?= .venv
PYTHON := $(VENV)/bin/python
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
export NO_MKDOCS_2_WARNING := 1

.PHONY: site test check clean system-packages

site: $(STAMP)
	$(PYTHON) -m trustsite build --all
	@echo "Open dist/index.html in a browser, or upload dist/<slug>.zip to your intranet."

test: system-packages $(STAMP) $(NODE_STAMP)
	$(PYTHON) -m pytest

# Debian's Chromium (browser tests) and Java (vnu.jar), installed with apt when missing.
system-packages:
	@bash .ci/system-packages

check: $(STAMP)
	$(PYTHON) -m trustsite check

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
