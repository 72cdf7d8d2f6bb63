# Two commands for everyone: `make site` builds every Trust's site, `make test` checks it all.
VENV ?= .venv
PYTHON := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1

.PHONY: site test check clean

site: $(STAMP)
	$(PYTHON) -m trustsite build --all
	@echo "Open dist/index.html in a browser, or upload dist/<slug>.zip to your intranet."

test: $(STAMP)
	$(PYTHON) -m pytest

check: $(STAMP)
	$(PYTHON) -m trustsite check

# The virtual environment with the exact pinned packages; redone when the pins change.
$(STAMP): requirements.txt pyproject.toml
	test -x $(PYTHON) || python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(PYTHON) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

clean:
	rm -rf dist site
