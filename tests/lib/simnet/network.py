# Simulated ESP32 `network` module (tests only). It reproduces, fault by fault, the
# documented behaviour of MicroPython's ports/esp32/network_wlan.c, network_lan.c,
# network_common.c and modnetwork_globals.h on top of a simulated ESP-IDF:
#
# - WLAN.connect() is asynchronous; status() follows the firmware's own rules
#   (v1.22+, after PR #12932): STAT_GOT_IP once an address is held; else the last
#   "no AP" or auth reason (STAT_NO_AP_FOUND..., STAT_WRONG_PASSWORD, also for
#   CONNECTION_FAIL) even while the firmware is retrying; STAT_IDLE after
#   disconnect(); STAT_CONNECTING while a connection is requested and reconnects
#   remain; STAT_IDLE if nothing failed; else the raw ESP-IDF reason.
#   World(legacy_status=True) gives the older rules (STAT_CONNECTING hides every
#   reason while reconnects remain; the hostname is taken at active(True)).
# - the event handler reconnects on every disconnect while a connection is
#   requested: forever by default (config(reconnects=-1), stored as 0), else n times.
# - esp_wifi_connect() while connecting or connected fails with ESP_ERR_WIFI_CONN,
#   raised as OSError("Wifi Internal Error"); before active(True), "Wifi Not Started".
# - status('rssi') only answers while associated ("Wifi Not Connected" otherwise).
# - connect() hands network.hostname() to the netif: DHCP announces the name set
#   before connect() (before active(True) on legacy firmware, and for LAN).
# - network.LAN is a singleton: once created it returns the same object whatever
#   the arguments; a failed driver install leaks and fails again until reset.
# - LAN status: ETH_INITIALIZED -> ETH_STARTED -> ETH_CONNECTED (cable) ->
#   ETH_GOT_IP (DHCP); unplugging gives ETH_DISCONNECTED.
# Simulated time is a virtual clock (see _now): events run at their own due times and
# chain from there, so what the simulated firmware has done is a function of the
# simulated time that passed, never of how often (or how late, on a loaded machine)
# it was looked at. world.run(ms) moves it ahead at once, without waiting.
from time import ticks_ms, ticks_add, ticks_diff
from simnet import machine as _machine  # installed as `machine` by simnet.install()

# ---- constants (modnetwork_globals.h, ESP-IDF esp_wifi_types.h values)
STA_IF = 0
AP_IF = 1
STAT_IDLE = 1000
STAT_CONNECTING = 1001
STAT_GOT_IP = 1010
STAT_BEACON_TIMEOUT = 200
STAT_NO_AP_FOUND = 201
STAT_WRONG_PASSWORD = 202
STAT_ASSOC_FAIL = 203
STAT_CONNECT_FAIL = 203
STAT_HANDSHAKE_TIMEOUT = 204
STAT_NO_AP_FOUND_W_COMPATIBLE_SECURITY = 210
STAT_NO_AP_FOUND_IN_AUTHMODE_THRESHOLD = 211
STAT_NO_AP_FOUND_IN_RSSI_THRESHOLD = 212
REASON_ASSOC_LEAVE = 8  # what the firmware's own disconnect() leaves behind
REASON_CONNECTION_FAIL = 205  # no STAT_ name; current firmware reports it as AUTH_FAIL
AUTH_OPEN = 0
AUTH_WEP = 1
AUTH_WPA_PSK = 2
AUTH_WPA2_PSK = 3
AUTH_WPA_WPA2_PSK = 4
AUTH_WPA2_ENTERPRISE = 5
AUTH_WPA3_PSK = 6
AUTH_WPA2_WPA3_PSK = 7
ETH_INITIALIZED = 0
ETH_STARTED = 1
ETH_STOPPED = 2
ETH_CONNECTED = 3
ETH_DISCONNECTED = 4
ETH_GOT_IP = 5
PHY_LAN8710 = 0
PHY_LAN8720 = 1
PHY_IP101 = 2
PHY_RTL8201 = 3
PHY_DP83848 = 4
PHY_KSZ8041 = 5
PHY_KSZ8081 = 6
PHY_KSZ8851SNL = 100
PHY_DM9051 = 101
PHY_W5500 = 102
_SPI_PHYS = ("PHY_KSZ8851SNL", "PHY_DM9051", "PHY_W5500")



