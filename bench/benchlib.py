# Shared pieces of the MicroPython benchmark scripts (bench/*_bench.py).
import gc
import select
import socket
import time

ECHO_MSG = 1024
# Bytes per bulk run (socket_bench, sfnet_bench): with 8 MB (about 30 ms) the built-in
# measured against itself spread 0.5-2.4 between passes; 64 MB keeps it near 1.
BULK_BYTES = 64 * 1024 * 1024
ECHO_SECONDS_MS = 1500


try:
    from micropython import mem_total  # every byte the heap hands out (MICROPY_MEM_STATS)
except ImportError:
    mem_total = None


def cpu_us():
    """CPU time this process has used, in us: Linux's per-task run time (ns, kernel
    time included), so peers on the same CPU and waits for them do not count. Where
    there is no /proc (a board), the wall clock."""
    try:
        with open("/proc/self/schedstat") as f:
            return int(f.read().split()[0]) // 1000
    except OSError:
        return time.ticks_us()


class Meter:
    """Wall time, CPU time and heap traffic of a loop, with the collector running (as
    in an application). Heap traffic is micropython.mem_total()'s delta: every
    allocation, also the ones freed at once (a call frame put on the heap), which
    gc.mem_alloc() would not show. Without mem_total (a board's build) the collector
    is paused instead and mem_alloc's delta is reported."""

    marked = None

    def __enter__(self):
        gc.collect()
        self.cpu0 = cpu_us()  # (reading /proc allocates: outside the heap figure)
        if mem_total is None:
            gc.disable()
            self.mem = gc.mem_alloc()
        else:
            self.mem = mem_total()
        self.t0 = time.ticks_us()
        return self

    def heap_mark(self):
        """End the heap figure here (the time and CPU figures go on to the block's
        end): a bulk send's last reply is part of the transfer's time, not of the
        sends' heap traffic."""
        self.marked = (gc.mem_alloc() if mem_total is None else mem_total()) - self.mem

    def __exit__(self, *exc):
        self.us = time.ticks_diff(time.ticks_us(), self.t0)
        if mem_total is None:
            self.alloc = gc.mem_alloc() - self.mem
            gc.enable()
        else:
            self.alloc = mem_total() - self.mem
        if self.marked is not None:
            self.alloc = self.marked
        self.cpu = cpu_us() - self.cpu0
        gc.collect()

    def per_op(self, rate, ops, work=None):
        """(rate, heap bytes per op, CPU us per unit of work): what every bench function
        returns. work: the units the CPU time is shared over when the two sides make
        different numbers of calls for the same job (bulk: KB moved); default ops."""
        return rate, self.alloc // ops, self.cpu / (work or ops)


def report(name, mbps=None, rtps=None, alloc=None, cpu=None, base=None):
    """One RESULT line for bench/run.py. cpu: CPU us per operation; the ratio is the
    built-in's CPU time per operation (`base`) over this row's: above 1 is faster."""
    print("RESULT name=%s mbps=%s rtps=%s alloc_per_op=%s cpu_us=%s ratio=%s" % (
        name,
        "%.1f" % mbps if mbps is not None else "-",
        "%.0f" % rtps if rtps is not None else "-",
        alloc if alloc is not None else "-",
        "%.3f" % cpu if cpu is not None else "-",
        "%.3f" % (base / cpu) if base and cpu else "-",
    ))


def rows(unit, *entries):
    """Run each entry, (name, fn, *args), three times, interleaved: one run of each in
    turn, so that a drift of the machine during the group (the peer's socket buffers,
    the heap, the clock) touches every row alike instead of favouring the first. Then
    print one RESULT line per entry, its rate as `unit` ("mbps" or "rtps"): the best
    rate and the least CPU time per op (the least disturbed by the rest of the machine),
    the most heap traffic (the worst case). The first entry is the others' baseline."""
    runs = [[] for _ in entries]
    for _ in range(3):
        for e, r in zip(entries, runs):
            r.append(e[1](*e[2:]))
    base = None
    for e, r in zip(entries, runs):
        rate = max(x[0] for x in r)
        cpu = min(x[2] for x in r)
        report(e[0], mbps=rate if unit == "mbps" else None, rtps=rate if unit == "rtps" else None,
               alloc=max(x[1] for x in r), cpu=cpu, base=base)
        if base is None:
            base = cpu


def raw_connect(addr, command, nodelay=False):
    """A built-in socket connected to the scenario peer, which then runs `command`.
    nodelay: TCP_NODELAY on, as sfnet's TcpSocket has it (SFML's behaviour), so both
    put the same segments on the wire."""
    s = socket._n.socket()
    if nodelay:
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
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
