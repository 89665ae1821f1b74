# Small file helpers for MicroPython test scripts (os.path is not on every port).
import os


def write(path, data):
    with open(path, "wb") as f:
        f.write(data)


def read(path):
    with open(path, "rb") as f:
        return f.read()


def exists(path):
    try:
        os.stat(path)
        return True
    except OSError:
        return False


def open_fds():
    """Open file descriptors of this process (the unix port)."""
    return len(os.listdir("/proc/self/fd"))