def _renumber():
    # Another firmware numbering: callers that compare names keep working,
    # callers that hard-code numbers break.
    g = globals()
    for name in list(g):
        if name.split("_")[0] in ("STAT", "AUTH", "ETH", "PHY", "REASON"):
            g[name] = g[name] + 5000
    for name in dir(WLAN):
        if name.startswith("SEC_"):
            setattr(WLAN, name, getattr(WLAN, name) + 5000)


# ---- the simulated world and ESP-IDF state


class AP:
    def __init__(self, ssid, password="", authmode=None, rssi=-55, channel=6,
                 bssid=b"\x24\x0a\xc4\x00\x00\x01", auth_failures=0, dhcp=True,
                 wrong_password_reason=None):
        self.ssid = ssid
        self.password = password
        self.authmode = AUTH_WPA2_PSK if authmode is None else authmode
        self.rssi = rssi
        self.channel = channel
        self.bssid = bssid
        self.auth_failures = auth_failures      # transient AUTH_FAILs before success
        self.dhcp = dhcp                        # False: associates, never leases
        self.wrong_password_reason = (STAT_WRONG_PASSWORD if wrong_password_reason is None
                                      else wrong_password_reason)
        self.subnet = "192.168.%d." % (10 + channel)


class EthHW:
    """The Ethernet hardware actually on the (simulated) board."""

    def __init__(self, phy="LAN8720", phy_addr=0, mdc=23, mdio=18, power=None, ref_clk=None,
                 ref_clk_mode=None, spi=None, cs=None, int=None, cable=True, dhcp=True,
                 reset=None):
        self.phy = phy
        self.phy_addr = phy_addr
        self.pins = {"mdc": mdc, "mdio": mdio, "power": power, "ref_clk": ref_clk,
                     "cs": cs, "int": int, "reset": reset}
        self.ref_clk_mode = ref_clk_mode
        self.spi = spi            # (bus, sck, mosi, miso) for SPI chips
        self.cable = cable
        self.dhcp = dhcp


class World:
    def __init__(self, aps=(), eth=None, assoc_ms=20, auth_fail_ms=30, noap_ms=50,
                 dhcp_ms=20, link_ms=20, scan_ms=10, legacy_status=False):
        self.legacy_status = legacy_status
        self.aps = {}
        for ap in aps:
            self.aps[ap.ssid] = ap
        self.eth = eth
        self.assoc_ms = assoc_ms
        self.auth_fail_ms = auth_fail_ms
        self.noap_ms = noap_ms
        self.dhcp_ms = dhcp_ms
        self.link_ms = link_ms
        self.scan_ms = scan_ms
        self.leases = []          # (interface, hostname announced) for each DHCP lease
        self.connect_calls = 0    # WLAN.connect() calls made by Python code
        self.attempts = []        # simulated time (world.now()) of every association attempt
        self.lan_calls = 0

    # -- faults a test injects
    def remove_ap(self, ssid):
        self.aps.pop(ssid, None)

    def add_ap(self, ap):
        self.aps[ap.ssid] = ap

    def drop(self, reason=None):
        """The AP vanishes from the air for a moment (beacon timeout by default)."""
        _advance()
        if _sta.associated:
            _sta_disconnected(STAT_BEACON_TIMEOUT if reason is None else reason)

    def unplug(self):
        _advance()
        self.eth.cable = False
        if _lan.active and _lan.status in (ETH_CONNECTED, ETH_GOT_IP):
            _cancel("eth")
            _lan.status = ETH_DISCONNECTED
            _lan.clear_ip()

    def plug(self):
        _advance()
        self.eth.cable = True
        if _lan.active and _lan.status in (ETH_STARTED, ETH_DISCONNECTED):
            _sched(self.link_ms, "eth", _eth_link_up)

    def advance(self):
        _advance()

    def run(self, ms):
        """Let ms of simulated time pass now (no waiting): every event due meanwhile
        happens, in order, each at its own time."""
        global _offset
        _offset += ms
        _advance()

    def now(self):
        """The simulated clock, in ticks_ms units (world.attempts uses it)."""
        return _now()


