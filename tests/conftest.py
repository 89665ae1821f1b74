"""Wires the on-device script harness into pytest (see tests/harness/device.py)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import device  # noqa: E402
from harness import board  # noqa: E402  (make test-hw and tests/multi/: tests/harness/board.py)


def pytest_addoption(parser):
    parser.addoption("--hw-port", default=None, help="serial port of a real board (make test-hw)")


def pytest_configure(config):
    config.addinivalue_line("markers", "hw: needs a real board; run by make test-hw PORT=...")
    device.start_session(config)
    board.start_session(config)


def pytest_unconfigure(config):
    device.end_session(config)


def pytest_pycollect_makemodule(module_path, parent):
    # Device scripts are MicroPython, not CPython test modules: collect them our way.
    if board.is_multi_script(module_path):
        return board.MultiScript.from_parent(parent, path=module_path)
    if device.is_device_script(module_path):
        return device.DeviceScript.from_parent(parent, path=module_path)
    return None
