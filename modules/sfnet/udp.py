# sfnet.udp: UdpSocket, pySFML's connectionless socket; one SFML packet per datagram.
import socket
import _netcore
from micropython import const

from sfnet import errors
from _netcore import check_port, byte_len
from sfnet.base import Socket, check_bytes, address_or_error, ip_of
from sfnet.ipaddress import IpAddress
from sfnet.packet import Packet

_EMSGSIZE = socket.EMSGSIZE


class UdpSocket(Socket):
    """Send datagrams to any host; bind() to a port to receive."""

    MAX_DATAGRAM_SIZE = 65507
    # Largest datagram receive_packet accepts (its receive buffer size). Raise it up
    # to MAX_DATAGRAM_SIZE where RAM allows; a bigger datagram is a SocketError.
    max_packet_size = 8192

    _bound = False

    def __init__(self):
        self._from = [None, None]  # last sender tuple -> its IpAddress

    def _open(self):
        s = self._sock
        if s is None:
            s = self._sock = self._new(socket.SOCK_DGRAM)
            try:
                s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)  # as SFML does
            except OSError:
                pass
        return s

    @property
    def local_port(self):
        return self._local_port() if self._bound else 0

    def __repr__(self):
        return "<UdpSocket port %d>" % self.local_port

    def bind(self, port, address=None):
        """Bind to port (ANY_PORT picks a free one; see local_port) on address
        (an IpAddress or str; default IpAddress.ANY). Rebinding unbinds first."""
        check_port(port)
        ip = 0 if address is None else address_or_error(address, "bind")
        if ip == 0xFFFFFFFF:
            raise errors.SocketError(None, "bind: cannot bind to the broadcast address")
        self.unbind()
        s = self._open()
        try:
            s.bind((_netcore.quad(ip), port))
        except OSError as e:
            self.unbind()
            raise errors.convert(e, False, "bind to port %d" % port)
        self._bound = True

    def unbind(self):
        """Release the port (and the socket). No effect if not bound."""
        self._close()
        self._bound = False

    def send(self, data, remote_address, remote_port):
        """Send one datagram. More than MAX_DATAGRAM_SIZE bytes is a SocketError and
        nothing is sent."""
        check_bytes(data)
        ip = address_or_error(remote_address, "send")
        check_port(remote_port)
        n = byte_len(data)
        if n > 65507:
            raise errors.SocketError(
                _EMSGSIZE, "send: %d bytes is more than MAX_DATAGRAM_SIZE (65507); nothing sent" % n)
        s = self._open()
        try:
            s.sendto(data, (_netcore.quad(ip), remote_port))
        except OSError as e:
            raise errors.convert(e, False, "send")

    def _recv(self, size, what):
        if not self._bound:
            raise errors.SocketError(None, what + ": bind the socket to a port first")
        try:
            # One byte more than asked: the socket cuts an oversize datagram (BSD), so
            # a full extra byte is how SFML's "too big is an error" is detected.
            data, addr = self._sock.recvfrom(size + 1)
        except OSError as e:
            raise errors.convert(e, False, what)
        if len(data) > size:
            raise errors.SocketError(
                _EMSGSIZE, "%s: a datagram larger than %d bytes was discarded" % (what, size))
        return data, addr

    def receive(self, size):
        """One datagram of at most size bytes -> (data, IpAddress, port). A bigger
        datagram is lost and raises SocketError (as in SFML)."""
        if type(size) is not int:
            raise TypeError("size must be an int, not %s" % type(size).__name__)
        if size <= 0:
            raise ValueError("size must be > 0, got %d" % size)
        data, addr = self._recv(size, "receive")
        return data, ip_of(addr, self._from), addr[1]

    def receive_into(self, buffer):
        """One datagram into buffer -> (count, IpAddress, port)."""
        if not self._bound:
            raise errors.SocketError(None, "receive_into: bind the socket to a port first")
        try:
            n, addr = self._sock.recvfrom_into(buffer)
        except OSError as e:
            raise errors.convert(e, False, "receive_into")
        return n, ip_of(addr, self._from), addr[1]

    def send_packet(self, packet, remote_address, remote_port):
        """Send a packet as one datagram (no length prefix)."""
        if not isinstance(packet, Packet):
            raise TypeError("send_packet needs a Packet, not %s" % type(packet).__name__)
        self.send(packet.on_send(), remote_address, remote_port)

    def receive_packet(self, packet=None):
        """One datagram as a packet -> (packet, IpAddress, port)."""
        if packet is not None and not isinstance(packet, Packet):
            raise TypeError("receive_packet takes a Packet or None")
        data, addr = self._recv(self.max_packet_size, "receive_packet")
        if packet is None:
            packet = Packet()
        else:
            packet.clear()
        packet.on_receive(data)
        return packet, ip_of(addr, self._from), addr[1]
