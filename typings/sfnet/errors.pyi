"""sfnet.errors (modules/sfnet/errors.py). Times in MILLISECONDS unless a name says otherwise."""

from typing import Any
from typing_extensions import Self

DONE: int
NOT_READY: int
PARTIAL: int
DISCONNECTED: int
ERROR: int

class SocketException(Exception):
    """Base of every sfnet socket failure.

    .status  one of Socket.NOT_READY, PARTIAL, DISCONNECTED, ERROR
    .errno   the underlying errno (None when sfnet itself refused the call)
    .sent    bytes that went out before the failure (sends only, else 0)"""
    status: Any
    def __init__(self, err: Any | None = ..., msg: str = ..., sent: int = ...) -> None: ...


class SocketNotReady(SocketException):
    """Non-blocking socket: try again later. A partial send sets .sent > 0
    and .status == PARTIAL."""
    status: Any
    def __init__(self, err: Any = ..., msg: str = ..., sent: int = ...) -> None: ...


class SocketDisconnected(SocketException):
    """The connection was closed, reset or timed out by the peer or the network."""
    status: Any


class SocketError(SocketException):
    """Anything else: bad state, refused connection, unreachable host..."""
    status: Any

def status_of(err: Any, established: Any) -> Any:
    """The sfnet status for an errno. Timeouts and resets only mean
    'disconnected' on an established connection; elsewhere they are errors."""
def convert(exc: Any, established: bool = ..., what: str = ...) -> Any:
    """An OSError from the socket layer -> the matching SocketException
    (returned, so the caller raises it `from` nothing and keeps its traceback short)."""
def not_connected(what: Any) -> Any: ...
def disconnected(what: Any, sent: int = ...) -> Any:
    """Orderly close by the peer (recv returned 0 bytes)."""
