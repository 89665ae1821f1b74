# mptest: timeout=120
# simplesockets.TCPServer / TCPClient on loopback inside one script: the poll loop is
# driven by hand (server.poll), so every step is deterministic.
import socket
import time
import mptest
import testenv
from netutil import open_fds, fds_before
from sshelp import pump, connect, recv_exact
from simplesockets import TCPServer, TCPClient, SetupError, Received, ServerClient

try:
    import _thread
except ImportError:
    _thread = None


def make(max_connections=None, **setup):
    extra = {}
    for k in ("idle_timeout", "max_queue", "refuse_message"):
        if k in setup:
            extra[k] = setup.pop(k)
    srv = TCPServer(max_connections, **extra)
    srv.setup("127.0.0.1", 0, **setup)
    srv.start(threaded=False)
    return srv


def test_documented_api_surface():
    srv = TCPServer(5)
    for name in ("setup", "start", "stop", "restart", "exit_accept", "send_data", "disconnect",
                 "return_recved_data", "return_exceptions", "recv_data", "poll", "serve_forever", "close"):
        assert callable(getattr(srv, name)), name
    mptest.eq(srv.max_connections, 5)
    mptest.eq((srv.event.new_data, srv.event.exception.occurred, srv.event.exception.list), (False, False, []))
    mptest.eq(srv.event.accepting_thread.run, True)
    mptest.eq((srv.clients, srv.recved_data, srv.killed), ({}, [], False))
    cl = TCPClient()
    for name in ("setup", "connect", "reconnect", "autorecv", "send_data", "disconnect", "shutdown",
                 "return_recved_data", "return_exceptions", "poll"):
        assert callable(getattr(cl, name)), name
    ev = cl.event
    mptest.eq((ev.new_data, ev.disconnected, ev.connected, ev.is_connected), (False, False, False, False))
    cl.setup("127.0.0.1", 9999)
    mptest.eq(cl.Address, ("127.0.0.1", 9999))


def test_setup_errors():
    srv = TCPServer()
    mptest.raises(SetupError, srv.start)
    mptest.raises(SetupError, srv.poll)
    mptest.raises(ValueError, TCPServer, 0)
    mptest.raises(TypeError, srv.setup, "127.0.0.1", 0, 5, 2048, None, "not callable")
    srv.setup("127.0.0.1", 0)
    mptest.raises(SetupError, srv.setup, "127.0.0.1", 0)
    srv.close()
    mptest.raises(SetupError, TCPClient().connect)


def test_echo_through_recved_data():
    srv = make()
    s = connect(srv)
    assert pump(srv, 1000, lambda: len(srv.clients) == 1)
    s.send(b"ping")
    assert pump(srv, 1000, lambda: srv.event.new_data)
    data = srv.return_recved_data()
    mptest.eq(srv.event.new_data, False)
    mptest.eq(len(data), 1)
    client, address, payload = data[0]  # the documented tuple form
    mptest.eq(payload, b"ping")
    mptest.eq(address, s.getsockname())
    assert isinstance(client, ServerClient) and isinstance(data[0], Received)
    mptest.eq(data[0].response, b"ping")
    assert srv.send_data(payload + b"!", client)
    mptest.eq(recv_exact(s, 5), b"ping!")
    assert srv.send_data(b"by-address", address)
    mptest.eq(recv_exact(s, 10), b"by-address")
    assert srv.send_data("str", client[1])  # the documented [thread, socket] pair
    mptest.eq(recv_exact(s, 3), b"str")
    srv.disconnect(address)
    mptest.eq(s.recv(10), b"", "client sees the close")
    mptest.eq(srv.clients, {})
    s.close()
    srv.close()


def test_callbacks():
    seen = []
    srv = make(on_connect=lambda a: seen.append(("c", a)),
               on_disconnect=lambda a: seen.append(("d", a)),
               on_receive=lambda c, a, d: seen.append(("r", d)))
    s = connect(srv)
    addr = s.getsockname()
    assert pump(srv, 1000, lambda: seen)
    s.send(b"abc")
    assert pump(srv, 1000, lambda: len(seen) == 2)
    s.close()
    assert pump(srv, 1000, lambda: len(seen) == 3)
    mptest.eq(seen, [("c", addr), ("r", b"abc"), ("d", addr)])
    mptest.eq(srv.recved_data, [], "data goes to on_receive, not the queue")
    srv.close()


