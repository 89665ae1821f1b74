"""Type-check drivers/ against the published ESP32 stubs (micropython-esp32-stubs,
pinned in requirements.txt) with mypy, so every `network` / `machine` call in the
drivers matches the real firmware's signatures.

The stubs are laid out for mypy in a temporary directory: their own stdlib
(micropython-stdlib-stubs) becomes mypy's typeshed, the module stubs go on
MYPYPATH after modules/ (the project's own socket, netlink...). Errors inside the
stubs themselves are not ours and are ignored; errors in drivers/ fail the test.

One known gap of the stubs: network.LAN's constructor is the generic one from the
docs and lacks the ESP32 keywords (mdc, mdio, power, ref_clk, spi, cs, int), so
drivers/eth/lan.py passes them as a dict; the simulated network module checks
those keyword names against network_lan.c instead (tests/device/test_eth_sim.py).
"""

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def site_packages():
    return Path(sysconfig.get_paths()["purelib"])


@pytest.fixture(scope="module")
def stubs(tmp_path_factory):
    site = site_packages()
    if not (site / "network.pyi").exists() or not (site / "stdlib" / "VERSIONS").exists():
        pytest.fail("micropython-esp32-stubs is not installed: run `make venv`")
    out = tmp_path_factory.mktemp("esp32-stubs")
    for pyi in site.glob("*.pyi"):
        if pyi.name != "__builtins__.pyi":
            shutil.copy(pyi, out / pyi.name)
    shutil.copytree(site / "_mpy_shed", out / "_mpy_shed")
    return out


def run_mypy(stubs, targets, cwd, cache):
    env = dict(os.environ)
    env["MYPYPATH"] = os.pathsep.join([str(ROOT / "modules"), str(stubs)])
    cmd = [sys.executable, "-m", "mypy", "--custom-typeshed-dir", str(site_packages()),
           "--follow-imports=silent", "--check-untyped-defs", "--no-color-output",
           "--cache-dir", str(cache)] + targets
    proc = subprocess.run(cmd, cwd=str(cwd), env=env, capture_output=True, text=True,
                          timeout=300)
    if proc.returncode not in (0, 1):
        pytest.fail("mypy crashed:\n" + proc.stdout + proc.stderr)
    return proc.stdout.splitlines()


def test_drivers_match_the_esp32_stubs(stubs, tmp_path):
    lines = run_mypy(stubs, ["drivers"], ROOT, tmp_path / "cache")
    ours = [l for l in lines if l.startswith("drivers" + os.sep)]
    assert not ours, "driver calls that do not match the ESP32 stubs:\n" + "\n".join(ours)
    # every driver file was really checked
    summary = [l for l in lines if "source file" in l]
    assert summary, lines
    count = int(summary[-1].split(" source file")[0].split()[-1])
    assert count == len(list((ROOT / "drivers").rglob("*.py"))), summary


def test_the_check_catches_a_wrong_network_call(stubs, tmp_path):
    # the same run flags calls the firmware would reject: proves the check bites
    bad = tmp_path / "baddriver.py"
    bad.write_text(
        "import network\n"
        "sta = network.WLAN(network.WLAN.IF_STA)\n"
        "sta.connect('ssid', 'key', 6)\n"         # bssid is keyword-only
        "network.hostname(42)\n"                  # a str
        "sta.config(reconnects='forever')\n"      # an int
    )
    lines = run_mypy(stubs, ["baddriver.py"], tmp_path, tmp_path / "cache")
    flagged = {l.split(":")[1] for l in lines if l.startswith("baddriver.py:")}
    assert {"3", "4", "5"} <= flagged, lines
