# Benchmark: sfnet's TcpSocket and Packet against the raw built-in socket, in the same
# run, against the same CPython scenario peer. Run by bench/run.py (`make bench`).
# Prints: RESULT name=<path> mbps=<x|-> rtps=<x|-> alloc_per_op=<bytes> cpu_us=<x> ratio=<x|->
import gc
import time
import testenv
from benchlib import BULK_BYTES, Meter, rows, raw_connect

CHUNK = 4096
ECHO_ROUNDS = 3000
PACKET_ROUNDS = 2000

import socket  # noqa: E402

gc.collect()
_before = gc.mem_alloc()
import sfnet  # noqa: E402
from sfnet import TcpSocket, Packet, IpAddress, SocketDisconnected  # noqa: E402

gc.collect()
IMPORT_BYTES = gc.mem_alloc() - _before
builtin = socket._n
HOST = IpAddress.from_string(testenv.SCENARIO[0])
PORT = testenv.SCENARIO[1]


def sf_connect(command):
    t = TcpSocket()
    t.connect(HOST, PORT, 10000)
    t.send(command + b"\n")
    return t


def bulk_send(ours):
    cmd = b"count %d" % BULK_BYTES
    s = sf_connect(cmd) if ours else raw_connect(testenv.SCENARIO, cmd, True)
    chunk = memoryview(bytearray(CHUNK))
    n = BULK_BYTES // CHUNK
    with Meter() as m:
        if ours:
            for _ in range(n):
                s.send(chunk)
            m.heap_mark()
            reply = s.receive(64)
        else:
            for _ in range(n):
                s.write(chunk)
            m.heap_mark()
            reply = s.recv(64)
    assert reply.split()[0] == str(BULK_BYTES).encode(), reply
    s.disconnect() if ours else s.close()
    return m.per_op(BULK_BYTES / m.us, n, BULK_BYTES // 1024)


def bulk_recv(mode):
    cmd = b"send %d" % BULK_BYTES
    ours = mode.startswith("sfnet")
    s = sf_connect(cmd) if ours else raw_connect(testenv.SCENARIO, cmd, True)
    buf = bytearray(CHUNK)
    got = 0
    ops = 0
    with Meter() as m:
        if mode == "readinto":  # the built-in's zero-allocation read
            while True:
                k = s.readinto(buf)
                if not k:
                    break
                got += k
                ops += 1
        elif mode == "recv":
            while True:
                data = s.recv(CHUNK)
                if not data:
                    break
                got += len(data)
                ops += 1
        else:
            try:
                while True:
                    if mode == "sfnet receive_into":
                        got += s.receive_into(buf)
                    else:
                        got += len(s.receive(CHUNK))
                    ops += 1
            except SocketDisconnected:
                pass
    s.disconnect() if ours else s.close()
    assert got == BULK_BYTES, got
    return m.per_op(BULK_BYTES / m.us, ops, BULK_BYTES // 1024)


def echo(mode):
    ours = mode.startswith("sfnet")
    s = sf_connect(b"echo") if ours else raw_connect(testenv.SCENARIO, b"echo", True)
    msg = bytearray(64)
    buf = bytearray(64)
    mv = memoryview(buf)
    with Meter() as m:
        for _ in range(ECHO_ROUNDS):
            if ours:
                s.send(msg)
                got = 0
                while got < 64:
                    if mode == "sfnet receive_into":
                        got += s.receive_into(buf) if not got else s.receive_into(mv[got:])
                    else:
                        got += len(s.receive(64 - got))
            else:
                s.write(msg)
                got = 0
                while got < 64:
                    got += s.readinto(mv[got:]) if got else s.readinto(buf)
    s.disconnect() if ours else s.close()
    return m.per_op(ECHO_ROUNDS * 1e6 / m.us, ECHO_ROUNDS)


def sample_packet():
    return Packet().write_uint32(42).write_string("player-one").write_float(1.5).write_double(2.5)


def packet_echo(ours):
    """A round trip of a small packet (ints, a string, floats) through the echo peer.
    Baseline: the same framed bytes written and read back with the built-in."""
    s = sf_connect(b"echo") if ours else raw_connect(testenv.SCENARIO, b"echo", True)
    p = sample_packet()
    payload = p.data
    frame = bytes((0, 0, 0, len(payload))) + payload
    buf = bytearray(len(frame))
    mv = memoryview(buf)
    with Meter() as m:
        for _ in range(PACKET_ROUNDS):
            if ours:
                s.send_packet(sample_packet())
                q = s.receive_packet()
                q.read_uint32()
                q.read_string()
                q.read_float()
                q.read_double()
            else:
                s.write(frame)
                got = 0
                while got < len(frame):
                    got += s.readinto(mv[got:]) if got else s.readinto(buf)
    if ours:
        assert q.data == payload and q, "packet echo"
        s.disconnect()
    else:
        assert bytes(buf) == frame
        s.close()
    return m.per_op(PACKET_ROUNDS * 1e6 / m.us, PACKET_ROUNDS)


def main():
    # "noise:" rows: the built-in again against itself (see socket_bench.py)
    rows("mbps",
         ("sfnet/tcp-bulk-send/builtin write", bulk_send, False),
         ("sfnet/tcp-bulk-send/TcpSocket.send", bulk_send, True),
         ("sfnet/tcp-bulk-send/noise: builtin write again", bulk_send, False))

    rows("mbps",
         ("sfnet/tcp-bulk-recv/builtin readinto", bulk_recv, "readinto"),
         ("sfnet/tcp-bulk-recv/TcpSocket.receive_into", bulk_recv, "sfnet receive_into"),
         ("sfnet/tcp-bulk-recv/noise: builtin readinto again", bulk_recv, "readinto"))
    rows("mbps",
         ("sfnet/tcp-bulk-recv/builtin recv", bulk_recv, "recv"),
         ("sfnet/tcp-bulk-recv/TcpSocket.receive", bulk_recv, "sfnet receive"))

    rows("rtps",
         ("sfnet/tcp-echo-64B/builtin readinto", echo, "builtin"),
         ("sfnet/tcp-echo-64B/TcpSocket.receive_into", echo, "sfnet receive_into"),
         ("sfnet/tcp-echo-64B/TcpSocket.receive", echo, "sfnet receive"))

    rows("rtps",
         ("sfnet/packet-echo/builtin framed bytes", packet_echo, False),
         ("sfnet/packet-echo/send_packet+receive_packet", packet_echo, True))

    print("RESULT name=import/sfnet import_bytes=%d" % IMPORT_BYTES)


main()
