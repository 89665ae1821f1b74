"""CPython peer for the fault tests (tests/host/test_netns_faults.py). It runs inside a
network namespace the test created and listens on the address given on the command
line; it prints "READY <port>" once listening. The client picks the behaviour with its
first line:

    stream N MS       send N pattern bytes in 1 KB chunks, one every MS ms, then close
    sink              never read; hold the connection until the client goes away (30 s max)
    send_rst N        send N pattern bytes, then reset (RST)
    halfclose N       send N pattern bytes, shut down the write side (FIN), then count what
                      the client sends until EOF; kept for `result`
    result PORT       reply "<count> <sum>" for the halfclose connection from client PORT
    echo              echo everything until EOF
    GET /stream/N HTTP/1.x   an HTTP response: Content-Length N, the body sent like
                      `stream N 5` (1 KB every 5 ms)

Datagrams sent to the same port number over UDP are echoed.

    python fault_peers.py 10.77.1.2 [port]
"""

import socket
import struct
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from peers.servers import pattern, read_command  # noqa: E402

_results = {}
_done = threading.Condition()




def _stream(conn, n, ms):
    sent = 0
    while sent < n:
        k = min(1024, n - sent)
        conn.sendall(pattern(k, sent))
        sent += k
        time.sleep(ms / 1000)


def handle(conn, addr):
    conn.settimeout(30)
    try:
        words = read_command(conn)
        if not words:
            return
        if words[0] == "GET":
            while read_command(conn):  # the rest of the request head, up to the blank line
                pass
            n = int(words[1].rsplit("/", 1)[1])
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % n)
            _stream(conn, n, 5)
            return
        cmd, args = words[0], [int(w) for w in words[1:]]
        if cmd == "stream":
            _stream(conn, *args)
        elif cmd == "sink":
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            conn.settimeout(30)
            try:
                # wait for the client to close without reading its data: recv with
                # MSG_PEEK would read nothing but wake on close; poll for EOF/RST instead
                deadline = time.monotonic() + 30
                while time.monotonic() < deadline:
                    time.sleep(0.1)
                    try:
                        if conn.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b"":
                            break
                    except BlockingIOError:
                        pass
            except OSError:
                pass
        elif cmd == "send_rst":
            conn.sendall(pattern(args[0]))
            time.sleep(0.1)  # let the data reach the client before the RST
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        elif cmd == "halfclose":
            conn.sendall(pattern(args[0]))
            conn.shutdown(socket.SHUT_WR)
            count = total = 0
            while True:
                data = conn.recv(65536)
                if not data:
                    break
                count += len(data)
                total = (total + sum(data)) & 0xFFFFFFFF
            with _done:
                _results[addr[1]] = (count, total)
                _done.notify_all()
        elif cmd == "result":
            with _done:
                _done.wait_for(lambda: args[0] in _results, timeout=10)
                res = _results.pop(args[0], None)
            conn.sendall(b"%d %d\n" % res if res else b"none\n")
        elif cmd == "echo":
            while True:
                data = conn.recv(65536)
                if not data:
                    break
                conn.sendall(data)
    except (OSError, ValueError):
        pass
    finally:
        try:
            conn.close()
        except OSError:
            pass


def _udp_echo(udp):
    while True:
        data, addr = udp.recvfrom(65535)
        udp.sendto(data, addr)


def main():
    host = sys.argv[1]
    port = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((host, port))
    srv.listen(64)
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.bind((host, srv.getsockname()[1]))
    threading.Thread(target=_udp_echo, args=(udp,), daemon=True).start()
    print("READY %d" % srv.getsockname()[1], flush=True)
    while True:
        conn, addr = srv.accept()
        threading.Thread(target=handle, args=(conn, addr), daemon=True).start()


if __name__ == "__main__":
    main()
