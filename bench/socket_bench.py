# Benchmark: the built-in socket against this library's socket, in the same run,
# against the same CPython peers. Run by bench/run.py (`make bench`).
# Prints: RESULT name=<path> mbps=<x|-> rtps=<x|-> alloc_per_op=<bytes> cpu_us=<x> ratio=<x|->
import gc
import sys
import time
import testenv

BULK_BYTES = 8 * 1024 * 1024
CHUNK = 4096
BIG_CHUNK = 65536
ECHO_ROUNDS = 3000
UDP_ROUNDS = 3000

gc.collect()
_before = gc.mem_alloc()
import socket  # noqa: E402  (the override: measure what importing it costs)

gc.collect()
IMPORT_BYTES = gc.mem_alloc() - _before
from benchlib import Meter, row, raw_connect  # noqa: E402  (after the import measurement)
builtin = socket._n


def our_connect(addr, command):
    s = socket.socket()
    s.settimeout(10000)
    s.connect(addr)
    s.sendall(command + b"\n")
    return s


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


def udp(ours, use_into):
    if ours:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.settimeout(5000)
        dest = testenv.UDP_ECHO
    else:
        s = builtin.socket(builtin.AF_INET, builtin.SOCK_DGRAM)
        dest = builtin.getaddrinfo(*testenv.UDP_ECHO)[0][-1]
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
    # spread of its ratio is how far apart two identical runs land (bench/NOTES.md).
    for size, group in ((CHUNK, "tcp-bulk-send"), (BIG_CHUNK, "tcp-bulk-send-64K")):
        base = row(group + "/builtin sendall", "mbps", bulk_send, raw_connect, size)
        row(group + "/socket sendall", "mbps", bulk_send, our_connect, size, base=base)
        row(group + "/noise: builtin sendall again", "mbps", bulk_send, raw_connect, size, base=base)

    for size, group in ((CHUNK, "tcp-bulk-recv"), (BIG_CHUNK, "tcp-bulk-recv-64K")):
        base = row(group + "/builtin readinto", "mbps", bulk_recv, raw_connect, "readinto", size)
        row(group + "/socket recv_into", "mbps", bulk_recv, our_connect, True, size, base=base)
        row(group + "/noise: builtin readinto again", "mbps", bulk_recv, raw_connect, "readinto", size, base=base)
        base = row(group + "/builtin recv", "mbps", bulk_recv, raw_connect, False, size)
        row(group + "/socket recv", "mbps", bulk_recv, our_connect, False, size, base=base)

    base = row("tcp-echo-64B/builtin recv", "rtps", echo, raw_connect, False)
    row("tcp-echo-64B/socket recv_into", "rtps", echo, our_connect, True, base=base)
    row("tcp-echo-64B/socket recv", "rtps", echo, our_connect, False, base=base)
    row("tcp-echo-64B/noise: builtin recv again", "rtps", echo, raw_connect, False, base=base)

    base = row("udp-echo-64B/builtin recvfrom", "rtps", udp, False, False)
    row("udp-echo-64B/socket recvfrom_into", "rtps", udp, True, True, base=base)
    row("udp-echo-64B/socket recvfrom", "rtps", udp, True, False, base=base)
    row("udp-echo-64B/noise: builtin recvfrom again", "rtps", udp, False, False, base=base)

    print("RESULT name=import/socket import_bytes=%d" % IMPORT_BYTES)


main()
