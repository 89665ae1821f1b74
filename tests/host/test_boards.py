"""boards/ (host side: board.json, cmake, sdkconfig, manifest) agrees with the on-device
presets in drivers/boards.py, board by board."""

import json
import runpy
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

import boardinfo  # noqa: E402

PRESETS = ROOT / "drivers" / "boards.py"


@pytest.fixture(scope="module")
def presets():
    # plain literals at module level: CPython can read them without the device
    return runpy.run_path(str(PRESETS))["BOARDS"]


def test_same_board_names(presets):
    firmware_boards = sorted(n for n, b in presets.items() if b["chip"] != "unix")
    assert boardinfo.names() == firmware_boards


@pytest.mark.parametrize("name", boardinfo.names())
def test_board_directory(name, presets):
    d = ROOT / "boards" / name
    info = boardinfo.load(name)
    preset = presets[name]
    assert info["chip"] == preset["chip"] == info["mcu"]
    assert info["flash_offset"] == preset["flash_offset"]
    assert int(info["deploy_options"]["flash_offset"], 0) == info["flash_offset"]
    for key in ("deploy", "features", "images", "product", "url", "vendor"):
        assert key in info, key
    # built on the port's generic board of the same chip, whatever the checkout's version
    base = {"esp32": "ESP32_GENERIC", "esp32s3": "ESP32_GENERIC_S3",
            "esp32c3": "ESP32_GENERIC_C3"}[info["chip"]]
    assert info["base_board"] == base
    cmake = (d / "mpconfigboard.cmake").read_text()
    assert "include(boards/%s/mpconfigboard.cmake)" % base in cmake
    assert "list(APPEND SDKCONFIG_DEFAULTS ${MICROPY_BOARD_DIR}/sdkconfig.board)" in cmake
    assert "set(MICROPY_FROZEN_MANIFEST ${MICROPY_BOARD_DIR}/manifest.py)" in cmake
    header = (d / "mpconfigboard.h").read_text()
    assert '#include "boards/%s/mpconfigboard.h"' % base in header
    if base != "ESP32_GENERIC_C3":  # the C3 header names the board unconditionally
        assert 'MICROPY_HW_BOARD_NAME "%s"' % info["product"] in header
    sdk = (d / "sdkconfig.board").read_text()
    # 1 ms ticks: a poll that is not ready at once sleeps a tick (docs/performance.md)
    assert "\nCONFIG_FREERTOS_HZ=1000\n" in sdk
    eth = preset["eth"]
    if eth is None:
        assert "CONFIG_ETH_" not in sdk
    elif eth["kind"] == "rmii":
        assert "CONFIG_ETH_USE_ESP32_EMAC=y" in sdk
        if eth["ref_clk_mode"] == "out":
            assert "CONFIG_ETH_RMII_CLK_OUT_GPIO=%d" % eth["ref_clk"] in sdk
        else:
            assert "CONFIG_ETH_RMII_CLK_IN_GPIO=%d" % eth["ref_clk"] in sdk
    else:
        assert "CONFIG_ETH_SPI_ETHERNET_%s=y" % eth["phy"] in sdk
    ns = runpy.run_path(str(d / "modules" / "_board.py"))
    assert ns["NAME"] == name


def test_unknown_board_lists_the_known_ones():
    with pytest.raises(boardinfo.UnknownBoard, match="known: ESP32_ETHERNET_KIT, ESP32_GENERIC"):
        boardinfo.load("ESP8266_GENERIC")
    with pytest.raises(boardinfo.UnknownBoard, match="no board given"):
        boardinfo.load("")


def test_board_json_is_plain_json():
    for name in boardinfo.names():
        json.loads((ROOT / "boards" / name / "board.json").read_text())
