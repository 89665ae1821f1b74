# mptest: heapsize=256K timeout=60
# simplesockets.TCPServer's queue bound in every state, in a 256 KB heap (the .py
# variant compiles the module in that heap too): the queue of received data never
# holds more than max_queue + recv_buffer + 64 bytes (64 per message counted), also
# when a client resets or ends while reading is paused, and also when many clients
# are readable in the same poll. A client that resets or ends while paused is not
# read (and causes no events) until the application drains the queue; then the rest
# of its data is delivered in order and it is dropped.
import gc
import socket
import struct
import mptest
from simplesockets import TCPServer

MAX_QUEUE = 1024
RECV_BUFFER = 512
ENTRY_COST = 64  # documented: each queued message also counts 64 bytes
BOUND = MAX_QUEUE + RECV_BUFFER + ENTRY_COST
SO_LINGER = getattr(socket, "SO_LINGER", 13)  # Linux value: this test runs on the unix port


def pattern(n):
    gc.collect()
    b = bytearray(n)  # filled in place: no growing intermediate in a small heap
    for i in range(n):
        b[i] = (i * 7 + 3) & 0xFF
    return b


def queued(srv):
    return sum(len(r.response) + ENTRY_COST for r in srv.recved_data)


class Setup:
    def __init__(self, clients=1, max_queue=MAX_QUEUE):
        gc.collect()
        self.connected = []
        self.gone = []
        self.srv = TCPServer(max_queue=max_queue)
        self.srv.setup("127.0.0.1", 0, recv_buffer=RECV_BUFFER, on_connect=self.connected.append,
                       on_disconnect=self.gone.append)
        self.socks = []
        for _ in range(clients):
            s = socket.socket()
            s.settimeout(2000)
            s.connect(self.srv.address)
            self.socks.append(s)
        for _ in range(200):
            if len(self.connected) == clients:
                break
            self.srv.poll(10)
        mptest.eq(len(self.connected), clients, "clients accepted")
        self.peak = 0

    def poll(self, n, ms=10):
        """n polls, checking the bound after each; the number of socket events seen."""
        events = 0
        for _ in range(n):
            events += self.srv.poll(ms)
            q = queued(self.srv)
            self.peak = max(self.peak, q)
            assert q <= BOUND, "queue %d past its bound %d" % (q, BOUND)
        return events

    def drain(self, until_gone, sent):
        """Drain and poll until until_gone clients are dropped, checking each piece
        against what its client sent (sent: address -> bytes; compared piece by
        piece, so the heap holds no second copy). Bytes delivered, by address."""
        got = {}

        def take():
            for client, address, data in self.srv.return_recved_data():
                at = got.get(address, 0)
                assert sent[address][at:at + len(data)] == data, "%r: wrong bytes at %d" % (address, at)
                got[address] = at + len(data)

        for _ in range(2000):
            take()
            if len(self.gone) >= until_gone:
                break
            self.poll(1, 5)
        take()
        return got

    def close(self):
        for s in self.socks:
            s.close()
        self.srv.close()


def fill_until_paused(t, payload):
    t.socks[0].sendall(payload)
    t.poll(50)  # reads until the queue is full, then pauses
    q = queued(t.srv)
    assert q >= MAX_QUEUE, "the queue did not fill: %d" % q
    mptest.eq(t.poll(10), 0, "socket events while paused")
    return q


def test_reset_while_paused_keeps_the_bound():
    t = Setup()
    try:
        payload = pattern(24000)
        before = fill_until_paused(t, payload)
        s = t.socks[0]
        s.setsockopt(socket.SOL_SOCKET, SO_LINGER, struct.pack("ii", 1, 0))
        s.close()  # RST
        # the reset is seen once, then the client waits, unread, for the queue to drain
        events = t.poll(100)
        assert events <= 1, "%d socket events after the reset: the loop spins on it" % events
        mptest.eq(t.gone, [], "dropped before its data was accounted for")
        mptest.eq(queued(t.srv) <= BOUND, True)
        got = t.drain(1, {t.connected[0]: payload})  # a prefix of what was sent, in order
        mptest.eq(t.gone, t.connected, "the reset client is dropped once its data is read")
        n = got.get(t.connected[0], 0)
        # Linux keeps what arrived before the reset readable: it is delivered, not lost
        assert n > before, "only %d bytes delivered, %d were queued at the reset" % (n, before)
        mptest.eq(t.srv.event.exception.list, [], "exceptions recorded")
        mptest.eq(t.srv.clients, {}, "clients left")
    finally:
        t.close()
    print("reset while paused: peak queue %d (bound %d), %d of %d bytes delivered" % (
        t.peak, BOUND, n, len(payload)))


def test_eof_while_paused_delivers_everything_then_drops():
    t = Setup()
    try:
        payload = pattern(20000)
        fill_until_paused(t, payload)
        t.socks[0].close()  # FIN
        mptest.eq(t.poll(50), 0, "socket events after the FIN while paused")
        got = t.drain(1, {t.connected[0]: payload})
        mptest.eq(t.gone, t.connected, "the client is dropped at its EOF")
        mptest.eq(got.get(t.connected[0]), len(payload), "bytes delivered")
        mptest.eq(t.srv.event.exception.list, [], "exceptions recorded")
    finally:
        t.close()


def test_many_readable_clients_in_one_poll():
    # six clients readable at once: reading stops at the bound within the same poll,
    # the others are read once the queue drains
    t = Setup(6)
    try:
        payloads = [pattern(3000 + 100 * i) for i in range(6)]
        for s, p in zip(t.socks, payloads):
            s.sendall(p)
            s.close()
        t.poll(1, 100)
        got = t.drain(6, dict(zip(t.connected, payloads)))
        mptest.eq(sorted(t.gone), sorted(t.connected), "all clients dropped at their EOF")
        for a, p in zip(t.connected, payloads):
            mptest.eq(got.get(a), len(p), "bytes delivered from %r" % (a,))
    finally:
        t.close()


mptest.main(globals())
