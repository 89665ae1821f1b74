# Benchmark: sfnet.Http GET of 1 MiB from the CPython http.server peer, streamed to a
# sink (a callable that only counts) and through Http.open().chunks(). Run by
# bench/run.py (`make bench`).
# Prints: RESULT name=<path> mbps=<x> rtps=- alloc_per_op=<bytes per request> peak_heap=<bytes>
# Timed runs do not sample the heap (gc.mem_alloc() walks the whole heap); one more
# run samples it at every chunk for peak_heap, the most heap in use above the
# starting point while the body streams.
import gc
import time
import testenv
from sfnet.http import Http, HttpRequest

SIZE = 1024 * 1024
RUNS = 3
HOST, PORT = testenv.HTTP
REQ = HttpRequest("/bytes/%d" % SIZE)


class Sink:
    def __init__(self, sample):
        self.n = 0
        self.sample = sample
        self.base = gc.mem_alloc() if sample else 0
        self.peak = 0

    def __call__(self, mv):
        self.n += len(mv)
        if self.sample:
            used = gc.mem_alloc() - self.base
            if used > self.peak:
                self.peak = used


def via_sink(h, sample):
    sink = Sink(sample)
    r = h.send_request(REQ, 30000, sink=sink)
    assert r.status == 200 and sink.n == SIZE, (r, sink.n)
    return sink.peak


def via_chunks(h, sample):
    sink = Sink(sample)
    with h.open(REQ, 30000) as r:
        for mv in r.chunks():
            sink(mv)
    assert sink.n == SIZE
    return sink.peak


def measure(name, fn):
    h = Http(HOST, PORT, bufsize=2048)
    best = None
    for _ in range(RUNS):
        gc.collect()
        t0 = time.ticks_us()
        fn(h, False)
        dt = time.ticks_diff(time.ticks_us(), t0)
        best = dt if best is None or dt < best else best
    gc.collect()
    peak = fn(h, True)
    gc.collect()
    gc.disable()  # heap allocated by one whole request
    before = gc.mem_alloc()
    fn(h, False)
    alloc = gc.mem_alloc() - before
    gc.enable()
    print("RESULT name=%s mbps=%.2f rtps=- alloc_per_op=%d peak_heap=%d" % (name, SIZE / best, alloc, peak))


measure("http-get-1MiB/sfnet Http send_request to a sink", via_sink)
measure("http-get-1MiB/sfnet Http open() chunks", via_chunks)
