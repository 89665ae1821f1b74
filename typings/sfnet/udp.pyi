"""sfnet.udp (modules/sfnet/udp.py). Times in MILLISECONDS unless a name says otherwise."""

from typing import Any
from typing_extensions import Self

from sfnet import errors as errors
from sfnet.base import Socket as Socket, check_bytes as check_bytes, address_or_error as address_or_error, ip_of as ip_of
from sfnet.ipaddress import IpAddress as IpAddress
from sfnet.packet import Packet as Packet

class UdpSocket(Socket):
    """Send datagrams to any host; bind() to a port to receive."""
    MAX_DATAGRAM_SIZE: int
    max_packet_size: int
    def __init__(self) -> None: ...
    @property
    def local_port(self) -> Any: ...
    def bind(self, port: Any, address: Any | None = ...) -> None:
        """Bind to port (ANY_PORT picks a free one; see local_port) on address
        (an IpAddress or str; default IpAddress.ANY). Rebinding unbinds first."""
    def unbind(self) -> None:
        """Release the port (and the socket). No effect if not bound."""
    def send(self, data: Any, remote_address: Any, remote_port: Any) -> None:
        """Send one datagram. More than MAX_DATAGRAM_SIZE bytes is a SocketError and
        nothing is sent."""
    def receive(self, size: Any) -> Any:
        """One datagram of at most size bytes -> (data, IpAddress, port). A bigger
        datagram is lost and raises SocketError (as in SFML)."""
    def receive_into(self, buffer: Any) -> Any:
        """One datagram into buffer -> (count, IpAddress, port)."""
    def send_packet(self, packet: Any, remote_address: Any, remote_port: Any) -> None:
        """Send a packet as one datagram (no length prefix)."""
    def receive_packet(self, packet: Any | None = ...) -> Any:
        """One datagram as a packet -> (packet, IpAddress, port)."""
