"""sfnet.base (modules/sfnet/base.py). Times in MILLISECONDS unless a name says otherwise."""

from typing import Any
from typing_extensions import Self

from sfnet import errors as errors
from sfnet.ipaddress import IpAddress as IpAddress, to_ip as to_ip

class Socket:
    """Base class of TcpSocket, UdpSocket and TcpListener: the blocking state and
    the status constants. Sockets are blocking by default."""
    DONE: Any
    NOT_READY: Any
    PARTIAL: Any
    DISCONNECTED: Any
    ERROR: Any
    ANY_PORT: int
    def __init__(self) -> None: ...
    @property
    def blocking(self) -> Any: ...
    def __enter__(self) -> Self: ...
    def __exit__(self, *exc: Any) -> None: ...

def check_bytes(data: Any) -> Any: ...
def address_or_error(address: Any, what: Any) -> Any:
    """An IpAddress/str -> 32-bit int; an invalid or unresolvable address is a SocketError."""
def ip_of(addr: Any, cache: Any) -> Any:
    """("a.b.c.d", port) from the socket module -> IpAddress, reusing cache[1] when the
    sender is unchanged (the socket module reuses its tuple for the same sender)."""
