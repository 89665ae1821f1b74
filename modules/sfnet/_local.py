# sfnet._local: address discovery for IpAddress.get_local_address/get_public_address.
# Imported only when used, so the plain IpAddress stays small.
import socket
import _netcore
from time import ticks_ms, ticks_add, ticks_diff

from sfnet.time import to_ms


def local_address():
    """The address the stack would use to reach the outside, as an int, or None."""
    return _from_route() or from_interfaces()


def _from_route():
    # A connected UDP socket sends nothing; getsockname shows the chosen source.
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        s.connect(("1.1.1.1", 9))
        return _netcore.aton(s.getsockname()[0]) or None
    except OSError:
        return None
    finally:
        s.close()


def _addr4(nic):
    if hasattr(nic, "ipconfig"):
        return nic.ipconfig("addr4")[0]
    return nic.ifconfig()[0]


def from_interfaces():
    """Ports whose built-in socket lacks getsockname (ESP32): the address of the
    connected station or Ethernet interface, else of an active access point."""
    try:
        import network
    except ImportError:
        return None
    found = []
    for make, want in ((lambda: network.WLAN(network.STA_IF), "connected"),
                       (lambda: network.LAN(), "connected"),
                       (lambda: network.WLAN(network.AP_IF), "active")):
        try:
            nic = make()
            up = nic.isconnected() if want == "connected" else nic.active()
            v = _netcore.aton(_addr4(nic)) if up else None
        except Exception:  # interface absent on this board, or not set up
            continue
        if v:
            return v
    return None


def _parse_url(url):
    if type(url) is not str:
        raise TypeError("url must be a str")
    if not url.startswith("http://"):
        raise ValueError("only http:// provider URLs are supported: %r" % url)
    rest = url[7:]
    host, sep, path = rest.partition("/")
    path = "/" + path
    port = 80
    if ":" in host:
        host, p = host.rsplit(":", 1)
        port = int(p)
    if not host:
        raise ValueError("no host in %r" % url)
    return host, port, path


def public_address(url, timeout, default_ms):
    """GET url and read a dotted address from the body; int or None. The whole call
    (connect, request, reply) runs against one deadline."""
    host, port, path = _parse_url(url)
    ms = to_ms(timeout)
    if ms is None:
        ms = default_ms
    deadline = ticks_add(ticks_ms(), ms)
    s = None
    try:
        s = socket.socket()
        s.settimeout(ms)
        s.connect((host, port))
        req = "GET %s HTTP/1.0\r\nHost: %s\r\nUser-Agent: sfnet\r\nConnection: close\r\n\r\n" % (path, host)
        left = ticks_diff(deadline, ticks_ms())
        if left <= 0:
            return None
        s.settimeout(left)
        s.sendall(req.encode())
        reply = b""
        while len(reply) < 2048:
            left = ticks_diff(deadline, ticks_ms())
            if left <= 0:
                return None
            s.settimeout(left)
            chunk = s.recv(512)
            if not chunk:
                break
            reply += chunk
    except OSError:
        return None
    finally:
        if s is not None:
            s.close()
    head, sep, body = reply.partition(b"\r\n\r\n")
    status = head.split(b"\r\n", 1)[0].split()
    if not sep or len(status) < 2 or status[1] != b"200":
        return None
    try:
        text = body.decode().strip()
    except UnicodeError:
        return None
    v = _netcore.aton(text)  # a number only: never resolve what a server sent
    return v if v else None
