# The unix port's adapter: addresses are raw struct sockaddr bytes (the built-in's
# sockaddr() decodes them), Linux's /proc/net tells a socket's local address, and
# every wait is a poll (the kernel wakes it at once). _socket_ms picks this module or
# _port_lwip at import; both have the same names (see docs/architecture.md).
import sys
from micropython import const
from _netcore import quad, EAFNOSUPPORT

_AF_INET = const(2)
_SOCK_STREAM = const(1)
_LITTLE = sys.byteorder == "little"
del sys  # (this module's globals table is full: one more name would grow it)
_n = None  # the built-in socket module (setup())
SLICE_MS = const(0)  # no wait blocks inside the built-in (see _port_lwip)
SLICE_S = 0


def setup(builtin):
    global _n
    _n = builtin


def to_native(ip, port):
    b = bytearray(16)
    b[0 if _LITTLE else 1] = _AF_INET
    b[2] = port >> 8
    b[3] = port & 255
    b[4] = ip >> 24
    b[5] = (ip >> 16) & 255
    b[6] = (ip >> 8) & 255
    b[7] = ip & 255
    return b


def from_native(addr):
    """A built-in's address -> ("a.b.c.d", port)."""
    if type(addr) is tuple:  # already decoded
        return (addr[0], addr[1])
    fam, ip, port = _n.sockaddr(addr)
    if fam == _AF_INET:
        return ("%d.%d.%d.%d" % (ip[0], ip[1], ip[2], ip[3]), port)
    return (_n.inet_ntop(fam, ip), port)


def parse(address):
    """A raw sockaddr passed as an address -> (ip as int, port); None if it is not one."""
    t = type(address)
    if (t is bytes or t is bytearray) and len(address) >= 8:
        fam, ip, port = _n.sockaddr(address)
        if fam != _AF_INET:
            raise OSError(EAFNOSUPPORT, "only AF_INET")
        return (ip[0] << 24) | (ip[1] << 16) | (ip[2] << 8) | ip[3], port
    return None


def info_ip(addr):
    """The IPv4 address (int) of one of the built-in getaddrinfo's answers."""
    return parse(addr)[0]


def local_name(sock, kind):
    """A socket's local (ip, port) from /proc/net, found by its inode; None if not there."""
    import os

    try:
        ino = str(os.stat("/proc/self/fd/%d" % sock.fileno())[1])
        with open("/proc/net/" + ("tcp" if kind == _SOCK_STREAM else "udp")) as f:
            for line in f:
                if ino not in line:  # cheap test first: the file can have thousands of lines
                    continue
                w = line.split()
                if len(w) > 9 and w[9] == ino:
                    ip, port = w[1].split(":")
                    v = int(ip, 16)
                    if _LITTLE:
                        v = ((v & 0xFF) << 24) | ((v & 0xFF00) << 8) | ((v >> 8) & 0xFF00) | (v >> 24)
                    return (quad(v), int(port, 16))
    except OSError:
        pass
    return None


def callback(sock, fn):
    # (20 is the kernel's SO_RCVTIMEO here)
    from _netcore import ENOPROTOOPT  # (not a global: see `del sys`)

    raise OSError(ENOPROTOOPT, "this port's built-in socket has no callbacks (setsockopt option 20)")
