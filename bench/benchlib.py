# Shared pieces of the MicroPython benchmark scripts (bench/*_bench.py).
import gc
import select
import socket
import time

ECHO_MSG = 1024
ECHO_SECONDS_MS = 1500


class Meter:
    """Time and heap allocation of a loop; GC is off so mem_alloc deltas are exact."""

    def __enter__(self):
        gc.collect()
        gc.disable()
        self.mem = gc.mem_alloc()
        self.t0 = time.ticks_us()
        return self

    def __exit__(self, *exc):
        self.us = time.ticks_diff(time.ticks_us(), self.t0)
        self.alloc = gc.mem_alloc() - self.mem
        gc.enable()
        gc.collect()


def report(name, mbps=None, rtps=None, alloc=None, base=None):
    """One RESULT line for bench/run.py; ratio is against `base` (same unit)."""
    value = mbps if mbps is not None else rtps
    print("RESULT name=%s mbps=%s rtps=%s alloc_per_op=%s ratio=%s" % (
        name,
        "%.1f" % mbps if mbps is not None else "-",
        "%.0f" % rtps if rtps is not None else "-",
        alloc if alloc is not None else "-",
        "%.3f" % (value / base) if base else "-",
    ))


def best(fn, *args):
    """Best of three runs: the least disturbed by the rest of the machine."""
    return max(fn(*args) for _ in range(3))


def raw_connect(addr, command):
    """A built-in socket connected to the scenario peer, which then runs `command`."""
    s = socket._n.socket()
    s.connect(socket._n.getaddrinfo(addr[0], addr[1])[0][-1])
    s.write(command + b"\n")
    return s


def echo_clients(name, server, nclients, wait_for_accept):
    """Drive `nclients` echo clients of 1 KiB messages against `server` in this thread
    (server.poll between client steps) and print its RESULT line.
    wait_for_accept: accept each client before connecting the next (short backlogs)."""
    clients = []
    p = select.poll()
    for i in range(nclients):
        s = socket.socket()
        s.connect(server.address)
        s.settimeout(0)
        clients.append(s)
        p.register(s, select.POLLIN)
        while wait_for_accept and len(server.clients) <= i:
            server.poll(0)
    while len(server.clients) < nclients:
        server.poll(10)
    msg = bytes(ECHO_MSG)
    buf = bytearray(ECHO_MSG)
    got = {}
    for s in clients:
        got[s] = 0
        s.sendall(msg)

    def step():
        done = 0
        server.poll(0)
        for s, ev in p.ipoll(0):
            n = s.recv_into(buf)
            got[s] += n
            if got[s] >= ECHO_MSG:
                got[s] -= ECHO_MSG
                done += 1
                s.sendall(msg)
        return done

    rounds = 0
    t0 = time.ticks_ms()
    while time.ticks_diff(time.ticks_ms(), t0) < ECHO_SECONDS_MS:
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
          % (name, nclients, rtps * ECHO_MSG * 2 / 1e6, rtps, alloc))
