# Benchmark: the built-in socket against this library's socket, in the same run,
# against the same CPython peers. Run by bench/run.py (`make bench`).
# Prints: RESULT name=<path> mbps=<x|-> rtps=<x|-> alloc_per_op=<bytes> cpu_us=<x> ratio=<x|->
import gc
import sys
import time
import testenv

CHUNK = 4096
BIG_CHUNK = 65536
ECHO_ROUNDS = 3000
UDP_ROUNDS = 3000

gc.collect()
_before = gc.mem_alloc()
import socket  # noqa: E402  (the override: measure what importing it costs)

gc.collect()
IMPORT_BYTES = gc.mem_alloc() - _before
from benchlib import BULK_BYTES, Meter, rows, raw_connect  # noqa: E402  (after the import measurement)
builtin = socket._n


def our_connect(addr, command):
    s = socket.socket()
    s.settimeout(10000)
    s.connect(addr)
    s.sendall(command + b"\n")
    return s


class Floor:
    """The least a Python method can add: one-line wrappers around the baseline's own
    calls (a blocking built-in socket). Its ratio is the best any Python socket class
    can reach on that row (bench/NOTES.md)."""

    def __init__(self, s):
        self._s = s

    def sendall(self, data, flags=0):
        return self._s.sendall(data)

    def recv_into(self, buf, nbytes=-1, flags=0):
        return self._s.readinto(buf)

    def recv(self, n):
        return self._s.recv(n)

    def sendto(self, data, address):
        return self._s.sendto(data, address)

    def recvfrom(self, n):
        return self._s.recvfrom(n)

    def close(self):
        self._s.close()


def floor_connect(addr, command):
    return Floor(raw_connect(addr, command))


def bulk_send(connect, size):
    s = connect(testenv.SCENARIO, b"count %d" % BULK_BYTES)
    chunk = memoryview(bytearray(size))
    n = BULK_BYTES // size
    with Meter() as m:
        for _ in range(n):
            s.sendall(chunk)
        m.heap_mark()
        reply = s.recv(64)
    s.close()
    assert reply.split()[0] == str(BULK_BYTES).encode(), reply
    return m.per_op(BULK_BYTES / m.us, n, BULK_BYTES // 1024)


def bulk_recv(connect, use_recv_into, size=CHUNK):
    s = connect(testenv.SCENARIO, b"send %d" % BULK_BYTES)
    buf = bytearray(size)
    got = 0
    ops = 0
    with Meter() as m:
        if use_recv_into == "readinto":  # the built-in's zero-allocation read (fills the buffer)
            while True:
                k = s.readinto(buf)
                if not k:
                    break
                got += k
                ops += 1
        elif use_recv_into:
            while True:
                k = s.recv_into(buf)
                if not k:
                    break
                got += k
                ops += 1
        else:
            while True:
                data = s.recv(size)
                if not data:
                    break
                got += len(data)
                ops += 1
    s.close()
    assert got == BULK_BYTES, got
    return m.per_op(BULK_BYTES / m.us, ops, BULK_BYTES // 1024)


def echo(connect, use_recv_into):
    s = connect(testenv.SCENARIO, b"echo")
    msg = bytearray(64)
    buf = bytearray(64)
    with Meter() as m:
        for _ in range(ECHO_ROUNDS):
            s.sendall(msg)
            got = 0
            while got < 64:
                if use_recv_into:
                    got += s.recv_into(buf, 64 - got) if not got else s.recv_into(memoryview(buf)[got:])
                else:
                    got += len(s.recv(64 - got))
    s.close()
    return m.per_op(ECHO_ROUNDS * 1e6 / m.us, ECHO_ROUNDS)


def udp(kind, use_into):
    if kind == "ours":
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.settimeout(5000)
        dest = testenv.UDP_ECHO
    else:
        s = builtin.socket(builtin.AF_INET, builtin.SOCK_DGRAM)
        dest = builtin.getaddrinfo(*testenv.UDP_ECHO)[0][-1]
        if kind == "floor":
            s = Floor(s)
    msg = bytes(64)
    buf = bytearray(64)
    with Meter() as m:
        for _ in range(UDP_ROUNDS):
            s.sendto(msg, dest)
            if use_into:
                s.recvfrom_into(buf)
            else:
                s.recvfrom(64)
    s.close()
    return m.per_op(UDP_ROUNDS * 1e6 / m.us, UDP_ROUNDS)


def main():
    # Each "noise:" row runs the built-in again against itself in the same pass: the
    # spread of its ratio is how far apart two identical runs land; each "floor:" row
    # is Floor, the least any Python method adds (bench/NOTES.md).
    for size, group in ((CHUNK, "tcp-bulk-send"), (BIG_CHUNK, "tcp-bulk-send-64K")):
        rows("mbps",
             (group + "/builtin sendall", bulk_send, raw_connect, size),
             (group + "/socket sendall", bulk_send, our_connect, size),
             (group + "/floor: one-line Python sendall", bulk_send, floor_connect, size),
             (group + "/noise: builtin sendall again", bulk_send, raw_connect, size))

    for size, group in ((CHUNK, "tcp-bulk-recv"), (BIG_CHUNK, "tcp-bulk-recv-64K")):
        rows("mbps",
             (group + "/builtin readinto", bulk_recv, raw_connect, "readinto", size),
             (group + "/socket recv_into", bulk_recv, our_connect, True, size),
             (group + "/floor: one-line Python readinto", bulk_recv, floor_connect, True, size),
             (group + "/noise: builtin readinto again", bulk_recv, raw_connect, "readinto", size))
        rows("mbps",
             (group + "/builtin recv", bulk_recv, raw_connect, False, size),
             (group + "/socket recv", bulk_recv, our_connect, False, size))

    rows("rtps",
         ("tcp-echo-64B/builtin recv", echo, raw_connect, False),
         ("tcp-echo-64B/socket recv_into", echo, our_connect, True),
         ("tcp-echo-64B/socket recv", echo, our_connect, False),
         ("tcp-echo-64B/noise: builtin recv again", echo, raw_connect, False))

    rows("rtps",
         ("udp-echo-64B/builtin recvfrom", udp, "builtin", False),
         ("udp-echo-64B/socket recvfrom_into", udp, "ours", True),
         ("udp-echo-64B/socket recvfrom", udp, "ours", False),
         ("udp-echo-64B/floor: one-line Python sendto and recvfrom", udp, "floor", False),
         ("udp-echo-64B/noise: builtin recvfrom again", udp, "builtin", False))

    print("RESULT name=import/socket import_bytes=%d" % IMPORT_BYTES)


main()