# events: [due_ticks, channel, epoch, fn]; a channel's epoch bump cancels its events
_events = []
_epochs = {}
# The virtual clock: the machine's ticks_ms plus what world.run() added, never going
# back; while an event runs it reads that event's due time, so what the event
# schedules is timed from when it happened, not from when the simulation noticed.
_offset = 0
_clock = ticks_ms()


def _now():
    global _clock
    t = ticks_add(ticks_ms(), _offset)
    if ticks_diff(t, _clock) > 0:
        _clock = t
    return _clock


def _sched(delay, chan, fn):
    _events.append([ticks_add(_clock, delay), chan, _epochs.get(chan, 0), fn])


def _cancel(chan):
    _epochs[chan] = _epochs.get(chan, 0) + 1


def _advance():
    # Run every event due by now, earliest first, each with the clock at its due time.
    global _clock
    now = _now()
    while True:
        due = None
        for ev in _events:
            if ticks_diff(ev[0], now) <= 0 and (due is None or ticks_diff(ev[0], due[0]) < 0):
                due = ev
        if due is None:
            break
        _events.remove(due)
        if _epochs.get(due[1], 0) == due[2]:
            _clock = due[0]
            try:
                due[3]()
            finally:
                _clock = now


class _If:
    """IP configuration of one esp_netif."""

    def __init__(self, mac):
        self.mac = mac
        self.dhcp = True
        self.ip = ("0.0.0.0", "0.0.0.0", "0.0.0.0", "0.0.0.0")
        self.static = None
        self.hostname = None

    def clear_ip(self):
        if self.dhcp:
            self.ip = ("0.0.0.0", "0.0.0.0", "0.0.0.0", "0.0.0.0")

    def lease(self, subnet, iface):
        self.ip = (subnet + "42", "255.255.255.0", subnet + "1", subnet + "1")
        world.leases.append((iface, self.hostname))


class _Sta(_If):
    def __init__(self):
        _If.__init__(self, b"\x24\x0a\xc4\x11\x22\x33")
        self.connect_requested = False
        self.connected = False      # wifi_sta_connected: has an IP
        self.reason = 0             # wifi_sta_disconn_reason
        self.conf_reconnects = 0    # 0 = forever (reconnects=-1)
        self.reconnects = 0
        self.connecting = False     # IDF: an association attempt is running
        self.associated = False
        self.ssid = ""
        self.key = ""
        self.ap = None


class _Lan(_If):
    def __init__(self):
        _If.__init__(self, b"\x24\x0a\xc4\x44\x55\x66")
        self.initialized = False
        self.active = False
        self.status = ETH_INITIALIZED
        self.leaked = False


world = World()
_hostname = "espressif"
_wifi_started = False
_mode_sta = False
_mode_ap = False
_sta = _Sta()
_ap = _If(b"\x24\x0a\xc4\x11\x22\x34")
_ap.ip = ("192.168.4.1", "255.255.255.0", "192.168.4.1", "0.0.0.0")
_ap_cfg = {"ssid": "ESP_112234", "key": "", "authmode": AUTH_OPEN, "max_clients": 10,
           "channel": 1, "hidden": False}
_lan = _Lan()


def _boot(**kw):
    global world, _hostname, _wifi_started, _mode_sta, _mode_ap, _sta, _ap, _lan
    _events[:] = []
    world = World(**kw)
    _hostname = "espressif"
    _wifi_started = _mode_sta = _mode_ap = False
    _sta = _Sta()
    _ap = _If(b"\x24\x0a\xc4\x11\x22\x34")
    _ap.ip = ("192.168.4.1", "255.255.255.0", "192.168.4.1", "0.0.0.0")
    _ap_cfg.update({"ssid": "ESP_112234", "key": "", "authmode": AUTH_OPEN})
    _lan = _Lan()
    return world


# ---- simulated ESP-IDF Wi-Fi


