# Benchmark: the built-in socket against this library's socket, in the same run,
# against the same CPython peers. Run by bench/run.py (`make bench`).
# Prints: RESULT name=<path> mbps=<x|-> rtps=<x|-> alloc_per_op=<bytes> ratio=<x|->
import gc
import sys
import time
import testenv

BULK_BYTES = 8 * 1024 * 1024
CHUNK = 4096
ECHO_ROUNDS = 3000
UDP_ROUNDS = 3000

gc.collect()
_before = gc.mem_alloc()
import socket  # noqa: E402  (the override: measure what importing it costs)

gc.collect()
IMPORT_BYTES = gc.mem_alloc() - _before
from benchlib import Meter, report, best, raw_connect  # noqa: E402  (after the import measurement)
builtin = socket._n


def our_connect(addr, command):
    s = socket.socket()
    s.settimeout(10000)
    s.connect(addr)
    s.sendall(command + b"\n")
    return s


def bulk_send(connect, use_recv_into):
    s = connect(testenv.SCENARIO, b"count %d" % BULK_BYTES)
    chunk = memoryview(bytearray(CHUNK))
    n = BULK_BYTES // CHUNK
    with Meter() as m:
        for _ in range(n):
            s.sendall(chunk)
        reply = s.recv(64)
    s.close()
    assert reply.split()[0] == str(BULK_BYTES).encode(), reply
    return BULK_BYTES / m.us, m.alloc // n


def bulk_recv(connect, use_recv_into):
    s = connect(testenv.SCENARIO, b"send %d" % BULK_BYTES)
    buf = bytearray(CHUNK)
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
                data = s.recv(CHUNK)
                if not data:
                    break
                got += len(data)
                ops += 1
    s.close()
    assert got == BULK_BYTES, got
    return BULK_BYTES / m.us, m.alloc // ops


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
    return ECHO_ROUNDS * 1e6 / m.us, m.alloc // ECHO_ROUNDS


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
    return UDP_ROUNDS * 1e6 / m.us, m.alloc // UDP_ROUNDS


def main():
    rate, alloc = best(bulk_send, raw_connect, False)
    report("tcp-bulk-send/builtin sendall", mbps=rate, alloc=alloc)
    r2, a2 = best(bulk_send, our_connect, False)
    report("tcp-bulk-send/socket sendall", mbps=r2, alloc=a2, base=rate)

    into, into_alloc = best(bulk_recv, raw_connect, "readinto")
    report("tcp-bulk-recv/builtin readinto", mbps=into, alloc=into_alloc)
    rate, alloc = best(bulk_recv, raw_connect, False)
    report("tcp-bulk-recv/builtin recv", mbps=rate, alloc=alloc)
    r2, a2 = best(bulk_recv, our_connect, True)
    report("tcp-bulk-recv/socket recv_into", mbps=r2, alloc=a2, base=into)
    r3, a3 = best(bulk_recv, our_connect, False)
    report("tcp-bulk-recv/socket recv", mbps=r3, alloc=a3, base=rate)

    rate, alloc = best(echo, raw_connect, False)
    report("tcp-echo-64B/builtin recv", rtps=rate, alloc=alloc)
    r2, a2 = best(echo, our_connect, True)
    report("tcp-echo-64B/socket recv_into", rtps=r2, alloc=a2, base=rate)
    r3, a3 = best(echo, our_connect, False)
    report("tcp-echo-64B/socket recv", rtps=r3, alloc=a3, base=rate)

    rate, alloc = best(udp, False, False)
    report("udp-echo-64B/builtin recvfrom", rtps=rate, alloc=alloc)
    r2, a2 = best(udp, True, True)
    report("udp-echo-64B/socket recvfrom_into", rtps=r2, alloc=a2, base=rate)
    r3, a3 = best(udp, True, False)
    report("udp-echo-64B/socket recvfrom", rtps=r3, alloc=a3, base=rate)

    print("RESULT name=import/socket import_bytes=%d" % IMPORT_BYTES)


main()
