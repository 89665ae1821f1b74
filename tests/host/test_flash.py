"""tools/flash.py: the esptool command lines per board and every error path.

Real flashing needs a board on a serial port, which this machine does not have: these
tests check what esptool would be asked to do, and run the real esptool only against a
device that is not a chip (it must fail cleanly)."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

import boardinfo  # noqa: E402
import flash  # noqa: E402


@pytest.fixture
def image(tmp_path):
    p = tmp_path / "fw.bin"
    p.write_bytes(b"\xe9" + b"\0" * 255)
    return p


def esptool_args(cmd):
    assert cmd[:3] == [sys.executable, "-m", "esptool"]
    return cmd[3:]


@pytest.mark.parametrize("board, chip, offset", [
    ("ESP32_GENERIC", "esp32", "0x1000"), ("ESP32_GENERIC_S3", "esp32s3", "0x0"),
    ("ESP32_GENERIC_C3", "esp32c3", "0x0"), ("WT32_ETH01", "esp32", "0x1000"),
    ("OLIMEX_ESP32_POE", "esp32", "0x1000"),
])
def test_write_command(board, chip, offset, image):
    (cmd,) = flash.commands(board, "/dev/null", image)
    assert esptool_args(cmd) == ["--chip", chip, "--port", "/dev/null", "--baud", "460800",
                                 "write-flash", offset, str(image)]


def test_every_board_has_a_command(image):
    for name in boardinfo.names():
        (cmd,) = flash.commands(name, "/dev/null", image)
        assert "0x%x" % boardinfo.load(name)["flash_offset"] in cmd


def test_erase_first_and_baud(image):
    erase, write = flash.commands("ESP32_GENERIC", "/dev/null", image, erase=True, baud=115200)
    assert esptool_args(erase) == ["--chip", "esp32", "--port", "/dev/null", "erase-flash"]
    assert "115200" in write


def test_default_firmware_is_the_built_one():
    assert flash.default_firmware("WT32_ETH01") == ROOT / "build" / "firmware" / "WT32_ETH01.bin"


@pytest.mark.parametrize("kwargs, message", [
    (dict(board="WT32_ETH01", port=None), "no serial port given"),
    (dict(board="WT32_ETH01", port="/dev/ttyUSB-none"), "does not exist"),
    (dict(board="WT32_ETH01", port="/dev/null", firmware="/nonexistent/fw.bin"),
     "firmware file /nonexistent/fw.bin not found"),
    (dict(board="NOPE", port="/dev/null"), "unknown board 'NOPE'"),
    (dict(board=None, port="/dev/null"), "no board given"),
])
def test_errors(kwargs, message):
    with pytest.raises((flash.FlashError, boardinfo.UnknownBoard), match=message):
        flash.commands(**kwargs)


def test_not_a_bin(tmp_path):
    uf2 = tmp_path / "fw.uf2"
    uf2.write_bytes(b"x")
    with pytest.raises(flash.FlashError, match="not a .bin image"):
        flash.commands("ESP32_GENERIC", "/dev/null", uf2)


def run_cli(*args):
    return subprocess.run([sys.executable, str(ROOT / "tools" / "flash.py")] + list(args),
                          capture_output=True, text=True, timeout=60)


def test_cli_missing_port_is_a_clear_error(image):
    r = run_cli("--board", "ESP32_GENERIC", "--firmware", str(image))
    assert r.returncode == 2
    assert "error: no serial port given" in r.stderr


def test_make_flash_without_port():
    r = subprocess.run(["make", "-s", "flash", "BOARD=ESP32_GENERIC"], cwd=ROOT,
                       capture_output=True, text=True, timeout=60)
    assert r.returncode != 0
    assert "no serial port given" in r.stderr


def test_dry_run_prints_the_commands(image):
    r = run_cli("--board", "ESP32_GENERIC_C3", "--port", "/dev/null", "--firmware", str(image),
                "--erase", "--dry-run")
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == [
        "$ esptool --chip esp32c3 --port /dev/null erase-flash",
        "$ esptool --chip esp32c3 --port /dev/null --baud 460800 write-flash 0x0 %s" % image,
    ]


def test_real_esptool_on_a_port_without_a_chip_fails_cleanly(image):
    r = run_cli("--board", "ESP32_GENERIC", "--port", "/dev/null", "--firmware", str(image))
    assert r.returncode != 0
    assert "esptool v5" in r.stdout            # esptool itself ran and printed its banner
    assert "error: esptool failed" in r.stderr