def _esp_wifi_connect():
    if not _wifi_started:
        raise OSError("Wifi Not Started")
    if not _mode_sta:
        raise OSError("Wifi Invalid Mode")
    if _sta.connecting or _sta.associated:
        raise OSError("Wifi Internal Error")  # ESP_ERR_WIFI_CONN: "sta is connecting"
    _attempt()


def _attempt():
    _sta.connecting = True
    world.attempts.append(_clock)
    ap = world.aps.get(_sta.ssid)
    if ap is None:
        _sched(world.noap_ms, "sta", lambda: _sta_disconnected(STAT_NO_AP_FOUND))
    elif ap.authmode != AUTH_OPEN and ap.password != _sta.key:
        r = ap.wrong_password_reason
        _sched(world.auth_fail_ms, "sta", lambda: _sta_disconnected(r))
    elif ap.auth_failures > 0:
        ap.auth_failures -= 1  # the transient auth failure ESP32 users see
        _sched(world.auth_fail_ms, "sta", lambda: _sta_disconnected(STAT_WRONG_PASSWORD))
    else:
        _sched(world.assoc_ms, "sta", lambda: _sta_associated(ap))


def _sta_associated(ap):
    _sta.connecting = False
    _sta.associated = True
    _sta.ap = ap
    if not _sta.dhcp:
        _sta.ip = _sta.static
        _sta.connected = True
        _sta.reason = 0
    elif ap.dhcp:
        _sched(world.dhcp_ms, "sta", lambda: _sta_got_ip(ap))


def _sta_got_ip(ap):
    _sta.lease(ap.subnet, "sta")
    _sta.connected = True
    _sta.reason = 0


def _sta_disconnected(reason):
    # network_wlan_event_handler, SYSTEM_EVENT_STA_DISCONNECTED
    _cancel("sta")
    _sta.connecting = False
    _sta.associated = False
    _sta.ap = None
    _sta.reason = reason
    _sta.connected = False
    _sta.clear_ip()
    if _sta.connect_requested and _mode_sta:
        if _sta.conf_reconnects:
            _sta.reconnects += 1
            if _sta.reconnects >= _sta.conf_reconnects:
                return
        _attempt()


def _require_if(obj, if_id):
    if obj._if != if_id:
        raise OSError("STA required" if if_id == STA_IF else "AP required")


def _parse_ip(s):
    if type(s) is not str:
        raise TypeError("can't convert to str implicitly")
    parts = s.split(".")
    if len(parts) != 4 or not all(p.isdigit() and int(p) < 256 for p in parts):
        raise ValueError("invalid arguments")
    return s


def _ifconfig(netif, is_sta_or_eth, args, on_static):
    if not args:
        return netif.ip
    cfg = args[0]
    if type(cfg) in (tuple, list):
        if len(cfg) != 4:
            raise ValueError("tuple/list has wrong length")
        for a in cfg:
            _parse_ip(a)
        netif.static = tuple(cfg)
        netif.ip = tuple(cfg)
        if is_sta_or_eth:
            netif.dhcp = False
            on_static()
        return None
    if not is_sta_or_eth or cfg != "dhcp":
        raise ValueError("invalid arguments")
    netif.dhcp = True
    return None


def _ipconfig(netif, args, kw):
    if args:
        if args[0] == "addr4":
            return netif.ip[:2]
        if args[0] == "gw4":
            return netif.ip[2]
        if args[0] == "dhcp4":
            return netif.dhcp
        raise ValueError("unexpected key")
    for k in kw:
        if k == "dhcp4":
            netif.dhcp = bool(kw[k])
        else:
            raise ValueError("unexpected key")
    return None


