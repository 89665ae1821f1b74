"""Big bodies through stock requests (HTTP, HTTPS) and aiohttp, unmodified, in a 2 MB
MicroPython heap, against CPython's http.server: the library's socket manages what the
built-in manages in the same heap (its stream reads cost one buffer of the result).
Each test also runs with the built-in socket, as the baseline that proves the heap is
big enough for the built-in, and every test runs in a process of its own. The script is tests/peers/mpscripts/stock_big_bodies.py."""

import ssl

import pytest

from peers import mprun, stocklib
from peers.servers import HttpServer, make_self_signed

SCRIPT = mprun.SCRIPTS / "stock_big_bodies.py"


@pytest.fixture(scope="module")
def ports(tmp_path_factory):
    cert, key = make_self_signed(str(tmp_path_factory.mktemp("tls")))
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    servers = [HttpServer().start(), HttpServer(ctx).start()]
    try:
        yield [s.address[1] for s in servers]
    finally:
        for s in servers:
            s.stop()


@pytest.mark.parametrize("variant,name", mprun.params(SCRIPT))
def test_library_socket(ports, variant, name):
    mprun.check(mprun.run(SCRIPT, ports + [name], variant=variant, path=[stocklib.stage()]), name)


@pytest.mark.parametrize("name", mprun.script_tests(SCRIPT))
def test_builtin_socket_baseline(ports, name):
    args = ports + [name, "builtin", str(mprun.lib("mpy"))]
    mprun.check(mprun.run(SCRIPT, args, variant="mpy", path=[stocklib.stage()]), name)
