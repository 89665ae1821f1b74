# sfnet: pySFML's network module (sfml.network) for MicroPython, on the project's
# socket module, plus the SFML Packet that pySFML never shipped. See docs/sfnet.md.
#
# Names are imported on first use (module __getattr__), so `import sfnet` costs
# almost no RAM and only the classes a program touches are loaded.

_WHERE = {
    "IpAddress": "ipaddress",
    "Socket": "base",
    "TcpSocket": "tcp",
    "UdpSocket": "udp",
    "TcpListener": "listener",
    "SocketSelector": "selector",
    "Packet": "packet",
    "SocketException": "errors",
    "SocketNotReady": "errors",
    "SocketDisconnected": "errors",
    "SocketError": "errors",
    "Time": "time",
    "seconds": "time",
    "milliseconds": "time",
    "microseconds": "time",
    # written separately: the Http and Ftp clients
    "Http": "http",
    "HttpRequest": "http",
    "HttpResponse": "http",
    "Ftp": "ftp",
    "FtpResponse": "ftp",
    "FtpDirectoryResponse": "ftp",
    "FtpListingResponse": "ftp",
}

# `from sfnet import *` (MicroPython asks for __all__ rather than listing globals).
__all__ = list(_WHERE)


def __getattr__(name):
    mod = _WHERE.get(name)
    if mod is None:
        # `from sfnet import errors` asks here before it imports a submodule.
        if name.startswith("_") and name != "_local":
            raise AttributeError(name)
        try:
            return __import__("sfnet." + name, None, None, ("_",))
        except ImportError:
            raise AttributeError("module 'sfnet' has no attribute '%s'" % name)
    m = __import__("sfnet." + mod, None, None, (name,))
    value = getattr(m, name)
    globals()[name] = value  # next time: a plain module attribute
    return value
