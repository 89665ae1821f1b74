# What one more socket object costs on the heap, one way for both users of the figure:
# tests/device/test_ram_connections.py (asserts budgets, every variant, and on a board)
# and bench/ram_probe.py (make bench's table, on the 32-bit frozen firmware). MicroPython;
# needs testenv (the peers) on the path. CPython imports it only for ESP32_BUDGETS.
import gc

N = 16
RECV_BUFFER = 512  # the TCPServer client rows' receive buffer

# Issue 14's budgets (bytes per object), for objects of an ESP32's size: a 32-bit build
# whose waits keep nothing (_netfast). bench/ram_budget.py reports against the same.
ESP32_BUDGETS = {
    "socket-idle": 160,
    "socket-connected": 160,
    "tcpsocket-connected": 256,
    "udp-after-wait": 256,
    "tcpserver-client-%d" % RECV_BUFFER: RECV_BUFFER + 256,
}


def heap():
    gc.collect()
    gc.collect()
    return gc.mem_alloc()


def least(measure, rounds=3):
    """The smallest of a few measurements: the collector is conservative, so a stale
    pointer on the stack can keep a block alive and only ever adds to a figure."""
    return min(measure() for _ in range(rounds))


def per_object(make, close):
    """Heap bytes one more make() keeps, over N of them (all closed afterwards); the
    least of a few rounds."""
    def once():
        keep = [make() for _ in range(2)]  # first-use allocations (caches, classes) happen here
        try:
            base = heap()
            for _ in range(N):
                keep.append(make())
            return (heap() - base) // N
        finally:
            for k in keep:
                close(k)
    return least(once)


def waited(s, read):
    """Make `s` wait once for sure (a 1 ms timeout with nothing coming), so that what a
    wait leaves behind (a poller) is in the figure whatever the peer's speed."""
    before = s.gettimeout()
    s.settimeout(1)
    try:
        read()
    except OSError:  # socket.timeout
        pass
    else:
        raise AssertionError("data came before it was asked for")
    s.settimeout(before)


_BUF = bytearray(16)


def idle_socket():
    import socket
    return socket.socket()


def connected_socket():
    """A socket.socket connected to the echo peer, after one wait and one read."""
    import socket
    import testenv
    s = socket.socket()
    s.settimeout(5000)
    s.connect(testenv.SCENARIO)
    s.sendall(b"echo\n")
    waited(s, lambda: s.recv_into(_BUF, 1))
    s.sendall(b"x")
    s.recv_into(_BUF, 1)
    return s


def peer_ip():
    """The echo peer's address as an sfnet IpAddress, what TcpSocket.connect takes."""
    import sfnet
    import testenv
    return sfnet.IpAddress.from_string(testenv.SCENARIO[0])


def connected_tcpsocket(ip):
    """An sfnet.TcpSocket connected to the echo peer, after one wait and one read."""
    import sfnet
    import testenv
    t = sfnet.TcpSocket()
    t.connect(ip, testenv.SCENARIO[1], 5000)
    t.send(b"echo\n")
    waited(t._sock, lambda: t._sock.recv_into(_BUF, 1))
    t.send(b"x")
    t.receive_into(_BUF, 1)
    return t


def packet_stream(ip):
    """A TcpSocket after one Packet each way (the packets dropped: its own state stays)."""
    import sfnet
    t = connected_tcpsocket(ip)
    t.send_packet(sfnet.Packet().write_uint32(7).write_string("hello"))
    q = t.receive_packet()
    assert q.read_uint32() == 7 and q.read_string() == "hello"
    return t


def udp_after_wait():
    """A bound UDP socket after its first wait and one round trip with the echo peer."""
    import socket
    import testenv
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.settimeout(5000)
    u.bind(("0.0.0.0", 0))
    waited(u, lambda: u.recvfrom_into(_BUF))
    u.sendto(b"ping", testenv.UDP_ECHO)
    u.recvfrom_into(_BUF)
    return u


def server_client(recv_buffer=RECV_BUFFER):
    """Heap bytes a simplesockets.TCPServer keeps per accepted client (the clients'
    own sides exist before the measurement); the least of a few rounds."""
    return least(lambda: _server_client(recv_buffer))


def _server_client(recv_buffer):
    import socket
    from simplesockets import TCPServer
    server = TCPServer()
    server.setup("127.0.0.1", 0, listen=N + 4, recv_buffer=recv_buffer)
    clients = []

    def accept_all(n):
        for _ in range(1000):
            if len(server.clients) >= n:
                return
            server.poll(10)
        raise AssertionError("server accepted %d of %d" % (len(server.clients), n))

    def connect(n):
        for _ in range(n):
            c = socket.socket()
            c.settimeout(5000)
            c.connect(server.address)  # completes in the backlog
            clients.append(c)

    try:
        connect(2)
        accept_all(2)  # first-use allocations
        connect(N)
        base = heap()
        accept_all(N + 2)  # only the server's side of each connection is new
        return (heap() - base) // N
    finally:
        for c in clients:
            c.close()
        server.close()


def measure():
    """{key: bytes per object} of every ESP32_BUDGETS row (and the rest of the kinds)."""
    ip = peer_ip()
    close = lambda s: s.close()  # noqa: E731
    return {
        "socket-idle": per_object(idle_socket, close),
        "socket-connected": per_object(connected_socket, close),
        "tcpsocket-connected": per_object(lambda: connected_tcpsocket(ip), lambda t: t.disconnect()),
        "packet-stream": per_object(lambda: packet_stream(ip), lambda t: t.disconnect()),
        "udp-after-wait": per_object(udp_after_wait, close),
        "tcpserver-client-%d" % RECV_BUFFER: server_client(RECV_BUFFER),
        "tcpserver-client-2048": server_client(2048),
    }
