# Helpers shared by on-device network tests (test-only, never shipped).
import socket
import testenv


def pattern(n, start=0):
    """The scenario peer's byte pattern: byte i = (i * 7 + 3) & 0xFF."""
    b = bytearray(n)
    for i in range(n):
        b[i] = ((start + i) * 7 + 3) & 0xFF
    return bytes(b)


def scenario(command, timeout=5000):
    """A connection to the scenario peer, which then behaves as `command` says."""
    s = socket.socket()
    s.settimeout(timeout)
    s.connect(testenv.SCENARIO)
    s.sendall(command.encode() + b"\n")
    return s


def recv_all(s, limit=1 << 24):
    out = bytearray()
    while len(out) < limit:
        data = s.recv(4096)
        if not data:
            break
        out += data
    return bytes(out)


def open_fds():
    """Open file descriptors of this process (unix port), or None on a board."""
    try:
        import os

        return len(os.listdir("/proc/self/fd"))
    except (OSError, AttributeError, ImportError):
        return None


def fds_before():
    """open_fds() as the baseline of a leak check: sockets that earlier code dropped
    without close() are closed by their finalisers when the GC runs, so it runs now,
    not between the two counts."""
    import gc

    gc.collect()
    return open_fds()


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port
