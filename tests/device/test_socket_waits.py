# How each port adapter waits for data. On ESP32, select.poll sleeps whole RTOS ticks
# (10 ms at 100 Hz) and lwIP does not wake it, while a read blocked inside the
# built-in wakes at once; so _port_lwip blocks inside the built-in in slices and polls
# only for the remainder, and _port_unix polls (Linux wakes a poll at once).
#
# The stand-ins: a built-in socket module that speaks the lwIP dialect (("ip", port)
# tuples) over the unix one, and a select.poll whose waits sleep whole ticks and
# count them. The peer sends only once our side is waiting (a lock the stand-in
# releases), so the checks hold however the machine is loaded.
# mptest: timeout=60
import _thread
import io
import time
import mptest
from mptest import eq, raises
import socket
import _port_lwip
import _port_unix
from _netcore import aton

TICK_MS = 10
REAL = socket._n
REAL_SELECT = socket.select


def need_unix_builtin():
    if not hasattr(REAL, "sockaddr"):
        mptest.skip("the stand-in built-in wraps the unix port's (raw sockaddr) one")


class Stats:
    def __init__(self):
        self.slices = 0  # reads blocked inside the built-in
        self.timeouts = []  # every settimeout() the library gave the built-in
        self.timed_polls = []  # the ms of every poll that was not zero-wait
        self.ticks = 0  # ticks slept in poll
        self.waiting = None  # a lock released as soon as our side waits


ST = Stats()


def _raw(addr):
    if type(addr) is not tuple:  # already raw: the unix adapter's own
        return addr
    return _port_unix.to_native(aton(addr[0]), addr[1])


def _tuple(raw):
    fam, ip, port = REAL.sockaddr(raw)
    return ("%d.%d.%d.%d" % (ip[0], ip[1], ip[2], ip[3]), port)


def _release():
    w = ST.waiting
    if w is not None and w.locked():
        w.release()


class LwipSocket(io.IOBase):  # a stream, as the built-in is (for _netfast.readinto1)
    """The lwIP built-in's socket: tuple addresses; settimeout(t) makes reads block
    inside it for up to t (here: the unix socket's own timeout)."""

    def __init__(self, family, kind, proto=0):
        self._r = REAL.socket(family, kind)

    def settimeout(self, t):
        ST.timeouts.append(t)
        if t:
            ST.slices += 1
            _release()
        self._r.settimeout(t)

    def setblocking(self, flag):
        self._r.setblocking(flag)

    def fileno(self):
        return self._r.fileno()

    def close(self):
        self._r.close()

    def connect(self, addr):
        self._r.connect(_raw(addr))

    def bind(self, addr):
        self._r.bind(_raw(addr))

    def setsockopt(self, *a):
        self._r.setsockopt(*a)

    def recv(self, n, *flags):
        return self._r.recv(n, *flags)

    def recvfrom(self, n, *flags):
        data, raw = self._r.recvfrom(n, *flags)
        return data, _tuple(raw)

    def readinto(self, buf, n=-1):
        try:
            data = self._r.recv(len(buf) if n == -1 else n)
        except OSError as e:
            if e.errno == socket.errno.EAGAIN:
                return None
            raise
        buf[:len(data)] = data
        return len(data)

    def write(self, data, *a):
        return self._r.write(data, *a)

    def send(self, data, *a):
        return self._r.send(data, *a)

    def sendto(self, data, addr):
        return self._r.sendto(data, _raw(addr))


class LwipBuiltin:
    def __getattr__(self, name):
        return getattr(REAL, name)

    def socket(self, family, kind, proto=0):
        return LwipSocket(family, kind, proto)


class TickPoll:
    """ESP32's poll: a wait that is not ready at once sleeps a whole tick, then looks again."""

    def __init__(self):
        self._p = REAL_SELECT.poll()

    def register(self, obj, mask):
        self._p.register(getattr(obj, "_r", obj), mask)

    def modify(self, obj, mask):
        self._p.modify(getattr(obj, "_r", obj), mask)

    def unregister(self, obj):
        self._p.unregister(getattr(obj, "_r", obj))

    def ipoll(self, ms=-1):
        if ms:
            ST.timed_polls.append(ms)
        t0 = time.ticks_ms()
        first = True
        while True:
            ready = self._p.poll(0)
            if ready or ms == 0:
                return ready
            if first:
                first = False
                _release()  # the peer may send now; we only see it after a tick
            time.sleep_ms(TICK_MS)
            ST.ticks += 1
            if ms > 0 and time.ticks_diff(time.ticks_ms(), t0) >= ms:
                return []

    poll = ipoll


class TickSelect:
    POLLIN = REAL_SELECT.POLLIN
    POLLOUT = REAL_SELECT.POLLOUT
    POLLERR = REAL_SELECT.POLLERR
    POLLHUP = REAL_SELECT.POLLHUP

    def poll(self):
        return TickPoll()