class WLAN:
    IF_STA = STA_IF
    IF_AP = AP_IF
    SEC_OPEN = AUTH_OPEN
    SEC_WEP = AUTH_WEP
    SEC_WPA = AUTH_WPA_PSK
    SEC_WPA2 = AUTH_WPA2_PSK
    SEC_WPA_WPA2 = AUTH_WPA_WPA2_PSK
    SEC_WPA3 = AUTH_WPA3_PSK
    SEC_WPA2_WPA3 = AUTH_WPA2_WPA3_PSK
    PM_NONE = 0
    PM_PERFORMANCE = 1
    PM_POWERSAVE = 2
    _objs = {}

    def __new__(cls, interface_id=STA_IF):
        if interface_id not in (STA_IF, AP_IF):
            raise ValueError("invalid WLAN interface identifier")
        o = WLAN._objs.get(interface_id)
        if o is None:
            o = object.__new__(cls)
            o._if = interface_id
            WLAN._objs[interface_id] = o
        return o

    def __init__(self, interface_id=STA_IF):
        pass

    def active(self, *args):
        global _wifi_started, _mode_sta, _mode_ap
        _advance()
        if args:
            on = bool(args[0])
            if self._if == STA_IF:
                was = _wifi_started and _mode_sta
                _mode_sta = on
                if on and not was:
                    _sta.reconnects = 0          # WIFI_EVENT_STA_START
                    if world.legacy_status:
                        _sta.hostname = _hostname  # old firmware: the name at start
                elif not on and was:
                    _cancel("sta")
                    if _sta.associated or _sta.connecting:
                        _sta.connecting = False
                        _sta.associated = False
                        _sta.connected = False
                        _sta.reason = REASON_ASSOC_LEAVE
                        _sta.clear_ip()
            else:
                _mode_ap = on
            _wifi_started = _mode_sta or _mode_ap
        return (_mode_sta if self._if == STA_IF else _mode_ap) and _wifi_started

    def connect(self, ssid=None, key=None, *, bssid=None):
        _advance()
        world.connect_calls += 1
        if ssid is not None:
            if type(ssid) is not str:
                raise TypeError("can't convert to str implicitly")
            _sta.ssid = ssid[:32]
            _sta.key = ""
        if key is not None:
            _sta.key = key[:64]
        if bssid is not None and len(bssid) != 6:
            raise ValueError()
        if not world.legacy_status:
            _sta.hostname = _hostname  # esp_netif_set_hostname() before esp_wifi_connect()
        _sta.reconnects = 0
        _esp_wifi_connect()
        _sta.connect_requested = True

    def disconnect(self):
        _advance()
        _sta.connect_requested = False
        if not _wifi_started:
            raise OSError("Wifi Not Started")
        if _sta.connecting or _sta.associated:
            _sta_disconnected(REASON_ASSOC_LEAVE)

    def status(self, *args):
        _advance()
        if not args:
            if self._if != STA_IF:
                return None
            if _sta.connected:
                return STAT_GOT_IP
            r = _sta.reason
            if not world.legacy_status:
                if r in (STAT_NO_AP_FOUND, STAT_NO_AP_FOUND_IN_RSSI_THRESHOLD,
                         STAT_NO_AP_FOUND_IN_AUTHMODE_THRESHOLD,
                         STAT_NO_AP_FOUND_W_COMPATIBLE_SECURITY):
                    return r
                if r in (STAT_WRONG_PASSWORD, REASON_CONNECTION_FAIL):
                    return STAT_WRONG_PASSWORD
                if r == REASON_ASSOC_LEAVE:
                    return STAT_IDLE  # after disconnect()
            if _sta.connect_requested and (_sta.conf_reconnects == 0
                                           or _sta.reconnects < _sta.conf_reconnects):
                return STAT_CONNECTING
            if _sta.reason == 0:
                return STAT_IDLE
            return _sta.reason
        if args[0] == "rssi":
            _require_if(self, STA_IF)
            if not _sta.associated:
                raise OSError("Wifi Not Connected")  # esp_wifi_sta_get_ap_info
            return _sta.ap.rssi
        if args[0] == "stations":
            _require_if(self, AP_IF)
            return []
        raise ValueError("unknown status param")

    def isconnected(self):
        _advance()
        if self._if == STA_IF:
            return _sta.connected
        return False

    def scan(self):
        _advance()
        if not (_wifi_started and _mode_sta):
            raise OSError("STA must be active")
        return [(ap.ssid.encode(), ap.bssid, ap.channel, ap.rssi, ap.authmode, False)
                for ap in world.aps.values()]

    def config(self, *args, **kw):
        _advance()
        if len(args) and kw:
            raise TypeError("either pos or kw args are allowed")
        sta = self._if == STA_IF
        if kw:
            for k, v in kw.items():
                req = -1
                if k == "mac":
                    if len(v) != 6:
                        raise ValueError("invalid buffer length")
                    (_sta if sta else _ap).mac = bytes(v)
                elif k in ("ssid", "essid"):
                    req = AP_IF
                    _ap_cfg["ssid"] = v[:32]
                elif k == "hidden":
                    req = AP_IF
                    _ap_cfg["hidden"] = bool(v)
                elif k in ("security", "authmode"):
                    req = AP_IF
                    _ap_cfg["authmode"] = int(v)
                elif k in ("key", "password"):
                    req = AP_IF
                    _ap_cfg["key"] = v[:63]
                elif k == "channel":
                    _ap_cfg["channel"] = int(v)
                elif k == "max_clients":
                    req = AP_IF
                    _ap_cfg["max_clients"] = int(v)
                elif k == "reconnects":
                    req = STA_IF
                    v = int(v)
                    _sta.conf_reconnects = 0 if v == -1 else v + 1
                elif k in ("txpower", "pm", "protocol", "dhcp_hostname", "hostname"):
                    pass
                else:
                    raise ValueError("unknown config param")
                if req >= 0:
                    _require_if(self, req)
            return None
        if len(args) != 1:
            raise TypeError("can query only one param")
        k = args[0]
        if k == "mac":
            return (_sta if sta else _ap).mac
        if k in ("ssid", "essid"):
            return _sta.ssid if sta else _ap_cfg["ssid"]
        if k == "channel":
            return _sta.ap.channel if sta and _sta.ap else _ap_cfg["channel"]
        if k in ("security", "authmode", "hidden"):
            _require_if(self, AP_IF)
            return _ap_cfg["authmode" if k != "hidden" else "hidden"]
        if k == "max_clients":
            return _ap_cfg["max_clients"]
        if k == "reconnects":
            _require_if(self, STA_IF)
            return _sta.conf_reconnects - 1
        raise ValueError("unknown config param")

    def ifconfig(self, *args):
        _advance()
        if self._if == STA_IF:
            def on_static():
                if _sta.associated:  # esp_netif_set_ip_info on an up netif: GOT_IP
                    _sta.connected = True
            return _ifconfig(_sta, True, args, on_static)
        if not _mode_ap and args:
            raise OSError("Wifi Not Started")
        return _ifconfig(_ap, False, args, lambda: None)

    def ipconfig(self, *args, **kw):
        _advance()
        return _ipconfig(_sta if self._if == STA_IF else _ap, args, kw)


