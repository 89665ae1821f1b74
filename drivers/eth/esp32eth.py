# esp32eth: ESP32 Ethernet from a board preset or explicit pins.
#
#   esp32eth.init("WT32_ETH01")                                   # a preset
#   esp32eth.init(phy="LAN8720", phy_addr=0, mdc=23, mdio=18,     # RMII, explicit
#                 power=12, ref_clk=17, ref_clk_mode="out")
#   esp32eth.init(phy="W5500", spi=2, sck=18, mosi=23, miso=19,   # SPI chip
#                 cs=5, int_pin=4)
# Then `from ethernet import eth; eth.link()`.
import network
import netlink
import _netcore
from drivers import boards
from drivers.eth import lan

_RMII_KEYS = ("phy", "phy_addr", "mdc", "mdio", "power", "reset", "ref_clk", "ref_clk_mode")
_SPI_KEYS = ("phy", "phy_addr", "spi", "sck", "mosi", "miso", "cs", "int", "power", "reset")

_driver = None


def _pin_no(name, value, required):
    if value is None:
        if required:
            raise ValueError("Ethernet needs the %s pin" % name)
        return None
    return _netcore.int_in(value, 0, 48, "%s (a GPIO number)" % name, ValueError)


def config(board=None, **pins):
    """The plain Ethernet configuration: the preset of `board` (default: this
    firmware's board when no phy is given), overridden by explicit values."""
    if board is None and pins.get("phy") is None:
        board = boards.default()
    cfg = {}
    chip = None
    if board is not None:
        preset = boards.get(board)
        chip = preset["chip"]
        if preset["eth"] is None:
            raise ValueError("board %s has no Ethernet: pass another board= or phy= and pins"
                             % board)
        cfg.update(preset["eth"])
    for k, v in pins.items():
        if k == "int_pin":
            k = "int"
        if k not in _RMII_KEYS and k not in _SPI_KEYS:
            raise TypeError("unknown Ethernet setting %r" % k)
        cfg[k] = v
    phy = cfg.get("phy")
    if phy in boards.RMII_PHYS:
        kind = "rmii"
        if chip is not None and chip != "esp32":
            raise ValueError("RMII Ethernet needs the original ESP32's EMAC; board %s is %s"
                             % (board, chip))
        for k in ("mdc", "mdio"):
            _pin_no(k, cfg.get(k), True)
        for k in ("power", "reset", "ref_clk"):
            _pin_no(k, cfg.get(k), False)
        if cfg.get("ref_clk_mode") not in (None, "in", "out"):
            raise ValueError("ref_clk_mode must be 'in' or 'out'")
    elif phy in boards.SPI_PHYS:
        kind = "spi"
        for k in ("sck", "mosi", "miso", "cs", "int"):
            _pin_no(k, cfg.get(k), True)  # no INT pin: the ESP32 driver cannot poll
        _pin_no("power", cfg.get("power"), False)
        _pin_no("reset", cfg.get("reset"), False)
        if cfg.get("spi") not in (1, 2):
            raise ValueError("spi must be the hardware SPI bus 1 or 2")
    else:
        raise ValueError("unknown phy %r; RMII: %s; SPI: %s" % (
            phy, ", ".join(boards.RMII_PHYS), ", ".join(boards.SPI_PHYS)))
    addr = cfg.get("phy_addr", 0)
    _netcore.int_in(addr, 0, 31, "phy_addr", ValueError)
    out = {"kind": kind, "phy_addr": addr}
    for k in _RMII_KEYS if kind == "rmii" else _SPI_KEYS:
        if k != "phy_addr":
            out[k] = cfg.get(k)
    return out


def _lan_kwargs(cfg):
    """network.LAN keyword arguments for a config() result."""
    from machine import Pin
    phy_type = getattr(network, "PHY_" + cfg["phy"], None)
    if phy_type is None:
        raise ValueError("this firmware has no %s driver (network.PHY_%s)" % (cfg["phy"], cfg["phy"]))
    kw = {"phy_type": phy_type, "phy_addr": cfg["phy_addr"]}
    if cfg["power"] is not None:
        kw["power"] = Pin(cfg["power"])
    if cfg["reset"] is not None:  # a separate PHY reset line (firmware v1.24+ only)
        kw["reset"] = Pin(cfg["reset"])
    if cfg["kind"] == "rmii":
        kw["mdc"] = Pin(cfg["mdc"])
        kw["mdio"] = Pin(cfg["mdio"])
        if cfg["ref_clk"] is not None:
            kw["ref_clk"] = Pin(cfg["ref_clk"])
        if cfg["ref_clk_mode"] is not None:
            kw["ref_clk_mode"] = Pin.IN if cfg["ref_clk_mode"] == "in" else Pin.OUT
    else:
        from machine import SPI
        kw["spi"] = SPI(cfg["spi"], sck=Pin(cfg["sck"]), mosi=Pin(cfg["mosi"]),
                        miso=Pin(cfg["miso"]))
        kw["cs"] = Pin(cfg["cs"])
        kw["int"] = Pin(cfg["int"])
    return kw


def init(board=None, **pins):
    """Create network.LAN (once per boot) and register it as the "eth" interface.
    A second init() with a different configuration raises ValueError."""
    global _driver
    cfg = config(board, **pins)
    nic = lan.create(cfg, lambda: _lan_kwargs(cfg))
    if _driver is None or _driver.nic is not nic:
        _driver = lan.Driver(nic, cfg)
    netlink.register("eth", _driver)
    return _driver


auto_init = init  # Zerynth's name
