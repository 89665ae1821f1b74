# mptest: timeout=120
# Bad input for the simplesockets server, seeded. The protocol has no framing: what a
# client sends arrives as pieces of at most recv_buffer bytes, in order. Several
# clients send random byte streams in random chunk sizes, some end with a FIN, some
# with a reset, some never send anything, while the test drains the queue at random
# moments. Checks: every client's pieces, joined, are exactly what it sent (a reset
# client: a prefix of it), the queue never passes its bound (backpressure instead),
# no callback/server exception is recorded, every client is dropped at its end.
import random
import struct
import mptest
import socket

from simplesockets import TCPServer, TCPClient, SetupError

SEED = 5150
ROUNDS = 40
RECV_BUFFER = 512
MAX_QUEUE = 2048
ENTRY_COST = 64  # documented: each queued message also counts 64 bytes
SO_LINGER = getattr(socket, "SO_LINGER", 13)  # Linux value: this test runs on the unix port


def rand_bytes(n):
    return bytes(random.getrandbits(8) for _ in range(n))


class Client:
    def __init__(self, addr):
        self.s = socket.socket()
        self.s.settimeout(2000)
        self.s.connect(addr)
        self.data = rand_bytes(random.choice((0, 1, 100, 1500, 6000)))
        self.pos = 0
        self.ending = random.choice(("fin", "fin", "rst", "silent"))
        self.closed = False
        self.local = None  # the address the server sees; set from on_connect

    def step(self):
        """Send the next random chunk, or end the connection when all is sent."""
        if self.closed:
            return
        if self.pos < len(self.data):
            k = random.choice((1, 2, 7, 100, 511, 512, 513, 2000))
            self.s.settimeout(0)
            try:
                self.pos += self.s.send(memoryview(self.data)[self.pos:self.pos + k])
            except OSError:
                pass  # send buffer full: the server pushes back; try again later
            return
        if self.ending == "rst":
            self.s.setsockopt(socket.SOL_SOCKET, SO_LINGER, struct.pack("ii", 1, 0))
        if self.ending != "silent" or random.getrandbits(2) == 0:
            self.s.close()
            self.closed = True


def one_round(counts, seed):
    server = TCPServer(max_queue=MAX_QUEUE)
    accepted = []
    server.setup("127.0.0.1", 0, listen=16, recv_buffer=RECV_BUFFER, on_connect=accepted.append)
    addr = server.address
    # seeded after setup: binding port 0 may draw from `random` (socket picks the port)
    random.seed(seed)  # the clients and their data repeat exactly; how sends split
    # under backpressure depends on timing
    clients = [Client(addr) for _ in range(random.getrandbits(3) + 1)]
    # accept order is connect order (the backlog is FIFO): that names each client
    # without getsockname, which is slow on the unix port (a /proc/net scan)
    for _ in range(1000):
        if len(accepted) == len(clients):
            break
        server.poll(10)
    mptest.eq(len(accepted), len(clients), "clients accepted")
    for c, a in zip(clients, accepted):
        c.local = a
    got = {}
    peak = 0
    try:
        for _ in range(20000):
            if all(c.closed for c in clients) and not server.clients:
                break
            random.choice(clients).step()
            server.poll(0)
            queued = sum(len(r.response) + ENTRY_COST for r in server.recved_data)
            peak = max(peak, queued)
            # the bound: reading stops once the queue reaches max_queue, within a poll
            # too, and a client that resets or ends meanwhile waits unread: at most the
            # one piece that crossed it lands past it, in every state
            assert queued <= MAX_QUEUE + RECV_BUFFER + ENTRY_COST, queued
            if random.getrandbits(3) == 0:  # the application drains now and then
                for client, address, data in server.return_recved_data():
                    got[address] = got.get(address, b"") + data
        else:
            raise AssertionError("clients never finished: %r" % [(c.pos, len(c.data), c.ending) for c in clients])
        for client, address, data in server.return_recved_data():
            got[address] = got.get(address, b"") + data
        for c in clients:
            received = got.get(c.local, b"")
            if c.ending == "rst":
                assert c.data.startswith(received), "reset client: not a prefix"
            else:
                assert received == c.data, "%s client: %d of %d bytes" % (c.ending, len(received), len(c.data))
            counts[c.ending] = counts.get(c.ending, 0) + 1
            counts["bytes"] = counts.get("bytes", 0) + len(received)
        mptest.eq(server.event.exception.list, [], "exceptions recorded by the server")
        counts["peak_queue"] = max(counts.get("peak_queue", 0), peak)
    finally:
        for c in clients:
            c.s.close()
        server.close()


def test_random_streams():
    counts = {}
    for i in range(ROUNDS):
        one_round(counts, SEED * 100 + i)
    assert counts.get("rst") and counts.get("fin") and counts["peak_queue"] >= MAX_QUEUE, counts
    print("FUZZ simplesockets-streams rounds=%d clients=%d bytes=%d peak_queue=%d (bound %d) seeds=%d.." % (
        ROUNDS, counts.get("fin", 0) + counts.get("rst", 0) + counts.get("silent", 0), counts["bytes"],
        counts["peak_queue"], MAX_QUEUE, SEED * 100))


def test_bad_arguments_table():
    """Entry points with wrong types and values raise the documented exceptions."""
    n = 0
    for bad in (0, -1, 1.5, "4"):
        n += 1
        mptest.raises(ValueError, TCPServer, bad)
    for bad in ("busy", 123, [66]):  # refuse_message: bytes-like, checked up front
        n += 1
        mptest.raises(TypeError, TCPServer, 1, refuse_message=bad)
    msg = bytearray(b"busy")
    server = TCPServer(1, refuse_message=msg)
    msg[0] = 0x21
    mptest.eq(server.refuse_message, b"busy", "a copy of a bytearray refuse_message")
    server = TCPServer()
    for kwargs, exc in (({"recv_buffer": 0}, ValueError), ({"recv_buffer": "x"}, ValueError),
                        ({"on_receive": 5}, TypeError), ({"handle_client": "f"}, TypeError),
                        ({"port": 70000}, OverflowError), ({"port": "80"}, TypeError),
                        ({"ip": "256.0.0.1"}, OSError)):
        n += 1
        kw = {"ip": "127.0.0.1", "port": 0}
        kw.update(kwargs)
        mptest.raises(exc, server.setup, **kw)
        mptest.eq(server.socket, None, "no socket left after a failed setup")
    server.setup("127.0.0.1", 0)
    try:
        # send_data to unknown clients and of unsendable data: False, recorded, no raise
        for target, data in ((("1.2.3.4", 5), b"x"), (None, b"x"), (object(), "text")):
            n += 1
            mptest.eq(server.send_data(data, target), False, "send_data to %r" % (target,))
        assert server.event.exception.occurred
    finally:
        server.close()
    # TCPClient.setup checks its target and timeout itself (a connect() would only
    # record the error); a refused setup leaves the client not set up
    for kwargs, exc in (({"target_port": "80"}, TypeError), ({"target_port": 0}, OverflowError),
                        ({"target_port": 70000}, OverflowError), ({"timeout": -5}, ValueError),
                        ({"timeout": "5s"}, TypeError), ({"target_ip": 127001}, TypeError)):
        n += 1
        kw = {"target_ip": "127.0.0.1"}
        kw.update(kwargs)
        client = TCPClient()
        mptest.raises(exc, client.setup, **kw)
        mptest.raises(SetupError, client.connect)
    print("FUZZ simplesockets-arguments inputs=%d" % n)


mptest.main(globals())
