# The lwIP ports' dialect of the built-in socket (ESP32 and the rest): addresses are
# ("a.b.c.d", port) tuples, and nothing tells a socket's local address beyond what
# bind() said. _socket_ms picks this module or _sockaddr_raw at import; both have the
# same functions (see docs/architecture.md).
from _netcore import quad, aton


def setup(builtin):
    pass


def to_native(ip, port):
    return (quad(ip), port)


def from_native(addr):
    """A built-in's address -> ("a.b.c.d", port)."""
    return (addr[0], addr[1])


def parse(address):
    """Raw sockaddr addresses do not exist here."""
    return None


def info_ip(addr):
    """The IPv4 address (int) of one of the built-in getaddrinfo's answers."""
    return aton(addr[0])


def local_name(sock, kind):
    return None
