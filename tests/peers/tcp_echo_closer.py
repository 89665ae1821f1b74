"""Two CPython TCP peers on 127.0.0.1 for tests/host/test_sfnet_pysfml.py's behaviour
comparison: `echo` sends back what it receives; `closer` accepts and closes at once.
Prints `READY <echo port> <closer port>`, then serves until killed."""

import socket
import threading


def _echo(conn):
    with conn:
        while True:
            data = conn.recv(4096)
            if not data:
                return
            conn.sendall(data)


def _serve(listener, handler):
    while True:
        conn, _ = listener.accept()
        threading.Thread(target=handler, args=(conn,), daemon=True).start()


def _listener():
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", 0))
    s.listen(16)
    return s


def main():
    echo, closer = _listener(), _listener()
    threading.Thread(target=_serve, args=(echo, _echo), daemon=True).start()
    print("READY %d %d" % (echo.getsockname()[1], closer.getsockname()[1]), flush=True)
    _serve(closer, lambda conn: conn.close())


if __name__ == "__main__":
    main()