def on_port(adapter, fn):
    """fn() with the stand-ins in place and `adapter` selected."""
    need_unix_builtin()
    global ST
    ST = Stats()
    # (our firmware's _netfast.wait1 waits as select.poll does, ticks and all, but
    # below Python: the stand-in poll stands in for both)
    saved = socket._port, socket._n, socket.select, socket._wait1
    socket._port, socket._n, socket.select, socket._wait1 = adapter, LwipBuiltin(), TickSelect(), None
    try:
        return fn()
    finally:
        socket._port, socket._n, socket.select, socket._wait1 = saved


def tcp_pair():
    """(our socket over the stand-in, the peer: a real built-in socket)."""
    lst = REAL.socket(REAL.AF_INET, REAL.SOCK_STREAM)
    lst.bind(_raw(("127.0.0.1", 0)))
    lst.listen(1)
    ours = socket.socket()
    ours.connect(_port_unix.local_name(lst, REAL.SOCK_STREAM))  # (the built-in has no getsockname)
    peer, _ = lst.accept()
    lst.close()
    return ours, peer


def send_when_waiting(peer, data, to=None):
    """Send `data` from a thread once our side waits (the stand-in releases the lock)."""
    ST.waiting = _thread.allocate_lock()
    ST.waiting.acquire()

    def run():
        ST.waiting.acquire()
        if to is None:
            peer.send(data)
        else:
            peer.sendto(data, to)

    _thread.start_new_thread(run, ())


def test_lwip_blocking_reads_wait_inside_the_builtin():
    # Each receive op: the wait is one slice of the built-in's own blocking read,
    # never a tick-sleeping poll, and the built-in is non-blocking again afterwards.
    def check():
        for name in ("recv_into", "recv", "recv WAITALL", "read"):
            s, peer = tcp_pair()
            s.settimeout(None)
            ST.slices = 0
            ST.timed_polls = []
            send_when_waiting(peer, b"hello")
            if name == "recv_into":
                buf = bytearray(8)
                eq(s.recv_into(buf), 5, name)
            elif name == "recv":
                eq(s.recv(8), b"hello", name)
            elif name == "recv WAITALL":
                eq(s.recv(5, socket.MSG_WAITALL), b"hello", name)
            else:
                eq(s.read(5), b"hello", name)
            assert ST.slices >= 1, "%s: no slice inside the built-in" % name
            eq(ST.timed_polls, [], "%s: timed polls" % name)
            eq(ST.timeouts[-1], 0, "%s: the built-in is non-blocking again" % name)
            s.close()
            peer.close()

    on_port(_port_lwip, check)


def test_lwip_udp_recvfrom_waits_inside_the_builtin():
    def check():
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind(("127.0.0.1", 0))
        s.settimeout(5000)
        peer = REAL.socket(REAL.AF_INET, REAL.SOCK_DGRAM)
        send_when_waiting(peer, b"ping", _raw(s.getsockname()))
        data, addr = s.recvfrom(16)
        eq(data, b"ping", "datagram")
        eq(addr[0], "127.0.0.1", "sender")
        assert ST.slices >= 1, "no slice inside the built-in"
        eq(ST.timed_polls, [], "timed polls")
        ST.slices = 0
        send_when_waiting(peer, b"pong", _raw(s.getsockname()))
        buf = bytearray(8)
        eq(s.recvfrom_into(buf), (4, addr), "recvfrom_into: count and the same sender")
        eq(bytes(buf[:4]), b"pong", "recvfrom_into: datagram")
        assert ST.slices >= 1, "recvfrom_into: no slice inside the built-in"
        eq(ST.timed_polls, [], "recvfrom_into: timed polls")
        s.close()
        peer.close()

    on_port(_port_lwip, check)


def test_lwip_timeout_polls_only_the_remainder():
    # 300 ms with nothing coming: slices while at least 100 ms are left, then polls of
    # less than a slice, then socket.timeout no earlier than the deadline.
    def check():
        s, peer = tcp_pair()
        s.settimeout(300)
        ST.timed_polls = []  # (the connect's)
        t0 = time.ticks_ms()
        raises(socket.timeout, s.recv_into, bytearray(4))
        dt = time.ticks_diff(time.ticks_ms(), t0)
        assert dt >= 300, "timed out after %d ms" % dt
        assert ST.slices >= 1, "no slice inside the built-in"
        for ms in ST.timed_polls:
            assert 0 < ms < _port_lwip.SLICE_MS, "a poll of %d ms" % ms
        eq(ST.timeouts[-1], 0, "the built-in is non-blocking again")
        s.close()
        peer.close()

    on_port(_port_lwip, check)


def test_unix_waits_poll_and_never_block_the_builtin():
    # The same stand-ins under the unix adapter: the wait is a poll (which on this
    # stand-in costs whole ticks), and the built-in's timeout is never touched.
    def check():
        s, peer = tcp_pair()
        s.settimeout(None)
        ST.timeouts = []
        send_when_waiting(peer, b"hello")
        buf = bytearray(8)
        eq(s.recv_into(buf), 5, "data")
        eq(ST.timeouts, [], "settimeout calls on the built-in")
        eq(ST.slices, 0, "slices")
        assert ST.ticks >= 1, "the poll woke without sleeping a tick"
        s.close()
        peer.close()

    on_port(_port_unix, check)


mptest.main(globals())
