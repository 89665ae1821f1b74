# mptest: timeout=60
# Per-connection RAM: the MicroPython heap one more open connection costs, measured
# as gc.mem_alloc() deltas (after gc.collect) over N connections, for
#   - an idle socket.socket (connected, after one recv_into: any poller exists),
#   - an idle sfnet.TcpSocket (connected, after one receive_into),
#   - a TcpSocket used as a Packet stream (after one send_packet/receive_packet),
#   - one client slot of a simplesockets TCPServer (recv_buffer=512 and 2048).
# Prints "RAM <what> bytes=<per connection>" (docs/reliability.md lists them) and
# checks each against a budget that keeps 16 connections well inside an ESP32's
# ~100 KB. The unix port is 64-bit: its objects are up to twice an ESP32's.
import gc
import mptest
import socket
import testenv

N = 16


def heap():
    gc.collect()
    gc.collect()
    return gc.mem_alloc()


def per_connection(name, make, budget):
    """Open N connections with make() (kept alive), return the heap per connection."""
    keep = [make() for _ in range(2)]  # first-use allocations (caches, classes) happen here
    base = heap()
    for _ in range(N):
        keep.append(make())
    per = (heap() - base) // N
    print("RAM %s bytes=%d" % (name, per))
    for k in keep:
        close = getattr(k, "close", None) or getattr(k, "disconnect")
        close()
    assert per <= budget, "%s: %d bytes per connection, budget %d" % (name, per, budget)
    return per


BUF = bytearray(16)


def test_socket_idle():
    def make():
        s = socket.socket()
        s.settimeout(5000)
        s.connect(testenv.SCENARIO)
        s.sendall(b"echo\nx")
        s.recv_into(BUF, 1)
        return s

    per_connection("socket.socket (connected, idle)", make, 1280)


def _sfnet():
    import sfnet
    return sfnet


def test_sfnet_tcpsocket_idle():
    sfnet = _sfnet()
    ip = sfnet.IpAddress.from_string(testenv.SCENARIO[0])

    def make():
        t = sfnet.TcpSocket()
        t.connect(ip, testenv.SCENARIO[1], 5000)
        t.send(b"echo\nx")
        t.receive_into(BUF, 1)
        return t

    per_connection("sfnet.TcpSocket (connected, idle)", make, 1664)


def test_sfnet_packet_stream():
    sfnet = _sfnet()
    ip = sfnet.IpAddress.from_string(testenv.SCENARIO[0])

    def make():
        t = sfnet.TcpSocket()
        t.connect(ip, testenv.SCENARIO[1], 5000)
        t.send(b"echo\n")
        p = sfnet.Packet().write_uint32(7).write_string("hello")
        t.send_packet(p)
        q = t.receive_packet()
        assert q.read_uint32() == 7 and q.read_string() == "hello"
        return t  # the packet objects are dropped: what stays is the socket's own state

    per_connection("sfnet.TcpSocket as a Packet stream (idle between packets)", make, 1728)


def test_simplesockets_client_slot():
    from simplesockets import TCPServer
    for recv_buffer in (512, 2048):
        server = TCPServer()
        server.setup("127.0.0.1", 0, listen=N + 4, recv_buffer=recv_buffer)
        clients = []
        try:
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

            connect(2)
            accept_all(2)  # first-use allocations happen here
            connect(N)  # the client sides exist before the window opens
            base = heap()
            accept_all(N + 2)  # only the server's side of each connection is new
            per = (heap() - base) // N
            print("RAM simplesockets client slot (recv_buffer=%d) bytes=%d" % (recv_buffer, per))
            assert per <= recv_buffer + 1536, "slot costs %d bytes" % per
        finally:
            for c in clients:
                c.close()
            server.close()


mptest.main(globals())