def test_callback_exceptions_are_recorded_not_fatal():
    def boom(c, a, d):
        raise ValueError("callback failed on %r" % d)

    srv = make(on_receive=boom, on_connect=lambda a: 1 / 0)
    s = connect(srv)
    s.send(b"x")
    assert pump(srv, 1000, lambda: len(srv.event.exception.list) >= 2)
    assert srv.event.exception.occurred
    kinds = sorted(type(e).__name__ for e in srv.event.exception.list)
    mptest.eq(kinds, ["ValueError", "ZeroDivisionError"])
    ex = srv.return_exceptions()
    mptest.eq(len(ex), 2)
    mptest.eq((srv.event.exception.occurred, srv.event.exception.list), (False, []))
    # still serving
    s2 = connect(srv)
    assert pump(srv, 1000, lambda: len(srv.clients) == 2)
    srv.return_exceptions(delete=False, reset_exception=False)
    s.close()
    s2.close()
    srv.close()


def test_max_connections_refused_cleanly():
    srv = make(2, refuse_message=b"busy\n")
    a, b = connect(srv), connect(srv)
    assert pump(srv, 1000, lambda: len(srv.clients) == 2)
    c = connect(srv)
    assert pump(srv, 1000, lambda: srv.refused == 1)
    mptest.eq(c.recv(100), b"busy\n", "refusal message")
    mptest.eq(c.recv(100), b"", "then an orderly close")
    mptest.eq(len(srv.clients), 2)
    a.close()
    assert pump(srv, 1000, lambda: len(srv.clients) == 1)
    d = connect(srv)
    assert pump(srv, 1000, lambda: len(srv.clients) == 2), "a freed slot is reused"
    for s in (b, c, d):
        s.close()
    srv.close()


def test_idle_timeout():
    gone = []
    srv = make(idle_timeout=300, on_disconnect=gone.append)
    s = connect(srv)
    busy = connect(srv)
    t0 = time.ticks_ms()
    while not gone and time.ticks_diff(time.ticks_ms(), t0) < 2000:
        busy.send(b".")  # keeps this one active
        pump(srv, 50)
    took = time.ticks_diff(time.ticks_ms(), t0)
    assert 250 <= took < 300 + 500, took
    mptest.eq(gone, [s.getsockname()], "only the silent client is dropped")
    mptest.eq(s.recv(10), b"")
    s.close()
    busy.close()
    srv.close()


def test_bounded_queue_pushes_back():
    # recved_data is drained only now and then: reading pauses at max_queue (TCP
    # pushes back on the sender), the queue never grows past it, nothing is lost.
    srv = make(recv_buffer=256, max_queue=2048)
    s = connect(srv)
    s.settimeout(0)
    payload = bytes(range(256)) * 256  # 64 KB
    sent = 0
    got = []
    peak = 0
    t0 = time.ticks_ms()
    i = 0
    while sum(len(g) for g in got) < len(payload) and time.ticks_diff(time.ticks_ms(), t0) < 10000:
        if sent < len(payload):
            try:
                sent += s.send(memoryview(payload)[sent:sent + 4096])
            except OSError:
                pass
        srv.poll(2)
        peak = max(peak, srv._queued)
        i += 1
        if i % 20 == 0:
            got.extend(d[2] for d in srv.return_recved_data())
    got.extend(d[2] for d in srv.return_recved_data())
    assert peak <= 2048 + 256 + 64, peak
    data = b"".join(got)
    mptest.eq(len(data), len(payload), "bytes received")
    assert data == payload, "data corrupted"
    s.close()
    srv.close()


def test_stop_start_exit_accept():
    srv = make()
    srv.stop()
    mptest.eq(srv.event.accepting_thread.run, False)
    s = connect(srv)  # completes in the backlog
    pump(srv, 200)
    mptest.eq(len(srv.clients), 0, "not accepted while stopped")
    srv.start(threaded=False)
    assert pump(srv, 1000, lambda: len(srv.clients) == 1)
    srv.exit_accept()
    assert srv.killed
    s2 = connect(srv)
    pump(srv, 200)
    mptest.eq(len(srv.clients), 1)
    srv.restart()
    assert not srv.killed
    assert pump(srv, 1000, lambda: len(srv.clients) == 2)
    s.close()
    s2.close()
    srv.close()


