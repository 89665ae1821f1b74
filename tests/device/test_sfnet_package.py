# The sfnet package: names load on first use (little RAM for `import sfnet`), and the
# Http/Ftp clients are reachable through it.
import mptest
from mptest import eq, raises
import sys


def test_import_is_lazy():
    for name in list(sys.modules):
        if name.startswith("sfnet"):
            del sys.modules[name]
    import sfnet

    assert "sfnet.tcp" not in sys.modules, "TcpSocket loaded before use"
    t = sfnet.TcpSocket
    assert "sfnet.tcp" in sys.modules
    assert sfnet.TcpSocket is t
    from sfnet import Packet, SocketSelector

    assert Packet is sys.modules["sfnet.packet"].Packet


def test_unknown_names_raise_attribute_error():
    import sfnet

    raises(AttributeError, getattr, sfnet, "NoSuchThing")
    raises(AttributeError, getattr, sfnet, "_private")
    eq(hasattr(sfnet, "IpAddress"), True, "hasattr")


def test_star_import_and_public_names():
    ns = {}
    exec("from sfnet import *", ns)
    for name in ("IpAddress", "Socket", "TcpSocket", "UdpSocket", "TcpListener", "SocketSelector",
                 "Packet", "SocketException", "SocketNotReady", "SocketDisconnected", "SocketError",
                 "Time", "seconds", "milliseconds", "microseconds"):
        assert name in ns, name


def test_http_and_ftp_names_are_lazy_aliases():
    import sfnet

    for mod, names in (("http", ("Http", "HttpRequest", "HttpResponse")),
                       ("ftp", ("Ftp", "FtpResponse", "FtpDirectoryResponse", "FtpListingResponse"))):
        try:
            m = __import__("sfnet." + mod, None, None, ("_",))
        except ImportError:
            continue  # written separately; `import sfnet` must not need it
        for n in names:
            assert getattr(sfnet, n) is getattr(m, n), n


mptest.main(globals())
