# sfnet.base: the Socket base class (blocking state, status constants) and the
# helpers the socket classes share.
import socket
import _netcore
from micropython import const

from sfnet import errors
from sfnet.ipaddress import IpAddress, to_ip


class Socket:
    """Base class of TcpSocket, UdpSocket and TcpListener: the blocking state and
    the status constants. Sockets are blocking by default."""

    DONE = errors.DONE
    NOT_READY = errors.NOT_READY
    PARTIAL = errors.PARTIAL
    DISCONNECTED = errors.DISCONNECTED
    ERROR = errors.ERROR
    ANY_PORT = 0

    # Defaults on the class: an instance stores only what differs (RAM per socket).
    _sock = None  # the project's socket.socket, created on demand
    _blocking = True

    @property
    def blocking(self):
        return self._blocking

    @blocking.setter
    def blocking(self, flag):
        self._blocking = bool(flag)
        if self._sock is not None:
            self._sock.settimeout(None if self._blocking else 0)

    def _new(self, kind):
        s = socket.socket(socket.AF_INET, kind)
        s.settimeout(None if self._blocking else 0)
        return s

    def _close(self):
        s = self._sock
        if s is not None:
            self._sock = None
            s.close()

    def _local_port(self):
        s = self._sock
        if s is None:
            return 0
        try:
            return s.getsockname()[1]
        except OSError:
            return 0

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._close()


def check_bytes(data):
    t = type(data)
    if t is not bytes and t is not bytearray and t is not memoryview:
        raise TypeError("data must be bytes, bytearray or memoryview, not %s" % t.__name__)
    return data


def address_or_error(address, what):
    """An IpAddress/str -> 32-bit int; an invalid or unresolvable address is a SocketError."""
    v = to_ip(address)
    if v is None:
        raise errors.SocketError(None, "%s: invalid address %r" % (what, address))
    return v


def ip_of(addr, cache):
    """("a.b.c.d", port) from the socket module -> IpAddress, reusing cache[1] when the
    sender is unchanged (the socket module reuses its tuple for the same sender)."""
    if cache[0] is addr:
        return cache[1]
    ip = IpAddress._make(_netcore.aton(addr[0]))
    cache[0] = addr
    cache[1] = ip
    return ip
