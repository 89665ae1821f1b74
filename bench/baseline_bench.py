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
from benchlib import ECHO_MSG as MSG, echo_clients

builtin = socket._n
SIZE = 1024 * 1024
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

    def poll(self, ms=0):
        for obj, ev in self.p.ipoll(ms):
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

    def poll(self, ms=0):
        if not self.sel.wait(ms):
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


http_baseline()
for n in (1, 8, 64):
    echo_clients("builtin poll server", BuiltinServer(), n, True)
    echo_clients("sfnet TcpListener+SocketSelector", SfnetServer(), n, True)
