# Benchmark: simplesockets.TCPServer echo throughput with 1, 8 and 64 clients. Server
# and clients share one process and one thread (server.poll(0) between client steps),
# so the figure includes the clients' own cost. Run by bench/run.py (`make bench`).
# Prints: RESULT name=<path> mbps=<x> rtps=<x> alloc_per_op=<bytes per round trip> peak_heap=-
import gc
import select
import socket
import time
from simplesockets import TCPServer

MSG = 1024
SECONDS_MS = 1500


def bench(nclients):
    srv = TCPServer(nclients, max_queue=1 << 20)
    srv.setup("127.0.0.1", 0, 128, MSG, None, None, None, lambda c, a, d: srv.send_data(d, c))
    srv.start(threaded=False)
    clients = []
    p = select.poll()
    for _ in range(nclients):
        s = socket.socket()
        s.connect(srv.address)
        s.settimeout(0)
        clients.append(s)
        p.register(s, select.POLLIN)
    while len(srv.clients) < nclients:
        srv.poll(10)
    msg = bytes(MSG)
    buf = bytearray(MSG)
    got = {}
    for s in clients:
        got[s] = 0
        s.sendall(msg)

    def step():
        done = 0
        srv.poll(0)
        for s, ev in p.ipoll(0):
            n = s.recv_into(buf)
            got[s] += n
            if got[s] >= MSG:
                got[s] -= MSG
                done += 1
                s.sendall(msg)
        return done

    rounds = 0
    t0 = time.ticks_ms()
    while time.ticks_diff(time.ticks_ms(), t0) < SECONDS_MS:
        rounds += step()
    dt = time.ticks_diff(time.ticks_ms(), t0)
    # allocation per round trip, collector paused
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
    srv.close()
    rtps = rounds * 1000 / dt
    print("RESULT name=echo-1KiB/simplesockets TCPServer %d clients mbps=%.2f rtps=%.0f alloc_per_op=%d peak_heap=-"
          % (nclients, rtps * MSG * 2 / 1e6, rtps, alloc))


for n in (1, 8, 64):
    bench(n)
