# wifi: Zerynth's Wi-Fi API over whichever driver registered itself as "wifi"
# (drivers.wifi.esp32wifi on ESP32, drivers.host on the unix port). Times in ms.
#
#   from drivers.wifi import esp32wifi
#   esp32wifi.init()
#   from wireless import wifi
#   wifi.link("My SSID", wifi.WIFI_WPA2, "password")
from time import sleep_ms
import netlink
import netif
import _netcore
from netlink import (UP, NO_IP, CONNECTING, LinkError, WrongPassword, NoAccessPoint,
                     LinkTimeout, DhcpTimeout, on_change, remove, set_hostname)

WIFI_OPEN = 0
WIFI_WEP = 1
WIFI_WPA = 2
WIFI_WPA2 = 3
WIFI_WPA_WPA2 = 4
WIFI_WPA3 = 6
WIFI_WPA2_WPA3 = 7
_SECURITY = (WIFI_OPEN, WIFI_WEP, WIFI_WPA, WIFI_WPA2, WIFI_WPA_WPA2, WIFI_WPA3, WIFI_WPA2_WPA3)

DEFAULT_TIMEOUT = 15000

_link = netif.Link("wifi")


def _check_ssid(ssid):
    if type(ssid) is not str:
        raise TypeError("ssid must be a str, not %r" % (ssid,))
    if not 0 < len(ssid.encode()) <= 32:
        raise ValueError("ssid must be 1 to 32 bytes long: %r" % ssid)


def _check_security(security, password, for_ap=False):
    if security not in _SECURITY:
        raise ValueError("unknown security %r: use wifi.WIFI_OPEN, WIFI_WEP, WIFI_WPA, "
                         "WIFI_WPA2, WIFI_WPA_WPA2, WIFI_WPA3 or WIFI_WPA2_WPA3" % (security,))
    if type(password) is not str:
        raise TypeError("password must be a str")
    n = len(password.encode())
    if security == WIFI_OPEN:
        if n:
            raise ValueError("WIFI_OPEN takes no password")
    elif security == WIFI_WEP:
        if for_ap:
            raise ValueError("the ESP32 soft-AP does not support WEP")
        if n not in (5, 10, 13, 26):
            raise ValueError("a WEP key is 5 or 13 characters (10 or 26 hex digits)")
        if n == 10 or n == 26:
            _check_hex(password, "a %d-character WEP key" % n)
    elif not 8 <= n <= 64:
        raise ValueError("a WPA passphrase is 8 to 63 characters (or 64 hex digits)")
    elif n == 64:
        _check_hex(password, "a 64-character WPA key")


def _check_hex(key, what):
    # (the firmware would take it and the AP refuse it later, as a wrong password)
    for c in key:
        if c not in "0123456789abcdefABCDEF":
            raise ValueError("%s is hex digits, not %r" % (what, c))


def link(ssid, security, password="", timeout=DEFAULT_TIMEOUT, auto_reconnect=False):
    """Join `ssid`; return the IP address, or raise a LinkError subclass within
    timeout + 1 s. Already linked to `ssid`: returns at once. A connection already
    in progress to `ssid` is waited for, never restarted."""
    _check_ssid(ssid)
    _check_security(security, password)
    timeout = netif.check_timeout(timeout)
    drv = _link.driver()
    if drv.state() == UP and drv.ssid() == ssid:
        _link.target = (ssid, password)
        _link.set_auto(auto_reconnect)
        netlink.set_up("wifi")
        return drv.ifconfig()[0]

    def start(drv):
        st = drv.state()
        if st in (CONNECTING, NO_IP) and drv.ssid() == ssid:
            drv.start(None)  # in progress (boot.py, a soft reset): wait, don't connect again
        else:
            if st == UP:
                netlink.set_down("wifi")  # leaving another SSID
            drv.start(netlink.hostname)
            drv.disconnect()  # ends any other attempt or firmware retry loop first
            drv.set_ifconfig(_link.static)
            drv.connect(ssid, password)  # if ESP-IDF is still busy, the wait loop retries
        _link.target = (ssid, password)
        return lambda: drv.connect(ssid, password)

    return _link.bring_up(timeout, start, auto_reconnect)


def try_link(ssid, password, security=WIFI_WPA2, attempts=5, delay=2000, timeout=DEFAULT_TIMEOUT):
    """link() up to `attempts` times, `delay` ms apart; raise the last error."""
    _netcore.int_in(attempts, 1, None, "attempts", ValueError)
    delay = netif.check_timeout(delay)  # (ms, as the timeout)
    err = None
    for i in range(attempts):
        try:
            return link(ssid, security, password, timeout)
        except LinkError as e:
            err = e
        if i + 1 < attempts:
            sleep_ms(delay)
    raise err


# The calls both interfaces share are the link's own (netif.Link).
unlink, is_linked, link_info, set_link_info, gethostbyname = (
    _link.unlink, _link.is_linked, _link.link_info, _link.set_link_info, _link.gethostbyname)


def auto_reconnect(enable=True, first=None, maximum=None):
    """Reconnect after a drop, with exponential backoff from `first` to `maximum` ms."""
    _link.set_auto(enable, first, maximum)


def scan(duration=5000):
    """Tuple of (ssid, security, rssi, bssid). ESP32 scans all channels in ~2 s and
    ignores `duration`."""
    _netcore.int_in(duration, 1, _netcore.MAX_TIMEOUT_MS, "duration (ms)", ValueError)
    return tuple(_link.driver().scan(duration))


def rssi():
    """Signal strength of the current access point, in dBm."""
    if not _link.is_linked():
        raise LinkError("wifi is not linked: no rssi")
    return _link.driver().rssi()


def softap_init(ssid, security, password="", max_conn=4):
    _check_ssid(ssid)
    _check_security(security, password, for_ap=True)
    _netcore.int_in(max_conn, 1, 10, "max_conn", ValueError)
    _link.driver().ap_start(ssid, security, password, max_conn)


def softap_config(ip="192.168.4.1", gw=None, net="255.255.255.0", dns=None):
    cfg = netif.static_config(ip, net, gw or ip, dns or ip)
    if cfg is None:
        raise ValueError("the soft-AP needs a real address, not 0.0.0.0")
    _link.driver().ap_config(cfg)


def softap_get_info():
    """(ip, mask, gateway, dns, mac) of the soft-AP interface."""
    return _link.driver().ap_info()


def softap_off():
    _link.driver().ap_stop()
