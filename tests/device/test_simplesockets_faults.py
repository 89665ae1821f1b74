# mptest: timeout=120
# simplesockets under faults: a MemoryError while accepting, a flood of recorded
# exceptions, a stopped server with clients waiting, a handler that never closes, a
# client that never reads, half-open cleanup (keepalive), the listen backlog, and
# TCPClient's reconnect / autorecv against a receive thread still winding down.
# Real sockets on loopback; the loop is driven by hand where the order matters.
import errno
import socket
import time
import mptest
from netutil import open_fds, fds_before
from sshelp import pump, connect
from simplesockets import TCPServer, TCPClient

try:
    import _thread
except ImportError:
    _thread = None

SO_RCVBUF = 8  # Linux value: this script reads /proc, so it runs on the unix port


def wait_for(pred, ms=3000):
    t0 = time.ticks_ms()
    while not pred() and time.ticks_diff(time.ticks_ms(), t0) < ms:
        time.sleep_ms(10)
    return pred()


class _FragmentedHeap(TCPServer):
    """The heap check passes, the allocation fails anyway (as in a fragmented heap)."""

    def _room(self):
        return True


def test_memory_error_while_accepting_closes_the_connection():
    before = fds_before()
    srv = _FragmentedHeap()
    srv.setup("127.0.0.1", 0, recv_buffer=1 << 30)  # no heap has room for its buffer
    srv.start(threaded=False)
    s = connect(srv)
    assert pump(srv, 1000, lambda: srv.event.exception.occurred), "nothing recorded"
    ex = srv.return_exceptions()
    assert ex and all(isinstance(e, MemoryError) for e in ex), ex
    mptest.eq(srv.clients, {}, "clients")
    mptest.eq(srv.refused, 1, "refused for lack of memory")
    try:
        mptest.eq(s.recv(10), b"", "the client sees its connection closed")
    except OSError:
        pass  # or reset: either way it is not left hanging
    s.close()
    srv.close()
    mptest.eq(open_fds(), before, "open descriptors")


def test_no_heap_for_a_client_leaves_it_waiting():
    # Without room for the client's buffer it is not accepted at all: it waits in the
    # backlog while accepting backs off (a few failures, not one per poll).
    srv = TCPServer()
    srv.setup("127.0.0.1", 0, recv_buffer=1 << 30)
    srv.start(threaded=False)
    s = connect(srv)
    polls = 0
    t0 = time.ticks_ms()
    while time.ticks_diff(time.ticks_ms(), t0) < 1000:
        srv.poll(10)
        polls += 1
    mptest.eq(srv.clients, {}, "clients")
    ex = srv.return_exceptions()
    assert ex and all(isinstance(e, MemoryError) for e in ex), ex
    assert srv.accept_errors <= 6, "%d failures in %d polls: no back-off" % (srv.accept_errors, polls)
    srv.close()
    try:
        mptest.eq(s.recv(10), b"", "closed with the listener")
    except OSError:
        pass  # reset: the stack had completed it in the backlog
    s.close()


def test_exception_list_is_bounded():
    n = [0]

    def boom(c, a, d):
        n[0] += 1
        raise ValueError(n[0])

    srv = TCPServer()
    srv.setup("127.0.0.1", 0, recv_buffer=1, on_receive=boom)
    srv.start(threaded=False)
    s = connect(srv)
    s.send(b"x" * 100)  # 100 reads of 1 byte: 100 exceptions
    assert pump(srv, 3000, lambda: n[0] == 100), n
    ev = srv.event.exception
    mptest.eq(len(ev.list), 32, "kept")
    mptest.eq(ev.dropped, 68, "dropped and counted")
    mptest.eq([e.args[0] for e in ev.list], list(range(69, 101)), "the newest are kept")
    s.close()
    srv.close()


def test_stopped_server_waits_instead_of_spinning():
    srv = TCPServer()
    srv.setup("127.0.0.1", 0)
    srv.start(threaded=False)
    for pause in (srv.stop, srv.exit_accept):
        pause()
        s = connect(srv)  # completes in the backlog, waits there
        t0 = time.ticks_ms()
        events = sum(srv.poll(20) for _ in range(10))
        took = time.ticks_diff(time.ticks_ms(), t0)
        mptest.eq(events, 0, "events while not accepting (%s)" % pause.__name__)
        assert took >= 150, "10 polls of 20 ms returned after %d ms: the loop spins" % took
        mptest.eq(len(srv.clients), 0, "accepted while not accepting")
        srv.restart()
        assert pump(srv, 1000, lambda: len(srv.clients) == 1), "accepted after restart()"
        srv.disconnect(list(srv.clients)[0])
        pump(srv, 50)
        s.close()
    srv.close()


