"""tools/lint.py (make lint): mypy with the MicroPython ESP32 and stdlib stubs flags
calls the firmware would reject, passes correct code, and covers the drivers."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

import lint  # noqa: E402


def test_stub_dir_has_the_esp32_modules():
    d = lint.stub_dir()
    for name in ("network.pyi", "machine.pyi", "esp32.pyi", "_mpy_shed"):
        assert (d / name).exists(), name


def test_catches_calls_the_firmware_rejects(tmp_path):
    bad = tmp_path / "bad_usage.py"
    bad.write_text(
        "import network\n"
        "import time\n"
        "sta = network.WLAN(network.WLAN.IF_STA)\n"
        "sta.connect('ssid', 'key', 6)\n"      # bssid is keyword-only on the firmware
        "time.sleep_ms('100')\n"               # an int
        "import socket\n"
        "socket.socket().settimeout('1s')\n"   # our own socket module, milliseconds
        "network.hostname(42)\n"               # a str
        "sta.config(reconnects='forever')\n"   # an int
    )
    r = lint.run([bad], capture=True)
    assert r.returncode == 1, r.stdout
    flagged = set(re.findall(r"bad_usage\.py:(\d+): error", r.stdout))
    assert {"4", "5", "8", "9"} <= flagged, r.stdout


def test_correct_code_passes(tmp_path):
    good = tmp_path / "good_usage.py"
    good.write_text(
        "import network\n"
        "import time\n"
        "sta = network.WLAN(network.WLAN.IF_STA)\n"
        "sta.active(True)\n"
        "sta.connect('ssid', 'key')\n"
        "time.sleep_ms(100)\n"
        "import socket\n"
        "s = socket.socket()\n"
        "s.settimeout(1500)\n"
    )
    r = lint.run([good], capture=True)
    assert r.returncode == 0, r.stdout


def test_drivers_are_clean():
    # every network/machine call in the drivers matches the firmware's stubs
    r = lint.run([ROOT / "drivers"], capture=True)
    assert r.returncode == 0, r.stdout
    checked = int(re.search(r"(\d+) source files?", r.stdout).group(1))
    assert checked == len(list((ROOT / "drivers").rglob("*.py"))), r.stdout


def test_make_lint_is_clean_and_also_checks_the_stubs():
    r = subprocess.run([sys.executable, str(ROOT / "tools" / "lint.py")], capture_output=True,
                       text=True, timeout=300)
    assert "stubs: " in r.stdout and "difference(s) from the source" in r.stdout
    assert "source files" in r.stdout  # mypy ran over the library
    assert r.returncode == 0, "make lint reports problems in the library:\n" + r.stdout
