"""sfnet (modules/sfnet/): pySFML's network module for MicroPython. Every name is
loaded on first use; times are sfnet.Time values or MILLISECONDS where a name says so."""

from sfnet.ipaddress import IpAddress as IpAddress
from sfnet.base import Socket as Socket
from sfnet.tcp import TcpSocket as TcpSocket
from sfnet.udp import UdpSocket as UdpSocket
from sfnet.listener import TcpListener as TcpListener
from sfnet.selector import SocketSelector as SocketSelector
from sfnet.packet import Packet as Packet
from sfnet.errors import SocketException as SocketException
from sfnet.errors import SocketNotReady as SocketNotReady
from sfnet.errors import SocketDisconnected as SocketDisconnected
from sfnet.errors import SocketError as SocketError
from sfnet.time import Time as Time
from sfnet.time import seconds as seconds
from sfnet.time import milliseconds as milliseconds
from sfnet.time import microseconds as microseconds
from sfnet.http import Http as Http
from sfnet.http import HttpRequest as HttpRequest
from sfnet.http import HttpResponse as HttpResponse
from sfnet.ftp import Ftp as Ftp
from sfnet.ftp import FtpResponse as FtpResponse
from sfnet.ftp import FtpDirectoryResponse as FtpDirectoryResponse
from sfnet.ftp import FtpListingResponse as FtpListingResponse
