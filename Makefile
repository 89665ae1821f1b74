# One-command workflows. Host tooling lives in .venv/ (pinned in requirements.txt).
#   make test    set up .venv, then run the whole suite (unix port, .py and .mpy)
#   make run     the socket demo on the unix port, library loaded as frozen .mpy
#   make repl    unix-port REPL with the library importable
#   make bench   benchmarks (not part of make test)

PYTHON ?= python3
VENV := .venv
VPY := $(VENV)/bin/python
MICROPYTHON ?= $(abspath $(VENV)/bin/micropython)
MPY_DIR := build/mpy
export MICROPYTHON

.PHONY: all test test-device test-host run repl bench mpy peers clean distclean

all: test

# The venv is rebuilt whenever the pins change.
$(VENV)/.installed: requirements.txt
	@$(PYTHON) -c 'import sys; v=sys.version_info[:2]; sys.exit(0 if (3,10)<=v<=(3,13) else "need Python 3.10-3.13, found %d.%d" % v)'
	$(PYTHON) -m venv $(VENV)
	$(VPY) -m pip install --quiet --upgrade pip
	$(VPY) -m pip install --quiet -r requirements.txt
	@touch $@

venv: $(VENV)/.installed

# Debian peers for the facade tests (pySFML, SFML headers). Installed only as root.
peers: $(VENV)/.installed
	@$(VPY) tools/install_peers.py

mpy: $(VENV)/.installed
	$(VPY) tools/build.py mpy --out $(MPY_DIR)

test: $(VENV)/.installed peers
	$(VPY) -m pytest $(PYTEST_ARGS)

test-device: $(VENV)/.installed
	$(VPY) -m pytest tests/device $(PYTEST_ARGS)

test-host: $(VENV)/.installed
	$(VPY) -m pytest tests/host $(PYTEST_ARGS)

run: mpy
	@cd examples && MICROPYPATH=$(abspath $(MPY_DIR)):.frozen $(MICROPYTHON) socket_demo.py

repl: mpy
	@MICROPYPATH=$(abspath $(MPY_DIR)):.frozen $(MICROPYTHON)

bench: mpy
	$(VPY) bench/run.py --micropython $(MICROPYTHON) --lib $(MPY_DIR)

clean:
	rm -rf build .pytest_cache

distclean: clean
	rm -rf $(VENV)
