# Echo servers under load, run by tests/host/test_load_servers.py (MicroPython).
#   micropython load_servers.py socket|sfnet|simplesockets CLIENTS
# Prints "READY <port>", serves until CLIENTS clients have come and gone, then prints
# "STATS clients=<n> bytes_in=<n> bytes_out=<n> peak=<most clients at once>
#  heap_peak=<live heap at that moment, above the start> errors=<n>" and exits. The
# clients check every echoed byte.
import gc
import sys

KIND = sys.argv[1]
CLIENTS = int(sys.argv[2])
RECV_BUFFER = 1024  # per client: 256 clients fit a 2 MB heap
stats = {"clients": 0, "bytes_in": 0, "bytes_out": 0, "peak": 0, "heap_peak": 0, "errors": 0}


def new_peak(live):
    """Record the most clients at once and the live heap at that moment."""
    if live > stats["peak"]:
        stats["peak"] = live
        gc.collect()
        stats["heap_peak"] = gc.mem_alloc()


def serve_socket():
    """The project's socket with select.poll: non-blocking accept and reads, each
    client's echo written with sendall under a timeout."""
    import select
    import socket

    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen(128)
    srv.settimeout(0)
    p = select.poll()
    p.register(srv, select.POLLIN)
    clients = {}
    buf = bytearray(4096)
    mv = memoryview(buf)
    print("READY %d" % srv.getsockname()[1])
    while stats["clients"] < CLIENTS:
        events = p.poll(30000)
        if not events:
            raise OSError("no activity for 30 s")
        for obj, ev in events:
            if obj is srv:
                try:
                    c, _ = srv.accept()
                except OSError:
                    continue
                c.settimeout(5000)
                clients[c] = True
                p.register(c, select.POLLIN)
                new_peak(len(clients))
                continue
            try:
                n = obj.recv_into(buf)
                if n:
                    stats["bytes_in"] += n
                    obj.sendall(mv[:n])
                    stats["bytes_out"] += n
                    continue
            except OSError:
                stats["errors"] += 1
            p.unregister(obj)
            del clients[obj]
            obj.close()
            stats["clients"] += 1
    srv.close()


def serve_sfnet():
    """The server pattern of docs/sfnet.md: a TcpListener and its clients in one
    SocketSelector, every socket non-blocking, each read only when the selector says it
    is ready; what a send could not hand over waits (that client is not read meanwhile)
    and is retried on the next turn, so no client can block the loop."""
    from sfnet import TcpListener, SocketSelector, SocketDisconnected, SocketException, SocketNotReady

    listener = TcpListener()
    listener.listen(0, "127.0.0.1")
    listener.blocking = False
    sel = SocketSelector()
    sel.add(listener)
    clients = {}  # TcpSocket -> its unsent echo (bytes) or None
    buf = bytearray(4096)
    mv = memoryview(buf)
    print("READY %d" % listener.local_port)

    def drop(c):
        if clients.pop(c) is None:  # nothing pending: it is still in the selector
            sel.remove(c)
        c.disconnect()
        stats["clients"] += 1

    def send(c, data):
        # the unsent rest (a copy: buf is reused), or None when all of it went
        try:
            stats["bytes_out"] += c.send(data)
            return None
        except SocketNotReady as e:
            stats["bytes_out"] += e.sent
            return bytes(data[e.sent:])

    while stats["clients"] < CLIENTS:
        pending = any(v is not None for v in clients.values())
        if not sel.wait(20 if pending else 30000) and not pending:
            raise OSError("no activity for 30 s")
        if sel.is_ready(listener):
            try:
                while True:
                    c = listener.accept()
                    c.blocking = False
                    clients[c] = None
                    sel.add(c)
                    new_peak(len(clients))
            except SocketNotReady:
                pass
        for c in list(clients):
            try:
                rest = clients[c]
                if rest is not None:
                    rest = send(c, rest)
                    if rest is None:
                        sel.add(c)  # all out: read it again
                elif sel.is_ready(c):
                    n = c.receive_into(buf)
                    stats["bytes_in"] += n
                    rest = send(c, mv[:n])
                    if rest is not None:
                        sel.remove(c)  # not read until its echo is out
                clients[c] = rest
            except SocketDisconnected:
                drop(c)
            except SocketException:
                stats["errors"] += 1
                drop(c)
    listener.close()


def serve_simplesockets():
    """The simplesockets TCPServer polled from this thread, echoing in on_receive."""
    import simplesockets

    server = simplesockets.TCPServer()
    state = {"live": 0}

    def on_connect(addr):
        state["live"] += 1
        new_peak(state["live"])

    def on_disconnect(addr):
        state["live"] -= 1
        stats["clients"] += 1

    def on_receive(client, addr, data):
        stats["bytes_in"] += len(data)
        if server.send_data(data, client):
            stats["bytes_out"] += len(data)
        else:
            stats["errors"] += 1

    server.setup("127.0.0.1", 0, listen=CLIENTS, recv_buffer=RECV_BUFFER, on_connect=on_connect,
                 on_disconnect=on_disconnect, on_receive=on_receive)
    print("READY %d" % server.address[1])
    while stats["clients"] < CLIENTS:
        if not server.poll(30000):
            raise OSError("no activity for 30 s")
    stats["errors"] += len(server.event.exception.list)
    server.close()


gc.collect()
base = gc.mem_alloc()
{"socket": serve_socket, "sfnet": serve_sfnet, "simplesockets": serve_simplesockets}[KIND]()
stats["heap_peak"] -= base
print("STATS " + " ".join("%s=%d" % (k, stats[k]) for k in sorted(stats)))
