# A simplesockets.TCPServer echo server in a small heap (tests/host/test_simplesockets_heap.py
# runs it with -X heapsize=...). argv: recv_buffer max_queue max_output serve_ms.
# Prints "READY <port> <free heap>", serves for serve_ms (or until a client sends
# b"QUIT-SERVER"), then prints "STATS" and key=value figures: bytes echoed, connects,
# the largest live heap seen (after a collection, every 16th message), the recorded
# exceptions (one "EXC" line each).
import gc
import sys
from time import ticks_ms, ticks_diff
from simplesockets import TCPServer

recv_buffer, max_queue, max_output, serve_ms = (int(a) for a in sys.argv[1:5])
srv = TCPServer(max_connections=8, max_queue=max_queue, max_output=max_output)
stats = {"echoed": 0, "connects": 0, "messages": 0, "peak": 0, "quit": 0}


def on_receive(client, address, data):
    if data == b"QUIT-SERVER":
        stats["quit"] = 1
        return
    if srv.send_data(data, client):
        stats["echoed"] += len(data)
    stats["messages"] += 1
    if stats["messages"] % 16 == 0:
        gc.collect()
        stats["peak"] = max(stats["peak"], gc.mem_alloc())


def on_connect(address):
    stats["connects"] += 1


srv.setup("127.0.0.1", 0, 128, recv_buffer, None, on_connect, None, on_receive)
srv.start(threaded=False)
gc.collect()
stats["base"] = gc.mem_alloc()
print("READY", srv.address[1], gc.mem_free())
t0 = ticks_ms()
while not stats["quit"] and ticks_diff(ticks_ms(), t0) < serve_ms:
    srv.poll(50)
ex = srv.return_exceptions()
dropped = srv.event.exception.dropped
srv.close()
gc.collect()
print("STATS echoed=%d connects=%d messages=%d base=%d peak=%d heap=%d exceptions=%d dropped=%d" % (
    stats["echoed"], stats["connects"], stats["messages"], stats["base"], stats["peak"],
    gc.mem_free() + gc.mem_alloc(), len(ex), dropped))
for e in ex:
    print("EXC", repr(e))
