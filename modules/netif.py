# netif: the logic wifi and eth share on top of a driver (see docs/networking.md).
#
# A driver reports netlink states (DOWN, CONNECTING, NO_IP, UP, FAIL_*, NO_CABLE);
# Link turns them into a blocking, bounded link(), typed errors, link-state
# notifications and the optional reconnect supervisor with exponential backoff.
from time import ticks_ms, ticks_add, ticks_diff, sleep_ms
import netlink
import _netcore
from netlink import (UP, NO_IP, CONNECTING, DOWN, FAIL, FAIL_AUTH, FAIL_NOAP, NO_CABLE,
                     LinkError, WrongPassword, NoAccessPoint, LinkTimeout, DhcpTimeout, NoCable)

POLL_MS = 50           # status polling period while waiting
RETRY_PAUSE_MS = 200   # pause before retrying a failed attempt, and between probes
AUTH_CONFIRM = 3       # consecutive auth failures before WrongPassword (transients exist)
NOAP_CONFIRM = 2       # consecutive "no AP" results before NoAccessPoint
_MAX_TIMEOUT = _netcore.MAX_TIMEOUT_MS


def check_timeout(timeout):
    """A link timeout -> whole ms, checked as a socket's (int or float, rounded up;
    TypeError, ValueError below 0, OverflowError above the ticks range), but never None:
    a link attempt always ends."""
    if timeout is None:
        raise TypeError("a link timeout is milliseconds (int or float), not None")
    return _netcore.check_timeout(timeout)


def ip4(addr, what="address"):
    """Validate a dotted-quad string; return it unchanged."""
    if type(addr) is not str:
        raise TypeError("%s must be a str like '192.168.1.10', not %r" % (what, addr))
    if _netcore.pton4(addr) is None:
        raise ValueError("%s %r is not a dotted-quad IPv4 address" % (what, addr))
    return addr


def static_config(ip, mask, gateway, dns):
    """set_link_info() arguments -> (ip, mask, gw, dns), or None for DHCP ('0.0.0.0')."""
    ip4(ip, "ip")
    if ip == "0.0.0.0":
        return None
    mask = ip4(mask or "255.255.255.0", "mask")
    if gateway is None:
        gateway = ip[:ip.rfind(".")] + ".1"
    gateway = ip4(gateway, "gateway")
    dns = ip4(dns or "8.8.8.8", "dns")
    return (ip, mask, gateway, dns)


def ensure_driver(kind, board=None):
    """Without an explicit driver init(), pick the one this board needs: the host
    driver on the unix port, esp32wifi / esp32eth (from the board preset) on ESP32."""
    if board is None and netlink.has_driver(kind):
        return
    from drivers import boards
    name = board or boards.default()
    if name is None:
        import sys
        raise LinkError("no %s driver for the %r port: call a driver's init() or pass board=" % (kind, sys.platform))
    if boards.get(name)["driver"] == "host":
        from drivers import host
        host.init(wifi=kind == "wifi", eth=kind == "eth")
    elif kind == "wifi":
        from drivers.wifi import esp32wifi
        esp32wifi.init()
    else:
        from drivers.eth import esp32eth
        esp32eth.init(name)


