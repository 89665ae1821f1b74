# sfnet._local: address discovery for IpAddress.get_local_address/get_public_address.
# Imported only when used, so the plain IpAddress stays small.
import socket
import _netcore
from time import ticks_ms, ticks_add

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


def from_interfaces():
    """Ports whose built-in socket lacks getsockname (ESP32): the address of a linked
    Wi-Fi station or Ethernet interface, else of an active access point, as the
    drivers report them. The board's Wi-Fi driver is made if none is registered (it
    only wraps the firmware's WLAN objects); Ethernet counts only once its driver is,
    since making one starts a PHY."""
    import netif
    import netlink

    try:
        netif.ensure_driver("wifi")
    except Exception:  # no Wi-Fi driver for this port or board
        pass
    for kind in ("wifi", "eth"):
        if netlink.has_driver(kind):
            d = netlink.driver(kind)
            try:
                v = _netcore.aton(d.ifconfig()[0]) if d.state() == netlink.UP else None
            except Exception:  # the interface is not set up
                v = None
            if v:
                return v
    if netlink.has_driver("wifi"):
        ap = getattr(netlink.driver("wifi"), "ap_address", None)  # drivers with an AP
        try:
            v = _netcore.aton(ap() or "") if ap is not None else None
        except Exception:
            v = None
        if v:
            return v
    return None


def _parse_url(url):
    if type(url) is not str:
        raise TypeError("url must be a str")
    if not url.startswith("http://"):
        raise ValueError("only http:// provider URLs are supported: %r" % url)
    rest = url[7:]
    for c in " \t\r\n":
        if c in rest:  # (it goes into the request line: no header injection)
            raise ValueError("a provider URL has no whitespace, CR or LF: %r" % url)
    host, sep, path = rest.partition("/")
    path = "/" + path
    port = 80
    if ":" in host:
        host, p = host.rsplit(":", 1)
        port = int(p) if p.isdigit() else -1
        if not 0 < port <= 65535:
            raise ValueError("bad port %r in %r: 1-65535" % (p, url))
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
        if not _netcore.timeout_until(s, deadline):
            return None
        s.sendall(req.encode())
        reply = b""
        while len(reply) < 2048:
            if not _netcore.timeout_until(s, deadline):
                return None
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
