"""sfnet.listener (modules/sfnet/listener.py). Times in MILLISECONDS unless a name says otherwise."""

from typing import Any
from typing_extensions import Self

from sfnet import errors as errors
from sfnet.base import Socket as Socket, address_or_error as address_or_error
from sfnet.tcp import TcpSocket as TcpSocket

class TcpListener(Socket):
    """Listen on a port; accept() returns a connected TcpSocket."""
    def __init__(self) -> None: ...
    @property
    def local_port(self) -> Any: ...
    def listen(self, port: Any, address: Any | None = ...) -> None:
        """Listen on port (ANY_PORT picks a free one; see local_port) and address
        (an IpAddress or str; default IpAddress.ANY). Listening again moves the
        listener; the broadcast address is a SocketError."""
    def close(self) -> None:
        """Stop listening. No effect if not listening."""
    def accept(self) -> Any:
        """The next connection, as a TcpSocket (blocking, like every new socket).
        A non-blocking listener with nobody waiting raises SocketNotReady."""