class Link:
    """One interface kind ("wifi" or "eth"): link state, waiting, supervision."""

    def __init__(self, kind):
        self.kind = kind
        self.static = None          # (ip, mask, gw, dns) or None for DHCP
        self.target = None          # what the supervisor reconnects to (wifi: (ssid, pw))
        self.auto = False
        self.backoff_first = 1000
        self.backoff_max = 60000
        self._backoff = 0
        self._next = 0              # ticks_ms of the next supervisor attempt
        self._attempt = None        # ticks_ms when the current supervisor attempt began
        self.attempt_timeout = 15000
        self._busy = False          # link() in progress: the supervisor keeps out
        netlink.add_watcher(self.check)

    def driver(self):
        ensure_driver(self.kind)
        return netlink.driver(self.kind)

    # ---- link state

    def check(self):
        """Watcher (netlink.poll): notice drops and recoveries, step the supervisor."""
        if not netlink.has_driver(self.kind) or self._busy:
            return
        st = self.driver().state()
        if st == UP:
            self._attempt = None
            self._backoff = 0
            netlink.set_up(self.kind)
            return
        if netlink.is_up(self.kind):
            netlink.set_down(self.kind)
            if self.auto:
                self._backoff = self.backoff_first
                self._next = ticks_add(ticks_ms(), self._backoff)
        if self.auto and self.target is not None:
            self._supervise(st)

    def _supervise(self, st):
        now = ticks_ms()
        if st in (CONNECTING, NO_IP) and self._attempt is not None:
            if ticks_diff(now, self._attempt) < self.attempt_timeout:
                return
            self.driver().disconnect()  # attempt took too long: count it as failed
            self._attempt = None
        if st in (CONNECTING, NO_IP) or ticks_diff(now, self._next) < 0:
            return
        # a failed or dropped link, and the backoff has elapsed: one more attempt
        self._backoff = min(self._backoff * 2, self.backoff_max) if self._backoff else self.backoff_first
        self._next = ticks_add(now, self._backoff)
        self._attempt = now
        try:
            self.reconnect()
        except OSError:
            self._attempt = None  # tried, failed at once: wait for the next slot

    def reconnect(self):
        drv = self.driver()
        drv.start(netlink.hostname)
        if self.target is not None:
            drv.connect(*self.target)

    def set_auto(self, enable, first=None, maximum=None):
        # both checked before either is kept: a refused call changes nothing
        if first is None:
            first = self.backoff_first
        else:
            _netcore.int_in(first, 1, _MAX_TIMEOUT, "first backoff (ms)", ValueError)
        if maximum is None:
            maximum = self.backoff_max
        else:
            _netcore.int_in(maximum, 1, _MAX_TIMEOUT, "maximum backoff (ms)", ValueError)
        if maximum < first:
            raise ValueError("maximum backoff %d ms is below the first backoff %d ms" % (maximum, first))
        self.backoff_first = first
        self.backoff_max = maximum
        self.auto = bool(enable)
        self._backoff = 0
        self._next = ticks_ms()

    # ---- bring-up

    def wait(self, deadline, retry=None):
        """Poll the driver until UP; raise the typed error by the last state seen.

        retry(): start another attempt after a failure (Wi-Fi; None for Ethernet).
        It returns False while the previous attempt is still running. A failure is
        counted only when the next attempt could start: current ESP32 firmware keeps
        showing the last failure reason while a new attempt runs, so a reading alone
        does not say whether that attempt has ended."""
        drv = self.driver()
        st = DOWN
        counted = None      # the failure being counted
        fails = 0           # consecutive finished attempts that ended in `counted`
        failing = False     # the previous reading was a failure too
        next_try = 0
        while True:
            st = drv.state()
            if st == UP:
                return
            now = ticks_ms()
            if st in (FAIL_AUTH, FAIL_NOAP, FAIL) and retry is not None:
                if not failing:
                    next_try = ticks_add(now, RETRY_PAUSE_MS)  # ESP-IDF needs a breath
                    failing = True
                if ticks_diff(now, next_try) >= 0:
                    if retry():  # started: the previous attempt had ended, with `st`
                        fails = fails + 1 if st == counted else 1
                        counted = st
                        if st == FAIL_AUTH and fails >= AUTH_CONFIRM:
                            raise WrongPassword("%s: wrong password (%d consecutive auth "
                                                "failures, %s)" % (self.kind, fails, drv.reason()))
                        if st == FAIL_NOAP and fails >= NOAP_CONFIRM:
                            raise NoAccessPoint("%s: no access point found (%d attempts, %s)"
                                                % (self.kind, fails, drv.reason()))
                    next_try = ticks_add(now, RETRY_PAUSE_MS)
            else:
                failing = False
            left = ticks_diff(deadline, ticks_ms())
            if left <= 0:
                break
            sleep_ms(min(POLL_MS, left))
        # out of time: the last state decides
        why = drv.reason()
        if st == NO_IP:
            raise DhcpTimeout("%s: no DHCP address within the timeout (%s)" % (self.kind, why))
        if st == NO_CABLE:
            raise NoCable("%s: no link on the cable (%s)" % (self.kind, why))
        if st == FAIL_NOAP or (counted == FAIL_NOAP and st != FAIL_AUTH):
            raise NoAccessPoint("%s: no access point found (%s)" % (self.kind, why))
        if st == FAIL_AUTH or counted == FAIL_AUTH:
            why = "auth failures not yet consistent (%d of %d); %s" % (
                fails if counted == FAIL_AUTH else 0, AUTH_CONFIRM, why)
        raise LinkTimeout("%s: link not up within the timeout (%s)" % (self.kind, why))

    def bring_up(self, timeout, start, auto_reconnect):
        """The common body of wifi.link / eth.link; start() begins the attempt."""
        deadline = ticks_add(ticks_ms(), check_timeout(timeout))
        drv = self.driver()
        self._busy = True
        try:
            retry = start(drv)
            self.wait(deadline, retry)
        except BaseException:
            self.auto = False  # a link that never came up is not supervised
            self.target = None
            try:
                drv.disconnect()  # stop the firmware's own reconnect loop
            except OSError:
                pass
            netlink.set_down(self.kind)
            raise
        finally:
            self._busy = False
        self.set_auto(auto_reconnect)
        netlink.set_up(self.kind)
        return drv.ifconfig()[0]

    def unlink(self):
        """Leave the network and stop any reconnection (firmware's or the supervisor's)."""
        self.auto = False
        self.target = None
        drv = self.driver()
        drv.disconnect()
        netlink.set_down(self.kind)

    def is_linked(self):
        if not netlink.has_driver(self.kind):
            return False
        self.check()
        return self.driver().state() == UP

    def link_info(self):
        """(ip, mask, gateway, dns, mac) of the interface."""
        drv = self.driver()
        ip, mask, gw, dns = drv.ifconfig()
        return (ip, mask, gw, dns, drv.mac())

    def set_link_info(self, ip, mask=None, gateway=None, dns=None):
        """Static address for the next link(); ip "0.0.0.0" goes back to DHCP."""
        # stored, applied by the next link() after the interface starts (hostname first)
        self.static = static_config(ip, mask, gateway, dns)

    def gethostbyname(self, name):
        """Resolve `name` to a dotted-quad string through the interface's resolver."""
        if type(name) is not str or not name:
            raise ValueError("host name must be a non-empty str")
        if not self.is_linked():
            raise LinkError("%s is not linked: call link() first" % self.kind)
        import socket
        return socket.getaddrinfo(name, 0, socket.AF_INET)[0][-1][0]