def test_threaded_server_and_autorecv_client():
    if not _thread:
        mptest.skip("no _thread on this port")
    srv = TCPServer(4)
    srv.setup("127.0.0.1", 0, on_receive=lambda c, a, d: srv.send_data(b"echo:" + d, c))
    srv.start()
    assert srv.running
    cl = TCPClient()
    cl.setup("127.0.0.1", srv.address[1])
    assert cl.connect()
    mptest.eq((cl.event.connected, cl.event.is_connected), (True, True))
    cl.autorecv()
    assert cl.send_data(b"hi")
    t0 = time.ticks_ms()
    while not cl.event.new_data and time.ticks_diff(time.ticks_ms(), t0) < 2000:
        time.sleep_ms(10)
    mptest.eq(b"".join(cl.return_recved_data()), b"echo:hi")
    cl.shutdown()
    mptest.eq((cl.event.is_connected, cl.event.disconnected), (False, True))
    srv.close()
    t0 = time.ticks_ms()
    while srv.running and time.ticks_diff(time.ticks_ms(), t0) < 2000:
        time.sleep_ms(10)
    assert not srv.running, "loop thread ended"
    mptest.eq(srv.return_exceptions(), [])


def test_client_against_cpython_echo_peer():
    cl = TCPClient()
    events = []
    cl.setup(testenv.SCENARIO[0], testenv.SCENARIO[1], 64, on_connect=lambda: events.append("c"),
             on_disconnect=lambda: events.append("d"))
    assert cl.connect()
    cl.send_data(b"echo\n")
    msg = bytes(range(200))
    cl.send_data(msg)
    got = b""
    t0 = time.ticks_ms()
    while len(got) < 200 and time.ticks_diff(time.ticks_ms(), t0) < 3000:
        cl.poll(100)
        for d in cl.return_recved_data():
            assert len(d) <= 64, "bounded by recv_buffer"
            got += d
    mptest.eq(got, msg)
    assert cl.disconnect()
    mptest.eq(events, ["c", "d"])
    assert cl.reconnect()
    mptest.eq(cl.event.is_connected, True)
    cl.shutdown()


def test_client_sees_server_disconnect():
    srv = make()
    cl = TCPClient()
    gone = []
    cl.setup("127.0.0.1", srv.address[1], on_disconnect=lambda: gone.append(1))
    assert cl.connect()
    assert pump(srv, 1000, lambda: srv.clients)
    srv.disconnect(list(srv.clients)[0])
    t0 = time.ticks_ms()
    while cl.event.is_connected and time.ticks_diff(time.ticks_ms(), t0) < 2000:
        cl.poll(50)
    mptest.eq((cl.event.is_connected, cl.event.disconnected, gone), (False, True, [1]))
    assert not cl.send_data(b"x")
    assert cl.event.exception.occurred
    srv.close()


def test_client_connect_failure_is_recorded():
    cl = TCPClient()
    cl.setup("127.0.0.1", 1, timeout=1000)
    mptest.eq(cl.connect(), False)
    assert cl.event.exception.occurred
    ex = cl.return_exceptions()
    mptest.eq(len(ex), 1)
    assert isinstance(ex[0], OSError)
    mptest.eq(cl.event.exception.occurred, False)


def test_the_specs_own_examples():
    # The server and client examples of the package's documentation, as written there
    # (import paths, Server.new_data_recved, Client.start()), bounded instead of `while True`.
    if not _thread:
        mptest.skip("the documented examples need threads")
    from simplesockets import TCPServer as DocServer
    from simplesockets.simplesockets import TCPClient as DocClient
    from simplesockets.simple_sockets import TCPServer as Pypi040Name

    assert DocServer is TCPServer and Pypi040Name is TCPServer and DocClient is TCPClient
    Server = DocServer()
    Server.setup(ip="127.0.0.1", port=0)
    Server.start()
    port = Server.address[1]

    Client = DocClient()
    Client.setup(target_ip="127.0.0.1", target_port=port)
    Client.start()
    Client.connect()
    Client.autorecv()
    Client.send_data(b"Test")

    t0 = time.ticks_ms()
    done = False
    while not done and time.ticks_diff(time.ticks_ms(), t0) < 3000:
        if Server.new_data_recved:
            recved_data = Server.return_recved_data()
            for data_element in recved_data:
                client_socket, address, data = data_element
                Server.send_data(data, client_socket)
                Server.disconnect(client_socket)
                done = True
    assert done, "the server example saw no data"
    got = []
    t0 = time.ticks_ms()
    while not got and time.ticks_diff(time.ticks_ms(), t0) < 3000:
        if Client.event.new_data:
            for data_element in Client.return_recved_data():
                got.append(data_element)
    mptest.eq(got, [b"Test"])
    Client.shutdown()
    Server.close()


def test_no_descriptor_leak():
    before = fds_before()
    srv = make(1)
    socks = [connect(srv) for _ in range(3)]
    pump(srv, 300)
    for s in socks:
        s.close()
    pump(srv, 300)
    srv.close()
    mptest.eq(open_fds(), before, "open descriptors")


mptest.main(globals())
