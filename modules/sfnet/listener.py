# sfnet.listener: TcpListener, pySFML's listening socket; accept() -> TcpSocket.
import socket
import _netcore
from micropython import const

from sfnet import errors
from _netcore import check_port
from sfnet.base import Socket, address_or_error
from sfnet.tcp import TcpSocket

_BACKLOG = const(128)  # SFML uses SOMAXCONN; stacks clamp it to their own limit


class TcpListener(Socket):
    """Listen on a port; accept() returns a connected TcpSocket."""

    @property
    def local_port(self):
        return self._local_port()

    def __repr__(self):
        return "<TcpListener port %d>" % self.local_port

    def listen(self, port, address=None):
        """Listen on port (ANY_PORT picks a free one; see local_port) and address
        (an IpAddress or str; default IpAddress.ANY). Listening again moves the
        listener; the broadcast address is a SocketError."""
        check_port(port)
        ip = 0 if address is None else address_or_error(address, "listen")
        if ip == 0xFFFFFFFF:
            raise errors.SocketError(None, "listen: cannot listen on the broadcast address")
        self.close()
        s = self._new(socket.SOCK_STREAM)
        try:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind((_netcore.quad(ip), port))
            s.listen(_BACKLOG)
        except OSError as e:
            s.close()
            raise errors.convert(e, False, "listen on port %d" % port)
        self._sock = s

    def close(self):
        """Stop listening. No effect if not listening."""
        self._close()

    def accept(self):
        """The next connection, as a TcpSocket (blocking, like every new socket).
        A non-blocking listener with nobody waiting raises SocketNotReady."""
        s = self._sock
        if s is None:
            raise errors.SocketError(None, "accept: the listener is not listening")
        try:
            conn, addr = s.accept()
        except OSError as e:
            raise errors.convert(e, False, "accept")
        return TcpSocket._accepted(conn, addr, True)
