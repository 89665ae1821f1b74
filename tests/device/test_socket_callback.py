# MicroPython's readable callback: setsockopt(SOL_SOCKET, 20, fn). ESP32's built-in
# (with WebREPL built in, as the generic images are) and the modlwip ports call fn when
# the socket is readable or has a connection waiting; stock webrepl.py registers its
# accept handler and os.dupterm_notify this way. The library hands the built-in a
# function that calls fn with the library's socket, the one fn was registered on.
#
# The stand-in: ESP32's socket events (ports/esp32/modsocket.c, MICROPY_PY_SOCKET_EVENTS)
# over the unix built-in, which has no such option. Registering keeps (socket, fn), None
# removes it, and poll_hook() is its socket_events_handler() (run by the port's
# MICROPY_EVENT_POLL_HOOK, every 8th time): it calls fn(sock) with the built-in socket
# for every registered one that is readable now.
# mptest: timeout=60
import select
import mptest
from mptest import eq, raises
import socket
import _port_lwip
import _port_unix


class Esp32Events:
    def __init__(self):
        self.registered = []  # [built-in socket, fn]

    def setsockopt(self, raw, level, optname, value):
        assert (level, optname) == (socket.SOL_SOCKET, 20), (level, optname)
        self.registered = [r for r in self.registered if r[0] is not raw]
        if value is not None:
            assert callable(value), value
            self.registered.append([raw, value])

    def poll_hook(self):
        calls = 0
        for raw, fn in list(self.registered):
            p = select.poll()
            p.register(raw, select.POLLIN)
            if p.poll(0):
                fn(raw)
                calls += 1
        return calls


EVENTS = Esp32Events()


class _Registering:
    # what sock._s is while the library's setsockopt runs: the built-in, whose option 20
    # goes to the stand-in
    def __init__(self, raw):
        self.raw = raw

    def setsockopt(self, level, optname, value):
        EVENTS.setsockopt(self.raw, level, optname, value)


def register(sock, fn):
    saved_port, raw = socket._port, sock._s
    socket._port, sock._s = _port_lwip, _Registering(raw)
    try:
        sock.setsockopt(socket.SOL_SOCKET, 20, fn)
    finally:
        socket._port, sock._s = saved_port, raw


def hook_until(cond, what):
    for _ in range(2000):
        EVENTS.poll_hook()
        if cond():
            return
        socket.select.poll().poll(1)
    raise AssertionError("never called: " + what)


def _listener():
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(2)
    return srv


def test_an_accept_callback_gets_the_library_socket_and_can_accept():
    srv = _listener()
    got = []

    def on_accept(s):
        got.append(s)
        got.append(s.accept())

    register(srv, on_accept)
    eq(EVENTS.poll_hook(), 0, "nothing waiting: not called")
    cli = socket.socket()
    cli.connect(srv.getsockname())
    hook_until(lambda: got, "the accept callback")
    assert got[0] is srv, "called with %r, not the socket it was registered on" % (got[0],)
    conn, addr = got[1]
    assert type(conn) is type(srv), type(conn)
    eq(addr, cli.getsockname(), "the accepted peer")
    register(srv, None)
    eq(EVENTS.registered, [], "None removed it")
    for s in (conn, cli, srv):
        s.close()


def test_a_data_callback_reads_through_the_library_socket():
    srv = _listener()
    cli = socket.socket()
    cli.connect(srv.getsockname())
    conn, _ = srv.accept()
    conn.settimeout(0)
    data = []
    register(conn, lambda s: data.append(s.recv(100)))
    eq(EVENTS.poll_hook(), 0, "no data yet: not called")
    cli.sendall(b"ping")
    hook_until(lambda: data, "the data callback")
    eq(data, [b"ping"], "read in the callback")
    register(conn, None)
    cli.sendall(b"more")
    eq(EVENTS.poll_hook(), 0, "removed: not called again")
    eq(conn.recv(100), b"more", "the data stayed for the next read")
    for s in (conn, cli, srv):
        s.close()


def test_a_new_callback_replaces_the_old_one():
    srv = _listener()
    calls = []
    register(srv, lambda s: calls.append("old"))
    register(srv, lambda s: calls.append("new") or s.accept()[0].close())
    eq(len(EVENTS.registered), 1, "one registration per socket")
    cli = socket.socket()
    cli.connect(srv.getsockname())
    hook_until(lambda: calls, "the callback")
    eq(calls, ["new"], "only the new one")
    register(srv, None)
    cli.close()
    srv.close()


def test_the_unix_built_in_has_no_callbacks():
    s = socket.socket()
    saved = socket._port
    socket._port = _port_unix
    try:
        e = raises(OSError, s.setsockopt, socket.SOL_SOCKET, 20, lambda s: None)
        eq(e.errno, socket.ENOPROTOOPT, "unix port: not an option here")
        assert "callback" in str(e), str(e)
        e = raises(OSError, s.setsockopt, socket.SOL_SOCKET, 20, None)
        eq(e.errno, socket.ENOPROTOOPT, "unix port: nothing to remove either")
    finally:
        socket._port = saved
        s.close()


def test_only_option_20_takes_a_function():
    s = socket.socket()
    try:
        raises(TypeError, s.setsockopt, socket.SOL_SOCKET, socket.SO_REUSEADDR, lambda s: None)
        raises(TypeError, s.setsockopt, socket.IPPROTO_TCP, 20, lambda s: None)
        raises(TypeError, s.setsockopt, socket.SOL_SOCKET, 20, "not callable")
    finally:
        s.close()


def test_the_adapter_of_this_port_decides():
    # (the unix built-in here: ENOPROTOOPT; on ESP32 and the lwIP ports the built-in's own)
    s = socket.socket()
    try:
        if socket._port is _port_unix:
            e = raises(OSError, s.setsockopt, socket.SOL_SOCKET, 20, lambda s: None)
            eq(e.errno, socket.ENOPROTOOPT, "unix")
        else:
            s.setsockopt(socket.SOL_SOCKET, 20, lambda s: None)
            s.setsockopt(socket.SOL_SOCKET, 20, None)
    finally:
        s.close()


if __name__ == "__main__":
    mptest.main(globals())