def test_no_client_accepted_once_stop_returns():
    if not _thread:
        mptest.skip("no _thread on this port")
    srv = TCPServer()
    srv.setup("127.0.0.1", 0)
    srv.start()  # the loop thread
    a = connect(srv)
    assert wait_for(lambda: len(srv.clients) == 1), "first client accepted"
    srv.stop()
    b = connect(srv)  # right after stop() returned
    time.sleep_ms(300)  # three loop iterations
    mptest.eq(len(srv.clients), 1, "clients after stop()")
    srv.start()
    assert wait_for(lambda: len(srv.clients) == 2), "accepted after start()"
    a.close()
    b.close()
    srv.close()
    mptest.eq(srv.return_exceptions(), [])


def test_handler_that_leaves_the_client_open_at_its_end():
    calls = []
    gone = []

    def handler(server, client):
        calls.append(server.recv_data(client))  # never closes, even at b""

    srv = TCPServer()
    srv.setup("127.0.0.1", 0, handle_client=handler, on_disconnect=gone.append)
    srv.start(threaded=False)
    s = connect(srv)
    addr = s.getsockname()
    s.send(b"abc")
    assert pump(srv, 1000, lambda: calls), "handler called"
    s.close()
    pump(srv, 300)
    mptest.eq(b"".join(calls), b"abc", "data")
    assert len(calls) <= 3, "handler called %d times after the end of the stream" % len(calls)
    mptest.eq(gone, [addr], "closed by the server at the end")
    mptest.eq(srv.clients, {}, "clients")
    srv.close()


def test_client_that_never_reads_does_not_stall_the_others():
    srv = TCPServer(send_timeout=1500)
    srv.setup("127.0.0.1", 0, recv_buffer=512, on_receive=lambda c, a, d: srv.send_data(d, c))
    srv.start(threaded=False)
    slow = socket.socket()
    slow.setsockopt(socket.SOL_SOCKET, SO_RCVBUF, 4096)
    slow.settimeout(2000)
    slow.connect(srv.address)
    slow.settimeout(0)
    quick = connect(srv)
    assert pump(srv, 1000, lambda: len(srv.clients) == 2)
    c_slow = srv.clients[slow.getsockname()]
    chunk = bytes(4096)
    sent = rounds = 0
    stalled_at = None
    t0 = time.ticks_ms()
    while rounds < 20 and time.ticks_diff(time.ticks_ms(), t0) < 20000:
        try:
            sent += slow.send(chunk)  # echoed to a client that never reads
        except OSError:
            pass
        srv.poll(0)
        if stalled_at is None and c_slow.out:
            stalled_at = sent
        if stalled_at is not None:
            quick.send(b"ping %d" % rounds)  # every round trip must go on meanwhile
            want = b"ping %d" % rounds
            got = b""
            t1 = time.ticks_ms()
            quick.settimeout(0)
            while len(got) < len(want) and time.ticks_diff(time.ticks_ms(), t1) < 5000:
                srv.poll(5)
                try:
                    got += quick.recv(100)
                except OSError:
                    pass
            quick.settimeout(2000)
            mptest.eq(got, want, "echo %d while another client does not read" % rounds)
            rounds += 1
    assert stalled_at is not None, "the slow client's output never queued (%d bytes sent)" % sent
    mptest.eq(rounds, 20, "round trips of the other client")
    assert c_slow.out_len <= srv.max_output + 512, c_slow.out_len
    # its queue made no progress for send_timeout: it is dropped, the other stays
    assert pump(srv, 5000, lambda: c_slow.address not in srv.clients), "stalled client not dropped"
    mptest.eq(len(srv.clients), 1, "the other client is still served")
    ex = srv.return_exceptions()
    assert any(isinstance(e, OSError) and e.errno == errno.ETIMEDOUT for e in ex), ex
    slow.close()
    quick.close()
    srv.close()


def test_output_queue_full_is_an_error_not_a_truncation():
    srv = TCPServer(max_output=1000)
    srv.setup("127.0.0.1", 0)
    srv.start(threaded=False)
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, SO_RCVBUF, 4096)
    s.settimeout(2000)
    s.connect(srv.address)
    assert pump(srv, 1000, lambda: srv.clients)
    c = list(srv.clients.values())[0]
    big = bytes(range(256)) * 8  # 2 KB
    total = 0
    for _ in range(2000):  # until the stack takes no more and the queue is full
        if not srv.send_data(big, c):
            break
        total += len(big)
    e = srv.return_exceptions()[-1]
    mptest.eq(e.errno, errno.ENOBUFS, "error when the queue is full")
    assert c.out_len <= 1000 + len(big), c.out_len
    # everything accepted arrives, in order, nothing of the refused call (the stack
    # may have taken megabytes: compared slice by slice, with a generous deadline)
    got = 0
    s.settimeout(0)
    t0 = time.ticks_ms()
    while got < total and time.ticks_diff(time.ticks_ms(), t0) < 30000:
        srv.poll(5)
        try:
            d = s.recv(8192)
        except OSError:
            continue
        i = 0
        while i < len(d):
            pos = (got + i) % len(big)
            n = min(len(d) - i, len(big) - pos)
            if d[i:i + n] != big[pos:pos + n]:
                raise AssertionError("bytes %d-%d differ" % (got + i, got + i + n))
            i += n
        got += len(d)
    mptest.eq(got, total, "bytes delivered")
    s.close()
    srv.close()


