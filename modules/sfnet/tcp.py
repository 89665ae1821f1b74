# sfnet.tcp: TcpSocket, pySFML's connected TCP socket plus SFML's Packet framing
# (4-byte big-endian length, then the payload), resumable in non-blocking mode.
import socket
import _netcore
from micropython import const

from sfnet import errors
from _netcore import check_port, attempt as _attempt, byte_len
from sfnet.base import Socket, check_bytes, address_or_error
from sfnet.ipaddress import IpAddress, NONE
from sfnet.packet import Packet
from sfnet.time import to_ms

# send_packet: a packet up to this size goes out with its prefix in one buffer (one
# segment); a larger one is sent as prefix + its own bytes, never copied.
_JOIN_MAX = const(512)

_EISCONN = socket.EISCONN
_TRANSFER = ("_rx_n", "_rx_body", "_rx_got", "_tx_frame", "_tx_hdr", "_tx_pos", "_tx_packet")
# the socket's methods as plain functions, for _netcore.attempt (no bound method per call)
_sendall = socket.socket.sendall
_recv = socket.socket.recv
_recv_into = socket.socket.recv_into
_EMSGSIZE = socket.EMSGSIZE
# The builtins the hot paths use, as globals: a builtin is a miss in this module's
# nearly full globals table, a global a lookup-cache hit (see _socket_ms's _int).
_int = int
_len = len
_type = type
_bytes = bytes
_bytearray = bytearray
_memoryview = memoryview

try:  # our firmware: send and receive_into in C (netfast.c); see the end of TcpSocket
    from _netfast import tcp_send as _c_send, tcp_receive_into as _c_receive_into
except ImportError:
    _c_send = _c_receive_into = None  # type: ignore[assignment]


