# Helpers of the simplesockets device tests (test-only, never shipped).
import socket
import time


def pump(srv, ms=200, until=None):
    """Run the server's poll loop for up to ms (or until until() is true)."""
    t0 = time.ticks_ms()
    while time.ticks_diff(time.ticks_ms(), t0) < ms:
        srv.poll(10)
        if until and until():
            return True
    return until() if until else True


def connect(srv):
    """A plain client socket connected to the server (2 s timeout)."""
    s = socket.socket()
    s.settimeout(2000)
    s.connect(srv.address)
    return s


def recv_exact(s, n):
    out = b""
    while len(out) < n:
        d = s.recv(n - len(out))
        if not d:
            break
        out += d
    return out
