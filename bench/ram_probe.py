# RAM of the frozen library, run by bench/ram_budget.py on the 32-bit frozen unix firmware
# (objects there have an ESP32's sizes). MicroPython; one measurement per run:
#   micropython ram_probe.py import MOD [MOD...]   heap kept by importing MODs (fresh interpreter)
#   micropython ram_probe.py objects               heap per object, each kind over N objects
#   micropython ram_probe.py echo                  one TCP echo through socket (prints "ECHO ok")
# Prints "RAM <key> bytes=<n>" lines. Heap = gc.mem_alloc() after gc.collect().
import gc
import sys

N = 16


def heap():
    gc.collect()
    gc.collect()
    return gc.mem_alloc()


def imports(mods):
    try:
        import network  # noqa: F401  (built in on a board)
    except ImportError:
        # ESP32 drivers import `network`/`machine`: on the unix port the test stand-ins
        # play them, loaded before the measurement (on a board they are built in)
        import simnet
        simnet.install()
    base = heap()
    for m in mods:
        __import__(m)
    print("RAM import bytes=%d" % (heap() - base))


def per_object(key, make, close):
    keep = [make() for _ in range(2)]  # first-use allocations (caches, classes) happen here
    base = heap()
    for _ in range(N):
        keep.append(make())
    print("RAM %s bytes=%d" % (key, (heap() - base) // N))
    for k in keep:
        close(k)


def waited(s, read):
    """Make `s` wait once for sure (a 1 ms timeout with nothing coming), so that what a
    wait leaves behind (its poller) is in the figure whatever the peer's speed."""
    before = s.gettimeout()
    s.settimeout(1)
    try:
        read()
    except OSError:  # socket.timeout
        pass
    else:
        raise AssertionError("data came before it was asked for")
    s.settimeout(before)


def objects():
    import socket
    import sfnet
    import testenv
    from simplesockets import TCPServer

    buf = bytearray(16)
    per_object("socket-idle", socket.socket, lambda s: s.close())

    def connected():
        s = socket.socket()
        s.settimeout(5000)
        s.connect(testenv.SCENARIO)
        s.sendall(b"echo\n")
        waited(s, lambda: s.recv_into(buf, 1))
        s.sendall(b"x")
        s.recv_into(buf, 1)
        return s

    per_object("socket-connected", connected, lambda s: s.close())

    ip = sfnet.IpAddress.from_string(testenv.SCENARIO[0])

    def tcpsocket():
        t = sfnet.TcpSocket()
        t.connect(ip, testenv.SCENARIO[1], 5000)
        t.send(b"echo\n")
        waited(t._sock, lambda: t._sock.recv_into(buf, 1))
        t.send(b"x")
        t.receive_into(buf, 1)
        return t

    per_object("tcpsocket-connected", tcpsocket, lambda t: t.disconnect())

    def udp():
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        u.settimeout(5000)
        u.bind(("0.0.0.0", 0))
        waited(u, lambda: u.recvfrom_into(buf))  # its first wait
        u.sendto(b"ping", testenv.UDP_ECHO)
        u.recvfrom_into(buf)
        return u

    per_object("udp-after-wait", udp, lambda u: u.close())

    recv_buffer = 512
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

    connect(2)
    accept_all(2)  # first-use allocations
    connect(N)  # the client sides exist before the window opens
    base = heap()
    accept_all(N + 2)  # only the server's side of each connection is new
    print("RAM tcpserver-client-%d bytes=%d" % (recv_buffer, (heap() - base) // N))
    for c in clients:
        c.close()
    server.close()


def echo():
    import socket
    import testenv
    s = socket.socket()
    s.settimeout(5000)
    s.connect(testenv.SCENARIO)
    s.sendall(b"echo\nhello")
    got = b""
    while len(got) < 5:
        got += s.recv(16)
    s.close()
    print("ECHO ok" if got == b"hello" else "ECHO wrong %r" % got)


if sys.argv[1] == "import":
    imports(sys.argv[2:])
elif sys.argv[1] == "echo":
    echo()
else:
    objects()
