# One-command workflows. Host tooling lives in .venv/ (pinned in requirements.txt).
#   make test    set up .venv, then run the whole suite (unix port, .py and .mpy)
#   make run     the socket demo on the unix port, library loaded as frozen .mpy
#   make repl    unix-port REPL with the library importable
#   make bench   benchmarks (not part of make test)
#   make firmware-unix   the unix port with the library frozen in, 64- and 32-bit (cached)

PYTHON ?= python3
VENV := .venv
VPY := $(VENV)/bin/python
MICROPYTHON ?= $(abspath $(VENV)/bin/micropython)
MPY_DIR := build/mpy
export MICROPYTHON

.PHONY: all test test-device test-host run repl bench mpy peers clean distclean firmware-unix

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

# The frozen firmware is built first so its progress shows; a failed build does not stop
# the run: the [frozen64]/[frozen32] device items then fail, each with the reason.
test: $(VENV)/.installed peers
	-$(VPY) tools/unix_firmware.py
	$(VPY) -m pytest $(PYTEST_ARGS)

# build/firmware-unix/micropython-{64,32}: MicroPython from ../shared/vendor with the library
# frozen in (firmware/unix/manifest.py); rebuilt only when the source or a frozen file changes.
firmware-unix: $(VENV)/.installed
	$(VPY) tools/unix_firmware.py

test-device: $(VENV)/.installed
	-$(VPY) tools/unix_firmware.py
	$(VPY) -m pytest tests/device $(PYTEST_ARGS)

test-host: $(VENV)/.installed
	$(VPY) -m pytest tests/host $(PYTEST_ARGS)

run: mpy
	@cd examples && MICROPYPATH=$(abspath $(MPY_DIR)):.frozen $(MICROPYTHON) socket_demo.py

# With PORT=..., the REPL of the board on that serial port (mpremote; Ctrl-] leaves it).
repl: mpy
ifdef PORT
	$(VENV)/bin/mpremote connect $(PORT) repl
else
	@MICROPYPATH=$(abspath $(MPY_DIR)):.frozen $(MICROPYTHON)
endif

# RAM budgets and flash cost are measured on the 32-bit frozen firmware (make firmware-unix).
# BENCH_ARGS=--ram-only: only those, updating their sections of docs/performance.md.
bench: mpy firmware-unix
	$(VPY) bench/run.py --firmware --micropython $(MICROPYTHON) --lib $(MPY_DIR) $(BENCH_ARGS)

clean:
	rm -rf build .pytest_cache

distclean: clean
	rm -rf $(VENV)

# --- Boards: firmware, flashing, deployment, hardware tests (docs/getting-started.md) ---
#   make firmware BOARD=WT32_ETH01 MICROPY_DIR=~/micropython   frozen firmware, own checkout + ESP-IDF
#   make flash BOARD=... PORT=/dev/ttyUSB0 [FIRMWARE=x.bin] [ERASE=1]
#   make deploy PORT=...       copy changed build/mpy files to the board (DEST=/lib to change where)
#   make repl PORT=...         the board's REPL
#   make test-hw PORT=...      the device scripts + two-instance tests on a board
#   make vboard                a virtual board on a pty (the unix port); prints its PORT
#   make test-vboard           make test-hw on a virtual board started for the run
#   make packages | make mip [PORT=...]   mip package files / install the compiled library
#   make lint                  type-check against the MicroPython ESP32 stubs
.PHONY: firmware flash deploy test-hw vboard test-vboard packages mip lint
HW_TESTS ?= tests/device tests/multi

firmware: $(VENV)/.installed
	$(VPY) tools/firmware.py --board "$(BOARD)" --micropy-dir "$(MICROPY_DIR)" $(if $(FROZEN_MANIFEST),--manifest "$(FROZEN_MANIFEST)")

flash: $(VENV)/.installed
	$(VPY) tools/flash.py --board "$(BOARD)" --port "$(PORT)" $(if $(FIRMWARE),--firmware "$(FIRMWARE)") $(if $(ERASE),--erase)

deploy: mpy
	$(VPY) tools/deploy.py --port "$(PORT)" --src $(MPY_DIR) $(if $(DEST),--dest "$(DEST)")

test-hw: $(VENV)/.installed
	@test -n "$(PORT)" || { echo "error: PORT=... is required: a board's serial port, or the pty that make vboard prints" >&2; exit 2; }
	$(VPY) -m pytest $(HW_TESTS) --hw-port "$(PORT)" $(PYTEST_ARGS)

vboard: $(VENV)/.installed
	$(VPY) tools/vboard.py --link build/vboard-tty

# make test-hw against a fresh virtual board, started and stopped around it.
test-vboard: $(VENV)/.installed
	$(VPY) tools/vboard.py --run $(MAKE) --no-print-directory test-hw PORT={port} HW_TESTS="$(HW_TESTS)" PYTEST_ARGS="$(PYTEST_ARGS)"

packages: $(VENV)/.installed
	$(VPY) tools/packages.py

mip: $(VENV)/.installed
	$(VPY) tools/packages.py --mpy build/mip
	$(if $(PORT),$(VENV)/bin/mpremote connect $(PORT) mip install build/mip/package.json)

lint: $(VENV)/.installed
	$(VPY) tools/lint.py