def _tcp_timer(local_port, remote_port):
    # /proc/net/tcp "tr" column of one connection: 2 = the keepalive timer is running
    for line in open("/proc/net/tcp"):
        f = line.split()
        if len(f) > 5 and f[1].endswith(":%04X" % local_port) and f[2].endswith(":%04X" % remote_port):
            return int(f[5].split(":")[0], 16)
    return None


def test_accepted_connections_use_keepalive_and_idle_timeout_is_on():
    srv = TCPServer()
    mptest.eq(srv.idle_timeout, 300000, "default idle timeout (ms)")
    srv.setup("127.0.0.1", 0)
    srv.start(threaded=False)
    s = connect(srv)
    assert pump(srv, 1000, lambda: srv.clients)
    mptest.eq(_tcp_timer(srv.address[1], s.getsockname()[1]), 2, "keepalive timer of the server side")
    mptest.eq(_tcp_timer(s.getsockname()[1], srv.address[1]), 0, "no keepalive on the plain client")
    s.close()
    srv.close()


def test_listen_backlog_is_128():
    srv = TCPServer()
    srv.setup("127.0.0.1", 0)
    srv.stop()  # nobody accepts: every connect must fit in the backlog
    socks = []
    try:
        for i in range(100):
            s = socket.socket()
            s.settimeout(1500)  # a SYN dropped for a full backlog is retried after 1 s
            s.connect(srv.address)
            socks.append(s)
    finally:
        for s in socks:
            s.close()
        srv.close()
    mptest.eq(len(socks), 100, "connections completed in the backlog")


def _echo_server():
    srv = TCPServer()
    srv.setup("127.0.0.1", 0, on_receive=lambda c, a, d: srv.send_data(d, c))
    srv.start()
    return srv


def _connected_client():
    """(echo server on its thread, a connected TCPClient, its on_disconnect calls)."""
    if not _thread:
        mptest.skip("no _thread on this port")
    srv = _echo_server()
    gone = []
    cl = TCPClient()
    cl.setup("127.0.0.1", srv.address[1], on_disconnect=lambda: gone.append(1))
    assert cl.connect()
    return srv, cl, gone


def _echo(cl, msg):
    cl.return_recved_data()
    assert cl.send_data(msg), cl.return_exceptions()
    assert wait_for(lambda: b"".join(cl.recved_data) == msg), (msg, cl.recved_data)
    cl.return_recved_data()


def test_client_disconnect_reconnect_autorecv():
    srv, cl, gone = _connected_client()
    mptest.eq(cl.autorecv(), True, "autorecv on")
    time.sleep_ms(20)  # the receive thread is inside a read
    cl.disconnect()
    assert cl.reconnect()
    mptest.eq(cl.autorecv(), True, "autorecv on again")
    time.sleep_ms(300)  # the old thread has wound down by now
    assert cl.event.is_connected, "the new connection was closed"
    _echo(cl, b"after reconnect")
    mptest.eq(gone, [1], "one on_disconnect, for the explicit disconnect()")
    cl.shutdown()
    srv.close()


def test_client_reconnect_while_autorecv_runs():
    srv, cl, gone = _connected_client()
    cl.autorecv()
    _echo(cl, b"first")
    assert cl.reconnect()
    _echo(cl, b"second")  # received by the same autorecv, on the new connection
    mptest.eq(gone, [], "no on_disconnect for a reconnect")
    mptest.eq(cl.autorecv(), False, "the toggle was still on")
    cl.shutdown()
    mptest.eq(gone, [1], "shutdown() reports the end once")
    srv.close()


def test_client_autorecv_toggle_follows_a_lost_connection():
    srv, cl, gone = _connected_client()
    cl.autorecv()
    assert wait_for(lambda: srv.clients)
    srv.disconnect(list(srv.clients)[0])
    assert wait_for(lambda: gone), "on_disconnect"
    assert wait_for(lambda: not cl._auto_running), "the receive thread ended"
    assert cl.reconnect()
    mptest.eq(cl.autorecv(), True, "the next autorecv() turns it on")
    _echo(cl, b"back")
    mptest.eq(gone, [1], "on_disconnect calls")
    cl.shutdown()
    srv.close()


mptest.main(globals())
