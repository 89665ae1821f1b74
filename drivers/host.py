# host: the unix-port driver. The host machine is already online, so link()
# succeeds at once and link_info() reports the machine's real address, so the
# whole stack (wifi/eth -> socket -> facade) runs on the unix port unchanged.
#
# The address is found without sending anything: connect() on a UDP socket only
# asks the kernel for a route and a source address; no datagram leaves the host.
# Mask, gateway, DNS and MAC come from Linux's /proc and /sys when readable.
import netlink
from netlink import UP, DOWN, LinkError

_ROUTE_PROBE = ("198.51.100.1", 9)  # TEST-NET-2, never contacted: only routed


def _quad(hex_le):
    # /proc/net/route holds addresses as little-endian hex
    v = int(hex_le, 16)
    return "%d.%d.%d.%d" % (v & 255, (v >> 8) & 255, (v >> 16) & 255, v >> 24)


def _read(path):
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return ""


def _source_ip():
    """The address the kernel would send from; 127.0.0.1 if the host has no route."""
    import socket
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        try:
            s.connect(_ROUTE_PROBE)
        except OSError:
            return "127.0.0.1"
        return s.getsockname()[0]
    finally:
        s.close()


def _aton(q):
    a, b, c, d = q.split(".")
    return (int(a) << 24) | (int(b) << 16) | (int(c) << 8) | int(d)


def addresses():
    """(ip, mask, gateway, dns, mac, iface) of the host's default-route interface."""
    ip = _source_ip()
    if ip.startswith("127."):
        return (ip, "255.0.0.0", "0.0.0.0", "127.0.0.1", b"\x00" * 6, "lo")
    iface, mask, gw = None, "0.0.0.0", "0.0.0.0"
    rows = [l.split() for l in _read("/proc/net/route").splitlines()[1:]]
    for r in rows:
        if len(r) > 7 and r[1] == "00000000" and r[7] == "00000000" and iface is None:
            iface, gw = r[0], _quad(r[2])
    for r in rows:  # the on-link route of our address gives the mask
        if len(r) > 7 and r[7] != "00000000":
            m = _aton(_quad(r[7]))
            if _aton(_quad(r[1])) == _aton(ip) & m:
                iface = iface or r[0]
                if r[0] == iface:
                    mask = _quad(r[7])
    dns = "0.0.0.0"
    for line in _read("/etc/resolv.conf").splitlines():
        w = line.split()
        if len(w) > 1 and w[0] == "nameserver" and w[1].count(".") == 3:
            dns = w[1]
            break
    mac = b"\x00" * 6
    text = _read("/sys/class/net/%s/address" % iface).strip() if iface else ""
    if len(text) == 17:
        mac = bytes(int(h, 16) for h in text.split(":"))
    return (ip, mask, gw, dns, mac, iface)


class Driver:
    """The host's network seen as one interface. Wi-Fi links on connect(),
    Ethernet on start(): the same calls the shims make on a board."""

    def __init__(self, kind):
        self.kind = kind
        self._linked = False
        self._ssid = None
        self.hostname = None

    def start(self, hostname):
        if hostname is not None:
            self.hostname = hostname  # the host's own name is not ours to change
        if self.kind == "eth":
            self._linked = True

    def connect(self, ssid, password):
        self._ssid = ssid
        self._linked = True
        return True

    def disconnect(self):
        self._linked = False
        self._ssid = None

    def state(self):
        return UP if self._linked else DOWN

    def reason(self):
        return "host link %s" % ("up" if self._linked else "down")

    def ssid(self):
        return self._ssid

    def ifconfig(self):
        if not self._linked:
            return ("0.0.0.0", "0.0.0.0", "0.0.0.0", "0.0.0.0")
        return addresses()[:4]

    def set_ifconfig(self, cfg):
        if cfg is not None:
            raise LinkError("the host driver uses the machine's own addresses; "
                            "set_link_info() needs a board")

    def mac(self):
        return addresses()[4]

    def rssi(self):
        raise LinkError("the host link has no radio: no rssi")

    def scan(self, duration):
        return []  # no radio: no access points to report

    def _no_ap(self, *args):
        raise LinkError("the host link has no radio: no soft-AP")

    ap_start = ap_config = ap_info = ap_stop = _no_ap


def init(wifi=True, eth=True):
    """Register the host network as the "wifi" and/or "eth" interface."""
    if wifi:
        netlink.register("wifi", Driver("wifi"))
    if eth:
        netlink.register("eth", Driver("eth"))


auto_init = init
