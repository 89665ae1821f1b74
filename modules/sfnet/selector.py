# sfnet.selector: SocketSelector over select.poll. A socket is ready when a receive
# (or an accept, for a listener) would not block: data, a waiting connection, or a
# closed/reset peer, so the next call reports it. Sockets without an open socket
# (closed elsewhere, never connected) are ready too: the next call on them raises
# at once instead of the selector hanging on them.
import select
from micropython import const

from sfnet.base import Socket
from sfnet.time import to_ms

_POLLIN = select.POLLIN


class SocketSelector:
    """Wait on several sockets at once: add(), wait(), then is_ready()."""

    def __init__(self):
        self._poll = select.poll()
        self._socks = []  # sfnet sockets, in add() order
        self._reg = {}  # sfnet socket -> the socket.socket registered for it
        self._ready = set()

    def add(self, socket):
        if not isinstance(socket, Socket):
            raise TypeError("add needs a TcpSocket, UdpSocket or TcpListener, not %s" % type(socket).__name__)
        if socket not in self._reg and socket not in self._socks:
            self._socks.append(socket)

    def remove(self, socket):
        if socket in self._socks:
            self._socks.remove(socket)
            self._unregister(socket)
        self._ready.discard(socket)

    def clear(self):
        for s in self._socks:
            self._unregister(s)
        self._socks = []
        self._ready = set()

    def _unregister(self, s):
        raw = self._reg.pop(s, None)
        if raw is not None:
            try:
                self._poll.unregister(raw)
            except (OSError, KeyError, ValueError):
                pass

    def wait(self, timeout=None):
        """Wait until at least one socket is ready; True if one is, False when the
        timeout (a Time or ms; None = no limit, 0 = just look) ran out or the
        selector is empty."""
        ms = to_ms(timeout)
        ready = self._ready = set()
        reg = self._reg
        by_raw = {}
        for s in self._socks:
            raw = s._sock
            if raw is None or raw.fileno() < 0:
                # Closed elsewhere: report it rather than wait on a dead descriptor.
                self._unregister(s)
                ready.add(s)
                continue
            if reg.get(s) is not raw:
                self._unregister(s)  # reconnected/rebound since the last wait
                self._poll.register(raw, _POLLIN)
                reg[s] = raw
            by_raw[id(raw)] = s
        if ready:
            ms = 0
        elif not by_raw and ms is None:
            return False  # nothing to wait on: nothing could ever become ready
        for raw, ev in self._poll.poll(-1 if ms is None else ms):
            s = by_raw.get(id(raw))
            if s is not None:
                ready.add(s)
        return bool(ready)

    def is_ready(self, socket):
        """True if socket was ready at the last wait()."""
        return socket in self._ready