class TcpSocket(Socket):
    """A TCP connection. connect(), then send()/receive() raw bytes or
    send_packet()/receive_packet() SFML packets."""

    # A peer-announced packet length above this is refused (SFML has no limit, so
    # a bad peer could make it allocate 4 GB). Set per socket or on the class.
    max_packet_size = 65536

    # Defaults on the class: a connected TcpSocket stores only its socket and peer.
    _peer = None  # the socket's ("a.b.c.d", port) once connected (its own tuple)
    _pending = None  # (ip int, port) while a non-blocking connect runs
    _rx_hdr = None  # 4-byte length prefix buffer, allocated once
    _rx_n = 0  # prefix bytes received
    _rx_body = None
    _rx_got = 0
    _tx_frame = None  # the packet's bytes being sent (its own buffer, not a copy)
    _tx_hdr = None  # their 4-byte length prefix, or None if it is in _tx_frame
    _tx_pos = 0
    _tx_packet = None

    @staticmethod
    def _nodelay(s):
        try:
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # as SFML does
        except OSError:
            pass

    def _clear_transfers(self):
        # back to the class defaults, storing nothing for what never left them
        for name in _TRANSFER:
            default = getattr(TcpSocket, name)
            if getattr(self, name) is not default:
                setattr(self, name, default)

    @classmethod
    def _accepted(cls, sock, addr, blocking):
        t = cls()
        t._blocking = blocking
        sock.settimeout(None if blocking else 0)
        cls._nodelay(sock)
        t._sock = sock
        t._peer = addr
        return t

    # -- state

    @property
    def local_port(self):
        return self._local_port() if self._peer else 0

    @property
    def remote_address(self):
        p = self._peer
        return IpAddress._make(_netcore.aton(p[0])) if p else NONE

    @property
    def remote_port(self):
        p = self._peer
        return p[1] if p else 0

    def __repr__(self):
        p = self._peer
        if not p:
            return "<TcpSocket not connected>"
        return "<TcpSocket %s:%d>" % p

    # -- connection

    def connect(self, remote_address, remote_port, timeout=None):
        """Connect to remote_address (an IpAddress or a str) on remote_port.
        timeout (a Time or ms; None or 0 = no limit) bounds the whole connect.
        Non-blocking: raises SocketNotReady while the connection is under way;
        call connect() again with the same arguments until it returns."""
        ip = address_or_error(remote_address, "connect")
        check_port(remote_port)
        ms = to_ms(timeout, True)
        target = (_netcore.quad(ip), remote_port)
        if self._pending == (ip, remote_port) and not self._blocking:
            return self._finish_connect(target)
        # Otherwise start afresh (a blocking call after a pending one reconnects).
        self.disconnect()
        s = self._new(socket.SOCK_STREAM)
        self._nodelay(s)
        if self._blocking and ms is not None:
            s.settimeout(ms)
        try:
            s.connect(target)
        except OSError as e:
            if not self._blocking and e.errno in errors._WOULD_BLOCK:
                self._sock = s
                self._pending = (ip, remote_port)
                raise errors.SocketNotReady(e.errno, "connect: connection in progress")
            s.close()
            raise errors.convert(e, False, "connect to %s:%d" % target)
        if self._blocking:
            s.settimeout(None)
        self._sock = s
        self._peer = s.getpeername()

    def _finish_connect(self, target):
        try:
            self._sock.connect(target)
        except OSError as e:
            if e.errno != _EISCONN:
                err = errors.convert(e, False, "connect to %s:%d" % target)
                if not isinstance(err, errors.SocketNotReady):
                    self.disconnect()
                raise err
        self._peer = self._sock.getpeername()
        self._pending = None

    def disconnect(self):
        """Close the connection (if any). Any half-sent or half-received packet is dropped."""
        self._close()
        if self._peer is not None:
            self._peer = None
        if self._pending is not None:
            self._pending = None
        self._clear_transfers()

    def _live(self, what):
        s = self._sock
        if s is None:
            raise errors.not_connected(what)
        return s

    # -- raw bytes

    def send(self, data):
        """Send all of data and return its length. Non-blocking: what the stack takes
        now goes out; if not all of it, SocketNotReady is raised with .sent bytes sent
        (.status PARTIAL when .sent > 0); send the rest later."""
        t = data.__class__  # (check_bytes and _live, inline: the hot path)
        if t is not _bytes and t is not _bytearray and t is not _memoryview:
            check_bytes(data)  # raises
        s = self._sock
        if s is None:
            self._live("send")  # raises
        if not _len(data):
            raise errors.SocketError(None, "send: no data to send")
        e = _attempt(_sendall, s, data)  # (no try here: this frame stays off the heap)
        if e is not None:
            self._failed(e, "send")
        return _len(data) if t is not _memoryview else byte_len(data)  # (a view of wider items)

    @staticmethod
    def _failed(e, what):
        raise errors.convert(e, True, what)

    @staticmethod
    def _disconnected(what):
        raise errors.disconnected(what)

    def receive(self, size):
        """Up to size bytes, as soon as some are there. Raises SocketDisconnected when
        the peer has closed the connection."""
        if _type(size) is not _int:
            raise TypeError("size must be an int, not %s" % size.__class__.__name__)
        if size <= 0:
            raise ValueError("size must be > 0, got %d" % size)
        s = self._sock  # (_live, inline: the hot path)
        if s is None:
            self._live("receive")  # raises
        data = _attempt(_recv, s, size)
        if _type(data) is not _bytes:
            raise errors.convert(data, True, "receive")
        if not data:
            raise errors.disconnected("receive")
        return data

    def receive_into(self, buffer, nbytes=-1):
        """Receive into buffer (up to nbytes, default its length); return the count.
        Allocates nothing per call."""
        s = self._sock  # (_live, inline: the hot path)
        if s is None:
            self._live("receive_into")  # raises
        n = _attempt(_recv_into, s, buffer, nbytes)
        if _type(n) is not _int:
            self._failed(n, "receive_into")
        if n == 0 and (nbytes != 0 and _len(buffer)):
            self._disconnected("receive_into")
        return n

    # -- packets

    def send_packet(self, packet):
        """Send an SFML packet: 4-byte big-endian length, then packet.on_send().
        Non-blocking: on SocketNotReady call again with the same packet to resume;
        .sent counts frame bytes (prefix included) sent so far."""
        if not isinstance(packet, Packet):
            raise TypeError("send_packet needs a Packet, not %s" % type(packet).__name__)
        s = self._live("send_packet")
        if self._tx_frame is not None and self._tx_packet is not packet:
            self._flush(s)  # finish the frame already on the wire first
        if self._tx_frame is None:
            data = packet.on_send()
            n = len(data)
            hdr = bytearray(4 + n) if n <= _JOIN_MAX else bytearray(4)
            hdr[0] = n >> 24
            hdr[1] = (n >> 16) & 255
            hdr[2] = (n >> 8) & 255
            hdr[3] = n & 255
            if n <= _JOIN_MAX:  # small: one segment on the wire, the copy is small
                hdr[4:] = data
                data, hdr = hdr, None
            self._tx_frame = data  # large: prefix and body sent apart, the body uncopied
            self._tx_hdr = hdr
            self._tx_pos = 0
            self._tx_packet = packet
        self._flush(s)

    def _flush(self, s):
        data = self._tx_frame
        hdr = self._tx_hdr
        pos = self._tx_pos  # frame bytes (prefix included) already sent
        try:
            if hdr is not None:
                if pos < 4:
                    s.sendall(memoryview(hdr)[pos:] if pos else hdr)
                    pos = 4
                if pos - 4 < len(data):
                    s.sendall(memoryview(data)[pos - 4:] if pos > 4 else data)
            else:
                s.sendall(memoryview(data)[pos:] if pos else data)
        except OSError as e:
            pos += getattr(e, "sent", 0)
            err = errors.convert(e, True, "send_packet")
            if isinstance(err, errors.SocketNotReady):
                self._tx_pos = pos
                err.sent = pos
                if pos:
                    err.status = errors.PARTIAL
            else:
                self._tx_frame = None
                self._tx_hdr = None
                self._tx_packet = None
            raise err
        self._tx_frame = None
        self._tx_hdr = None
        self._tx_packet = None

    def _recv_part(self, s, mv):
        try:
            n = s.recv_into(mv)
        except OSError as e:
            err = errors.convert(e, True, "receive_packet")
            if not isinstance(err, errors.SocketNotReady):
                self._clear_transfers()
            raise err
        if n == 0:
            self._clear_transfers()
            raise errors.disconnected("receive_packet")
        return n

    def receive_packet(self, packet=None):
        """Receive one SFML packet and return it (in `packet` if given: it is cleared
        first and filled through its on_receive hook). Non-blocking: on SocketNotReady
        call again; what already arrived is kept. A length above max_packet_size is a
        SocketError and the connection is closed (the stream cannot be resynchronised)."""
        if packet is not None and not isinstance(packet, Packet):
            raise TypeError("receive_packet takes a Packet or None")
        s = self._live("receive_packet")
        body = self._rx_body
        if body is None:
            hdr = self._rx_hdr
            if hdr is None:
                hdr = self._rx_hdr = bytearray(4)
            while self._rx_n < 4:
                self._rx_n += self._recv_part(s, memoryview(hdr)[self._rx_n:])
            size = (hdr[0] << 24) | (hdr[1] << 16) | (hdr[2] << 8) | hdr[3]
            limit = self.max_packet_size
            if size > limit:
                self.disconnect()
                raise errors.SocketError(
                    _EMSGSIZE,
                    "receive_packet: peer announced a %d-byte packet, more than "
                    "max_packet_size (%d); connection closed" % (size, limit))
            body = self._rx_body = bytearray(size)
            self._rx_got = 0
        size = len(body)
        while self._rx_got < size:
            self._rx_got += self._recv_part(s, memoryview(body)[self._rx_got:])
        self._rx_n = 0
        self._rx_body = None
        if packet is None:
            packet = Packet()
        else:
            packet.clear()
        if type(packet).on_receive is Packet.on_receive:
            packet._data = body  # plain Packet: take the buffer, no copy
        else:
            packet.on_receive(body)
        return packet

    if _c_send is not None:
        # Our firmware: send and receive_into in C (netfast.c), bound as these are,
        # with no Python frame: the socket's call and its result; every other case goes
        # to the Python method, kept as its _py_ twin, a failure to _failed and the
        # end of the stream to _disconnected.
        _py_send, send = send, _c_send  # noqa: F811
        _py_receive_into, receive_into = receive_into, _c_receive_into  # noqa: F811
