# The C module's interface (netfast.c), for `make lint` and editors.
from typing import Any, Optional

# Each read below takes an optional ms: then it first waits up to ms (None or -1: no
# limit) for the stream to be readable, reads, and repeats until it gets something;
# None then means the time is up.

def readinto1(stream: Any, buf: Any, n: int, ms: Optional[int] = ...) -> Optional[int]:
    """One read of `stream` into buf[:n] (n = -1: all of buf): the count (0 at end of
    stream), or None when a non-blocking stream has nothing; EBADF for a non-stream."""


def take(buf: bytearray, n: int) -> bytes:
    """bytes equal to buf[:n] from buf's own storage, shrunk in place; buf is left empty."""


def recv1(sock: Any, n: int, ms: Optional[int] = ...) -> Optional[bytes]:
    """One read of up to n bytes (b"" at the end of the stream), or None when a
    non-blocking socket has nothing; EBADF for a non-stream."""


def recvfrom1(sock: Any, n: int, ms: Optional[int] = ...) -> Optional[tuple]:
    """sock.recvfrom(n), or None when a non-blocking socket has nothing (EAGAIN)."""


def recvfrom_into1(sock: Any, buf: Any, last: Any, ms: Optional[int] = ...) -> Any:
    """One datagram into buf (cut to len(buf)): the count when its sender is `last` (a
    native address an earlier call gave), (count, sender) for another sender, or None
    when a non-blocking socket has nothing (EAGAIN)."""


def sendto1(sock: Any, data: Any, address: Any) -> Optional[int]:
    """sock.sendto(data, address): the count, None when a non-blocking socket takes
    nothing now, or -errno when it fails; never raises OSError."""


def attempt(fn: Any, *args: Any) -> Any:
    """fn(*args) (1 to 3 args), or the OSError it raised, returned instead."""


def wait1(stream: Any, mask: int, ms: int) -> int:
    """The stream's poll events for mask (an error or hang-up always reported), or 0
    once ms have passed (-1: no limit); no poll object, nothing allocated."""


# Methods: on our firmware the library's socket class stores sendall, recv and
# recv_into as its own, and sfnet's TcpSocket its send and receive_into as tcp_send
# and tcp_receive_into (bound to the
# instance as Python functions are); each takes its common path in C and hands the
# rest to the class's Python code (a call with keywords: its _py_<name> twin).

def sendall(self: Any, data: Any, flags: int = ...) -> None:
    """socket.sendall: one write of self._s in C, the rest in self._sendall_rest."""


def recv(self: Any, bufsize: int, flags: int = ...) -> Any:
    """socket.recv: one read of self._s in C when data is there, else self._recv_wait."""


def recv_into(self: Any, buffer: Any, nbytes: int = ..., flags: int = ...) -> Any:
    """socket.recv_into: one read of self._s in C, else self._recv_into_wait (or _py)."""


def tcp_send(self: Any, data: Any) -> int:
    """sfnet.TcpSocket.send: self._sock.sendall(data) and len(data), else self._py_send."""


def tcp_receive_into(self: Any, buffer: Any, nbytes: int = ...) -> int:
    """sfnet.TcpSocket.receive_into: self._sock.recv_into(buffer, nbytes), else self._py_receive_into."""
