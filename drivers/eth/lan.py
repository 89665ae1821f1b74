# lan: the network.LAN singleton and its status codes, shared by every ESP32
# Ethernet kind (RMII PHYs and SPI chips).
#
# network.LAN can be created once per boot: a second call returns the first object
# whatever its arguments, and a failed init leaks its resources until a reset. So
# we remember the configuration and refuse a different one with a clear error.
import network
import netlink
from netlink import DOWN, NO_IP, UP, NO_CABLE, PhyInitFailed

_STATES = {}  # type: dict  # status value -> (netlink state, name)


def _names(names, state):
    for name in names:
        value = getattr(network, name, None)
        if value is not None:
            _STATES[value] = (state, name)


_names(("ETH_INITIALIZED", "ETH_STOPPED"), DOWN)
_names(("ETH_STARTED", "ETH_DISCONNECTED"), NO_CABLE)  # started, PHY reports no link
_names(("ETH_CONNECTED",), NO_IP)                      # link up, DHCP pending
_names(("ETH_GOT_IP",), UP)

_nic = None
_config = None


def describe(config):
    return ", ".join("%s=%s" % kv for kv in sorted(config.items()))


def create(config, make_kwargs):
    """Create network.LAN once for `config` (a dict of plain values); make_kwargs()
    builds the real keyword arguments (Pin and SPI objects) only when needed."""
    global _nic, _config
    if _nic is not None:
        if config != _config:
            raise ValueError("network.LAN is already initialised (%s) and ESP32 cannot "
                             "re-create it with other settings (%s): machine.reset() first"
                             % (describe(_config), describe(config)))
        return _nic
    kwargs = make_kwargs()
    try:
        # The published stub's LAN signature is the generic one and lacks the ESP32
        # keywords (mdc, mdio, power, ref_clk, spi, cs, int): pass them as a dict.
        nic = network.LAN(0, **kwargs)
    except OSError as e:
        raise PhyInitFailed("Ethernet PHY init failed (%s) with %s: check phy, phy_addr, "
                            "mdc/mdio, power and ref_clk; after a failed init ESP32 needs "
                            "machine.reset()" % (e, describe(config)))
    except ValueError as e:
        raise ValueError("network.LAN rejected %s: %s" % (describe(config), e))
    _nic = nic
    _config = config
    return nic


class Driver:
    """The "eth" driver over the network.LAN singleton."""

    def __init__(self, nic, config):
        self.nic = nic
        self.config = config
        self._static = False
        self._named = None  # the hostname the interface was started with, by us
        self._last = 0

    def start(self, hostname):
        nic = self.nic
        if hostname is not None:
            if nic.active() and self._named != hostname and nic.status() != network.ETH_GOT_IP:
                nic.active(False)  # DHCP announces the name the interface started with
            if network.hostname() != hostname:
                network.hostname(hostname)
        if not nic.active():
            try:
                nic.active(True)
            except OSError as e:
                raise PhyInitFailed("Ethernet start failed (%s) with %s" % (e, describe(self.config)))
            self._named = network.hostname()

    def connect(self):
        self.start(netlink.hostname)

    def disconnect(self):
        if self.nic.active():
            self.nic.active(False)

    def state(self):
        s = self.nic.status()
        self._last = s
        return _STATES.get(s, (DOWN, None))[0]

    def reason(self):
        name = _STATES.get(self._last, (0, None))[1]
        return "status %s" % (name or self._last)

    def ssid(self):
        return None

    def ifconfig(self):
        return self.nic.ifconfig()

    def set_ifconfig(self, cfg):
        if cfg is None:
            if self._static:
                self.nic.ifconfig("dhcp")
        else:
            self.nic.ifconfig(cfg)
        self._static = cfg is not None

    def mac(self):
        return self.nic.config("mac")
