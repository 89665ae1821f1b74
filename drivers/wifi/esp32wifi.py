# esp32wifi: network.WLAN (station and soft-AP) on ESP32, S2, S3, C3 and C6.
#
# Maps the firmware's status codes onto netlink states. Codes are looked up by
# their network.STAT_* names, never by number: they are ESP-IDF reason codes that
# differ between firmware versions and chips.
import network
import netlink
from netlink import DOWN, CONNECTING, NO_IP, UP, FAIL_AUTH, FAIL_NOAP, FAIL

_STATES = {}  # type: dict  # status value -> (netlink state, name)


def _names(names, state):
    for name in names:
        value = getattr(network, name, None)
        if value is not None and value not in _STATES:
            _STATES[value] = (state, name)


_names(("STAT_GOT_IP",), UP)
_names(("STAT_CONNECTING",), CONNECTING)
_names(("STAT_IDLE",), DOWN)
# ESP-IDF reports a wrong PSK as AUTH_FAIL or as a 4-way handshake timeout
_names(("STAT_WRONG_PASSWORD", "STAT_HANDSHAKE_TIMEOUT"), FAIL_AUTH)
_names(("STAT_NO_AP_FOUND", "STAT_NO_AP_FOUND_IN_RSSI_THRESHOLD",
        "STAT_NO_AP_FOUND_IN_AUTHMODE_THRESHOLD", "STAT_NO_AP_FOUND_W_COMPATIBLE_SECURITY"),
       FAIL_NOAP)
_names(("STAT_BEACON_TIMEOUT", "STAT_ASSOC_FAIL", "STAT_CONNECT_FAIL"), FAIL)

# Zerynth security constant <-> ESP-IDF authmode, by name
_AUTH = (("AUTH_OPEN", 0), ("AUTH_WEP", 1), ("AUTH_WPA_PSK", 2), ("AUTH_WPA2_PSK", 3),
         ("AUTH_WPA_WPA2_PSK", 4), ("AUTH_WPA2_ENTERPRISE", 3), ("AUTH_WPA3_PSK", 6),
         ("AUTH_WPA2_WPA3_PSK", 7))
_WIFI_WPA2 = 3
_BUSY = "Wifi Internal Error"  # esp_wifi_connect() while an attempt is running


def _authmode(security):
    for name, sec in _AUTH:
        if sec == security and name != "AUTH_WPA2_ENTERPRISE":
            value = getattr(network, name, None)
            if value is not None:
                return value
    raise ValueError("this firmware has no authmode for security %r" % security)


def _security(authmode):
    for name, sec in _AUTH:
        if getattr(network, name, None) == authmode:
            return sec
    return _WIFI_WPA2  # newer modes (OWE, WAPI, WPA3-ENT...) look like WPA2 to Zerynth code


class Driver:
    """The "wifi" driver: one station interface, one soft-AP interface."""

    def __init__(self):
        self.sta = network.WLAN(network.WLAN.IF_STA)
        self.ap = network.WLAN(network.WLAN.IF_AP)
        self._requested = False   # we asked for a connection and did not cancel it
        self._static = False      # a static address is set: DHCP is off
        self._named = None        # the hostname the interface was started with, by us
        self._last = 0            # last status()
        self._assoc = False       # associated without an address at the last state()

    def start(self, hostname):
        """Activate the station, with the hostname set first (older firmware hands
        it to DHCP at start, current firmware at connect())."""
        sta = self.sta
        if hostname is not None:
            if sta.active() and self._named != hostname and sta.status() != network.STAT_GOT_IP:
                sta.active(False)  # started under another name: restart while idle
            if network.hostname() != hostname:
                network.hostname(hostname)
        if not sta.active():
            sta.active(True)
            self._named = network.hostname()
        # No firmware retries: each connect() is one attempt and we decide (the
        # default loops forever; older firmware also hid the reason meanwhile).
        # Only set when needed: config() rewrites the STA config, which could
        # disturb an attempt already running.
        if sta.config("reconnects") != 0:
            sta.config(reconnects=0)
        if sta.status() == network.STAT_CONNECTING:
            self._requested = True  # boot.py's connection in progress: ours to judge now

    def connect(self, ssid, password):
        """Start one attempt; False if ESP-IDF is still busy with the previous one
        (it refuses with ESP_ERR_WIFI_CONN, "Wifi Internal Error")."""
        try:
            self.sta.connect(ssid, password)
        except OSError as e:
            if not e.args or e.args[0] != _BUSY:
                raise
            self._requested = True  # an attempt is running: its outcome is ours
            return False
        self._requested = True
        return True

    def disconnect(self):
        self._requested = False
        if self.sta.active():
            self.sta.disconnect()

    def state(self):
        s = self.sta.status()
        self._last = s
        self._assoc = False
        st = _STATES.get(s, (FAIL, None))[0]
        if st == UP:
            return UP
        if not self._requested and st != CONNECTING:
            return DOWN  # idle, or a reason left over from an earlier disconnect()
        # A connection is requested. Current firmware keeps showing the previous
        # reason (STAT_IDLE after a disconnect(), or the last failure) while a new
        # attempt runs, so association is checked directly.
        self._assoc = self._associated()
        if self._assoc:
            return NO_IP
        if st == DOWN:
            return CONNECTING
        return st

    def _associated(self):
        # status('rssi') only answers while associated: "associated, waiting for DHCP"
        try:
            self.sta.status("rssi")
            return True
        except OSError:
            return False

    def reason(self):
        s = self._last
        if self._assoc:
            return "associated, no DHCP lease yet (status %d)" % s
        name = _STATES.get(s, (0, None))[1]
        return "status %s" % (name or "reason code %d" % s)

    def ssid(self):
        if not self.sta.active():
            return None
        return self.sta.config("ssid") or None

    def ifconfig(self):
        return self.sta.ifconfig()

    def set_ifconfig(self, cfg):
        if not self.sta.active():
            self.sta.active(True)
        if cfg is None:
            if self._static:
                self.sta.ipconfig(dhcp4=True)
        else:
            self.sta.ifconfig(cfg)
        self._static = cfg is not None

    def mac(self):
        return self.sta.config("mac")

    def rssi(self):
        return self.sta.status("rssi")

    def scan(self, duration):
        if not self.sta.active():
            self.sta.active(True)
        out = []
        for ssid, bssid, channel, rssi, authmode, hidden in self.sta.scan():
            out.append((ssid.decode(), _security(authmode), rssi, bssid))
        return out

    def ap_start(self, ssid, security, password, max_conn):
        ap = self.ap
        if not ap.active():
            ap.active(True)  # ESP32 refuses AP config before the interface is active
        ap.config(ssid=ssid, key=password, security=_authmode(security), max_clients=max_conn)

    def ap_config(self, cfg):
        if not self.ap.active():
            raise netlink.LinkError("softap_init() first")
        self.ap.ifconfig(cfg)

    def ap_info(self):
        ip, mask, gw, dns = self.ap.ifconfig()
        return (ip, mask, gw, dns, self.ap.config("mac"))

    def ap_address(self):
        """The access point's IPv4 address while it is active, else None."""
        return self.ap.ifconfig()[0] if self.ap.active() else None

    def ap_stop(self):
        self.ap.active(False)


_driver = None


def init():
    """Create the driver (once) and register it as the "wifi" interface."""
    global _driver
    if _driver is None:
        _driver = Driver()
    netlink.register("wifi", _driver)
    return _driver


auto_init = init  # Zerynth's name
