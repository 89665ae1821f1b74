# Benchmark: simplesockets.TCPServer echo throughput with 1, 8 and 64 clients. Server
# and clients share one process and one thread (server.poll(0) between client steps),
# so the figure includes the clients' own cost. Run by bench/run.py (`make bench`).
# Prints: RESULT name=<path> mbps=<x> rtps=<x> alloc_per_op=<bytes per round trip> peak_heap=-
from benchlib import ECHO_MSG, echo_clients
from simplesockets import TCPServer


def bench(nclients):
    srv = TCPServer(nclients, max_queue=1 << 20)
    srv.setup("127.0.0.1", 0, 128, ECHO_MSG, None, None, None, lambda c, a, d: srv.send_data(d, c))
    srv.start(threaded=False)
    echo_clients("simplesockets TCPServer", srv, nclients, False)


for n in (1, 8, 64):
    bench(n)
