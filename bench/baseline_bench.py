# Benchmark: the raw built-in baselines for the Http and server paths, and the sfnet
# TcpListener/SocketSelector server, so bench/run.py can put every path next to the
# built-in doing the same job in the same run. Run by bench/run.py (`make bench`).
#   http-get-1MiB/builtin socket      a hand-written GET over the built-in socket,
#                                     read to EOF through one 2 KB buffer
#   echo-1KiB/builtin poll server N   a select.poll echo server on built-in sockets
#   echo-1KiB/sfnet TcpListener+SocketSelector N
#                                     the SFML pattern: listener and clients in a
#                                     SocketSelector, each read when ready
# The echo servers share the process and the thread with their N clients, exactly as
# bench/servers_bench.py does for simplesockets (same clients, same 1 KiB messages).
# Prints: RESULT name=<path> mbps=<x> rtps=<x|-> alloc_per_op=<bytes> peak_heap=-
import gc
import select
import time
import testenv
import socket

builtin = socket._n
SIZE = 1024 * 1024
MSG = 1024
SECONDS_MS = 1500
RUNS = 3


def raw_get():
    s = builtin.socket()
    s.connect(builtin.getaddrinfo(testenv.HTTP[0], testenv.HTTP[1])[0][-1])
    s.write(b"GET /bytes/%d HTTP/1.0\r\nHost: %s\r\n\r\n" % (SIZE, testenv.HTTP[0].encode()))
    buf = bytearray(2048)
    total = 0
    while True:
        n = s.readinto(buf)
        if not n:
            break
        total += n
    s.close()
    assert total > SIZE, total  # the body plus the head
    return total


def http_baseline():
    best = None
    for _ in range(RUNS):
        gc.collect()
        t0 = time.ticks_us()
        raw_get()
        dt = time.ticks_diff(time.ticks_us(), t0)
        best = dt if best is None or dt < best else best
    gc.collect()
    gc.disable()
    before = gc.mem_alloc()
    raw_get()
    alloc = gc.mem_alloc() - before
    gc.enable()
    print("RESULT name=http-get-1MiB/builtin socket mbps=%.2f rtps=- alloc_per_op=%d peak_heap=-" % (SIZE / best, alloc))


class BuiltinServer:
    """select.poll echo server on built-in sockets: readinto one buffer, write it back."""

    def __init__(self):
        # a free port, found through our socket (the unix built-in has no getsockname)
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        self.address = probe.getsockname()
        probe.close()
        s = builtin.socket()
        s.setsockopt(builtin.SOL_SOCKET, builtin.SO_REUSEADDR, 1)
        s.bind(builtin.getaddrinfo(*self.address)[0][-1])
        s.listen(128)
        s.setblocking(False)
        self.s = s
        self.p = select.poll()
        self.p.register(s, select.POLLIN)
        self.buf = bytearray(MSG)
        self.mv = memoryview(self.buf)
        self.clients = []

    def poll(self):
        for obj, ev in self.p.ipoll(0):
            if obj is self.s:
                c, _ = self.s.accept()
                c.setblocking(False)
                self.clients.append(c)
                self.p.register(c, select.POLLIN)
                continue
            n = obj.readinto(self.buf)
            if n:
                obj.setblocking(True)
                obj.write(self.mv[:n])
                obj.setblocking(False)

    def close(self):
        for c in self.clients:
            c.close()
        self.s.close()


class SfnetServer:
    """sfnet's TcpListener and SocketSelector, the pattern SFML's documentation shows."""

    def __init__(self):
        from sfnet import TcpListener, SocketSelector

        self.listener = TcpListener()
        self.listener.listen(0, "127.0.0.1")
        self.sel = SocketSelector()
        self.sel.add(self.listener)
        self.clients = []
        self.buf = bytearray(MSG)
        self.mv = memoryview(self.buf)
        self.address = ("127.0.0.1", self.listener.local_port)

    def poll(self):
        if not self.sel.wait(0):
            return
        if self.sel.is_ready(self.listener):
            c = self.listener.accept()
            self.clients.append(c)
            self.sel.add(c)
        for c in self.clients:
            if self.sel.is_ready(c):
                n = c.receive_into(self.buf)
                c.send(self.mv[:n])

    def close(self):
        for c in self.clients:
            c.disconnect()
        self.listener.close()


def echo(name, server, nclients):
    clients = []
    p = select.poll()
    for i in range(nclients):
        s = socket.socket()
        s.connect(server.address)
        s.settimeout(0)
        clients.append(s)
        p.register(s, select.POLLIN)
        while len(server.clients) <= i:  # accept each at once: backlogs stay short
            server.poll()
    msg = bytes(MSG)
    buf = bytearray(MSG)
    got = {}
    for s in clients:
        got[s] = 0
        s.sendall(msg)

    def step():
        done = 0
        server.poll()
        for s, ev in p.ipoll(0):
            n = s.recv_into(buf)
            got[s] += n
            if got[s] >= MSG:
                got[s] -= MSG
                done += 1
                s.sendall(msg)
        return done

    rounds = 0
    t0 = time.ticks_ms()
    while time.ticks_diff(time.ticks_ms(), t0) < SECONDS_MS:
        rounds += step()
    dt = time.ticks_diff(time.ticks_ms(), t0)
    gc.collect()
    gc.disable()
    before = gc.mem_alloc()
    counted = 0
    while counted < 200:
        counted += step()
    alloc = (gc.mem_alloc() - before) // counted
    gc.enable()
    for s in clients:
        s.close()
    server.close()
    rtps = rounds * 1000 / dt
    print("RESULT name=echo-1KiB/%s %d clients mbps=%.2f rtps=%.0f alloc_per_op=%d peak_heap=-"
          % (name, nclients, rtps * MSG * 2 / 1e6, rtps, alloc))


http_baseline()
for n in (1, 8, 64):
    echo("builtin poll server", BuiltinServer(), n)
    echo("sfnet TcpListener+SocketSelector", SfnetServer(), n)
