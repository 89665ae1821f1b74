# A simplesockets.TCPServer echo server for the host tests (tests/host/test_simplesockets_peer.py).
# argv: max_connections (0 = none) idle_timeout_ms (0 = none) recv_buffer
# Prints "READY <port> <open descriptors>", serves on this thread (serve_forever) until a client sends
# b"QUIT-SERVER", then prints one JSON line of statistics.
import os
import sys
import json
from simplesockets import TCPServer

maxc = int(sys.argv[1]) or None
idle = int(sys.argv[2]) or None
bufsize = int(sys.argv[3])
stats = {"connects": 0, "disconnects": 0, "bytes": 0}
srv = TCPServer(maxc, idle_timeout=idle, refuse_message=b"REFUSED\n")


def on_receive(client, address, data):
    if data == b"QUIT-SERVER":
        srv.stop_serving()
        return
    stats["bytes"] += len(data)
    srv.send_data(data, client)


def on_connect(address):
    stats["connects"] += 1


def on_disconnect(address):
    stats["disconnects"] += 1


srv.setup("127.0.0.1", 0, 128, bufsize, None, on_connect, on_disconnect, on_receive)
srv.start(threaded=False)
print("READY", srv.address[1], len(os.listdir("/proc/self/fd")))
srv.serve_forever()
stats["refused"] = srv.refused
stats["clients_left"] = len(srv.clients) - 1  # minus the client that sent QUIT
stats["accept_errors"] = srv.accept_errors
stats["exceptions_dropped"] = srv.event.exception.dropped
stats["exceptions"] = [repr(e) for e in srv.return_exceptions()]
srv.close()
print(json.dumps(stats))
