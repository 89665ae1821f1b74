"""sfnet.tcp (modules/sfnet/tcp.py). Times in MILLISECONDS unless a name says otherwise."""

from typing import Any
from typing_extensions import Buffer, Self
from sfnet.time import Time

from sfnet import errors as errors
from sfnet.base import Socket as Socket, check_bytes as check_bytes, address_or_error as address_or_error
from sfnet.ipaddress import IpAddress as IpAddress, NONE as NONE
from sfnet.packet import Packet as Packet
from sfnet.time import to_ms as to_ms

class TcpSocket(Socket):
    """A TCP connection. connect(), then send()/receive() raw bytes or
    send_packet()/receive_packet() SFML packets."""
    max_packet_size: int
    def __init__(self) -> None: ...
    @property
    def local_port(self) -> int: ...
    @property
    def remote_address(self) -> IpAddress: ...
    @property
    def remote_port(self) -> int: ...
    def connect(self, remote_address: IpAddress | str, remote_port: int, timeout: Time | int | None = ...) -> None:
        """Connect to remote_address (an IpAddress or a str) on remote_port.
        timeout (a Time or ms; None or 0 = no limit) bounds the whole connect.
        Non-blocking: raises SocketNotReady while the connection is under way;
        call connect() again with the same arguments until it returns."""
    def disconnect(self) -> None:
        """Close the connection (if any). Any half-sent or half-received packet is dropped."""
    def send(self, data: Buffer) -> int:
        """Send all of data and return its length. Non-blocking: what the stack takes
        now goes out; if not all of it, SocketNotReady is raised with .sent bytes sent
        (.status PARTIAL when .sent > 0); send the rest later."""
    def receive(self, size: int) -> bytes:
        """Up to size bytes, as soon as some are there. Raises SocketDisconnected when
        the peer has closed the connection."""
    def receive_into(self, buffer: Buffer, nbytes: int = ...) -> int:
        """Receive into buffer (up to nbytes, default its length); return the count.
        Allocates nothing per call."""
    def send_packet(self, packet: Packet) -> None:
        """Send an SFML packet: 4-byte big-endian length, then packet.on_send().
        Non-blocking: on SocketNotReady call again with the same packet to resume;
        .sent counts frame bytes (prefix included) sent so far."""
    def receive_packet(self, packet: Packet | None = ...) -> Packet:
        """Receive one SFML packet and return it (in `packet` if given: it is cleared
        first and filled through its on_receive hook). Non-blocking: on SocketNotReady
        call again; what already arrived is kept. A length above max_packet_size is a
        SocketError and the connection is closed (the stream cannot be resynchronised)."""