def hostname(*args):
    global _hostname
    if args:
        name = args[0]
        if type(name) is not str:
            raise TypeError("can't convert to str implicitly")
        if len(name) >= 32 + 1:
            raise ValueError()
        _hostname = name
        return None
    return _hostname


# ---- simulated ESP-IDF Ethernet


def _eth_link_up():
    if not (_lan.active and world.eth.cable):
        return
    _lan.status = ETH_CONNECTED
    if not _lan.dhcp:
        _lan.ip = _lan.static
        _lan.status = ETH_GOT_IP
    elif world.eth.dhcp:
        _sched(world.dhcp_ms, "eth", _eth_got_ip)


def _eth_got_ip():
    _lan.lease("10.0.0.", "eth")
    _lan.status = ETH_GOT_IP


_LAN_ARGS = ("id", "mdc", "mdio", "reset", "power", "phy_addr", "phy_type", "spi", "cs",
             "int", "ref_clk_mode", "ref_clk")


def _pin_id(p):
    if p is None:
        return None
    if not isinstance(p, _machine.Pin):
        raise TypeError("expecting a Pin")
    return p.id


def LAN(*args, **kw):
    _advance()
    world.lan_calls += 1
    if _lan.initialized:
        return _lan_obj  # the singleton: arguments are not even looked at
    if len(args) > 1:
        raise TypeError("function takes 1 positional arguments but %d were given" % len(args))
    for k in kw:
        if k not in _LAN_ARGS:
            raise TypeError("unexpected keyword argument '%s'" % k)
    for k in ("phy_addr", "phy_type"):
        if k not in kw:
            raise TypeError("'%s' argument required" % k)
    lan_id = args[0] if args else kw.get("id")
    if lan_id is not None and lan_id != 0:
        raise ValueError("invalid LAN interface identifier")
    pins = {}
    for k in ("mdc", "mdio", "reset", "power", "cs", "int", "ref_clk"):
        pins[k] = _pin_id(kw.get(k))
    addr = kw["phy_addr"]
    if not 0 <= addr <= 0x1F:
        raise ValueError("invalid phy address")
    phy = None
    for name in ("PHY_LAN8710", "PHY_LAN8720", "PHY_IP101", "PHY_RTL8201", "PHY_DP83848",
                 "PHY_KSZ8041", "PHY_KSZ8081") + _SPI_PHYS:
        if globals()[name] == kw["phy_type"]:
            phy = name
    if phy is None:
        raise ValueError("invalid phy type")
    spi = None
    if phy in _SPI_PHYS:
        s = kw.get("spi")
        if not isinstance(s, _machine.SPI):
            raise TypeError("expecting an SPI object")
        spi = (s.id,) + s.pins
    elif pins["mdc"] is None or pins["mdio"] is None:
        raise ValueError("mdc and mdio must be specified")
    # esp_eth_driver_install: fails when the PHY does not answer as configured
    hw = world.eth
    ok = hw is not None and not _lan.leaked and phy == "PHY_" + hw.phy and addr == hw.phy_addr
    if ok:
        if spi is not None:
            ok = spi == hw.spi and pins["cs"] == hw.pins["cs"] and pins["int"] == hw.pins["int"]
        else:
            mode = kw.get("ref_clk_mode", -1)
            mode = None if mode == -1 else ("in" if mode == _machine.Pin.IN else "out")
            ok = (pins["mdc"] == hw.pins["mdc"] and pins["mdio"] == hw.pins["mdio"]
                  and pins["ref_clk"] == hw.pins["ref_clk"] and mode == hw.ref_clk_mode)
        # an unpowered PHY, or one held in reset, never answers
        ok = ok and pins["power"] == hw.pins["power"] and pins["reset"] == hw.pins["reset"]
    if not ok:
        _lan.leaked = True  # the netif and GPIOs stay claimed until a reset
        raise OSError("esp_eth_driver_install failed")
    _lan.initialized = True
    _lan.status = ETH_INITIALIZED
    return _lan_obj


