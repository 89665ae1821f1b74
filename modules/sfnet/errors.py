# sfnet.errors: pySFML's exception family and the one errno -> status mapping that
# every sfnet operation uses, so a failure reads the same on every port.
import errno
from micropython import const

DONE = const(0)
NOT_READY = const(1)
PARTIAL = const(2)
DISCONNECTED = const(3)
ERROR = const(4)

_EAGAIN = errno.EAGAIN
_NEWLIB = errno.ETIMEDOUT == 116  # ESP32 uses newlib numbering
# Would-block: the operation can be retried later.
_WOULD_BLOCK = (
    _EAGAIN,
    getattr(errno, "EWOULDBLOCK", _EAGAIN),
    errno.EINPROGRESS,
    errno.EALREADY,
)
# The established connection is gone.
_GONE = (
    errno.ECONNRESET,
    errno.ECONNABORTED,
    errno.ETIMEDOUT,
    getattr(errno, "EPIPE", 32),
    getattr(errno, "ENETRESET", 126 if _NEWLIB else 102),
    errno.ENOTCONN,
)


class SocketException(Exception):
    """Base of every sfnet socket failure.

    .status  one of Socket.NOT_READY, PARTIAL, DISCONNECTED, ERROR
    .errno   the underlying errno (None when sfnet itself refused the call)
    .sent    bytes that went out before the failure (sends only, else 0)
    """

    status = ERROR

    def __init__(self, err=None, msg="", sent=0):
        # One text argument, so tracebacks read "SocketError: [Errno 111] connect...".
        super().__init__(msg if err is None else "[Errno %d] %s" % (err, msg))
        self.errno = err
        self.sent = sent


class SocketNotReady(SocketException):
    """Non-blocking socket: try again later. A partial send sets .sent > 0
    and .status == PARTIAL."""

    status = NOT_READY

    def __init__(self, err=_EAGAIN, msg="operation would block", sent=0):
        super().__init__(err, msg, sent)
        if sent:
            self.status = PARTIAL


class SocketDisconnected(SocketException):
    """The connection was closed, reset or timed out by the peer or the network."""

    status = DISCONNECTED


class SocketError(SocketException):
    """Anything else: bad state, refused connection, unreachable host..."""

    status = ERROR


def status_of(err, established):
    """The sfnet status for an errno. Timeouts and resets only mean
    'disconnected' on an established connection; elsewhere they are errors."""
    if err in _WOULD_BLOCK:
        return NOT_READY
    if established and err in _GONE:
        return DISCONNECTED
    return ERROR


def convert(exc, established=True, what=""):
    """An OSError from the socket layer -> the matching SocketException
    (returned, so the caller raises it `from` nothing and keeps its traceback short)."""
    err = exc.errno if isinstance(exc, OSError) else None
    if err is None and exc.args and type(exc.args[0]) is int:
        err = exc.args[0]
    sent = getattr(exc, "sent", 0)
    msg = str(exc.args[1]) if len(exc.args) > 1 else (str(exc) or "socket failure")
    if msg.startswith("[Errno "):  # MicroPython's OSError(n): "[Errno n] ENAME"
        msg = msg[msg.find("]") + 2:]
    if what:
        msg = what + ": " + msg
    st = status_of(err, established)
    if st == NOT_READY:
        return SocketNotReady(err, msg, sent)
    if st == DISCONNECTED:
        return SocketDisconnected(err, msg, sent)
    return SocketError(err, msg, sent)


def not_connected(what):
    return SocketError(errno.ENOTCONN, what + ": socket is not connected")


def disconnected(what, sent=0):
    """Orderly close by the peer (recv returned 0 bytes)."""
    return SocketDisconnected(None, what + ": connection closed by peer", sent)
