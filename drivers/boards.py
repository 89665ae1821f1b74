# boards: presets for the supported boards (see docs/boards.md).
#
# chip: the ESP32 family member (or "unix"); flash_offset: where the firmware image
# goes; wifi: has a radio; eth: None, or the Ethernet wiring as plain numbers
# ("rmii": internal EMAC + external PHY; "spi": an SPI Ethernet chip);
# driver: "esp32" or "host" (the unix port).
_RMII_LAN8720 = {"kind": "rmii", "phy": "LAN8720", "mdc": 23, "mdio": 18}

BOARDS = {
    "ESP32_GENERIC": {"chip": "esp32", "flash_offset": 0x1000, "wifi": True, "eth": None,
                      "driver": "esp32"},
    "ESP32_GENERIC_S3": {"chip": "esp32s3", "flash_offset": 0x0, "wifi": True, "eth": None,
                         "driver": "esp32"},
    "ESP32_GENERIC_C3": {"chip": "esp32c3", "flash_offset": 0x0, "wifi": True, "eth": None,
                         "driver": "esp32"},
    # WT32-ETH01 v1.4: LAN8720 at address 1, 50 MHz oscillator into GPIO0, its
    # enable line on GPIO16 (the "power" pin).
    "WT32_ETH01": {"chip": "esp32", "flash_offset": 0x1000, "wifi": True, "driver": "esp32",
                   "eth": dict(_RMII_LAN8720, phy_addr=1, power=16, ref_clk=0, ref_clk_mode="in")},
    # WT32-ETH01 v1.2: same, oscillator always on (no power pin)
    "WT32_ETH01_V12": {"chip": "esp32", "flash_offset": 0x1000, "wifi": True, "driver": "esp32",
                       "eth": dict(_RMII_LAN8720, phy_addr=1, power=None, ref_clk=0,
                                   ref_clk_mode="in")},
    # Olimex ESP32-POE / POE-ISO: the ESP32 drives the 50 MHz clock out on GPIO17
    "OLIMEX_ESP32_POE": {"chip": "esp32", "flash_offset": 0x1000, "wifi": True, "driver": "esp32",
                         "eth": dict(_RMII_LAN8720, phy_addr=0, power=12, ref_clk=17,
                                     ref_clk_mode="out")},
    # Espressif ESP32-Ethernet-Kit: IP101 at address 1, reset/power on GPIO5
    "ESP32_ETHERNET_KIT": {"chip": "esp32", "flash_offset": 0x1000, "wifi": True,
                           "driver": "esp32",
                           "eth": {"kind": "rmii", "phy": "IP101", "phy_addr": 1, "mdc": 23,
                                   "mdio": 18, "power": 5, "ref_clk": 0, "ref_clk_mode": "in"}},
    # Generic ESP32 + W5500 module on the VSPI pins (the wiring example in docs/boards.md)
    "ESP32_W5500": {"chip": "esp32", "flash_offset": 0x1000, "wifi": True, "driver": "esp32",
                    "eth": {"kind": "spi", "phy": "W5500", "phy_addr": 0, "spi": 2, "sck": 18,
                            "mosi": 23, "miso": 19, "cs": 5, "int": 4, "power": None}},
    # The unix port: drivers.host, the machine's own network
    "UNIX": {"chip": "unix", "flash_offset": None, "wifi": True, "eth": None, "driver": "host"},
}

RMII_PHYS = ("LAN8710", "LAN8720", "IP101", "RTL8201", "DP83848", "KSZ8041", "KSZ8081")
SPI_PHYS = ("W5500", "DM9051", "KSZ8851SNL")


def get(name):
    """The preset for `name`; ValueError listing the known names otherwise."""
    b = BOARDS.get(name)
    if b is None:
        raise ValueError("unknown board %r; known: %s" % (name, ", ".join(sorted(BOARDS))))
    return b


def default():
    """This firmware's board: the frozen `_board.NAME` if the build provides one,
    else UNIX on the unix port, else the generic board of the running chip; None on a
    port this library has no preset for."""
    try:
        import _board  # type: ignore  # optional, written by a board's firmware build
        return _board.NAME
    except ImportError:
        pass
    import sys
    return for_port(sys.platform, getattr(sys.implementation, "_machine", ""))


def for_port(platform, machine):
    """The preset name for a port (sys.platform) and chip (sys.implementation._machine)."""
    if platform in ("linux", "darwin", "freebsd"):  # the unix port
        return "UNIX"
    if platform != "esp32":
        return None
    if "ESP32S3" in machine:
        return "ESP32_GENERIC_S3"
    if "ESP32C3" in machine:
        return "ESP32_GENERIC_C3"
    return "ESP32_GENERIC"