class _LanObj:
    def active(self, *args):
        _advance()
        if args:
            if args[0]:
                if not _lan.active:
                    _lan.active = True
                    _lan.hostname = _hostname
                    _lan.status = ETH_STARTED
                    if world.eth.cable:
                        _sched(world.link_ms, "eth", _eth_link_up)
            elif _lan.active:
                _cancel("eth")
                _lan.active = False
                _lan.status = ETH_STOPPED
                _lan.clear_ip()
        return _lan.active

    def status(self):
        _advance()
        return _lan.status

    def isconnected(self):
        _advance()
        return _lan.status == ETH_GOT_IP

    def ifconfig(self, *args):
        _advance()

        def on_static():
            if _lan.status == ETH_CONNECTED:
                _lan.status = ETH_GOT_IP
        return _ifconfig(_lan, True, args, on_static)

    def ipconfig(self, *args, **kw):
        _advance()
        return _ipconfig(_lan, args, kw)

    def config(self, *args, **kw):
        if args and kw:
            raise TypeError("either pos or kw args are allowed")
        if kw:
            for k, v in kw.items():
                if k == "mac":
                    if len(v) != 6:
                        raise ValueError("invalid buffer length")
                    _lan.mac = bytes(v)
            return None
        if len(args) != 1:
            raise TypeError("can query only one param")
        if args[0] == "mac":
            return _lan.mac
        raise ValueError("unknown config param")


_lan_obj = _LanObj()
