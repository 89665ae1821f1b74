# The lwIP ports' adapter (ESP32 and the rest): addresses are ("a.b.c.d", port)
# tuples, nothing tells a socket's local address beyond what bind() said, and a long
# read waits inside the built-in. _socket_ms picks this module or _port_unix at
# import; both have the same names (see docs/architecture.md).
from micropython import const
from _netcore import quad, aton

# Waits. select.poll sleeps whole RTOS ticks here (ESP32: 10 ms at the default
# 100 Hz) and lwIP does not wake it, while a read blocked inside the built-in wakes
# as soon as data comes. So a read with at least SLICE_MS left to wait blocks in the
# built-in, one slice at a time, and polls only for the remainder. ESP32 turns a
# timeout under 100 ms into one 100 ms lwIP wait (its retries = ms * 1000 / 100000
# is 0), the other lwIP ports into 99 ms.
SLICE_MS = const(100)
SLICE_S = 0.099


def setup(builtin):
    pass


def to_native(ip, port):
    return (quad(ip), port)


def from_native(addr):
    """A built-in's address -> ("a.b.c.d", port): its own tuple when it is one already."""
    return addr if len(addr) == 2 else (addr[0], addr[1])


def parse(address):
    """Raw sockaddr addresses do not exist here."""
    return None


def info_ip(addr):
    """The IPv4 address (int) of one of the built-in getaddrinfo's answers."""
    return aton(addr[0])


def local_name(sock, kind):
    return None


def callback(sock, fn):
    """What the built-in's setsockopt(SOL_SOCKET, 20, ...) is given for fn: the built-in
    calls it with itself, so fn gets sock instead (the library's socket, the one it was
    registered on); None removes it."""
    return None if fn is None else lambda _: fn(sock)
