# sfnet._local: address discovery for IpAddress.get_local_address/get_public_address.
# Imported only when used, so the plain IpAddress stays small.
import socket
from time import ticks_ms, ticks_add, ticks_diff

from sfnet.time import to_ms


def local_address():
    """The address the stack would use to reach the outside, as an int, or None.
    A connected UDP socket sends nothing; getsockname shows the chosen source."""
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        s.connect(("1.1.1.1", 9))
        v = socket._aton(s.getsockname()[0])
        if v:
            return v
    except OSError:
        pass
    finally:
        s.close()
    # Ports whose built-in lacks getsockname (ESP32): ask the active interface.
    try:
        import network

        for name in ("WLAN", "LAN"):
            cls = getattr(network, name, None)
            if cls is None:
                continue
            try:
                nic = cls() if name == "LAN" else cls(network.STA_IF)
            except Exception:
                continue
            if nic.isconnected():
                v = socket._aton(nic.ifconfig()[0])
                if v:
                    return v
    except ImportError:
        pass
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
    v = socket._aton(text)  # a number only: never resolve what a server sent
    return v if v else None
