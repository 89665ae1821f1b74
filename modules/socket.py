# `import socket` finds this module on the path. It installs the rule that hands each
# importing module its view of the library's socket (milliseconds, or seconds for code
# written for MicroPython's or CPython's socket) and keeps out of the way from then on.
# See _socket_units.py and docs/socket.md, "Units".
import _socket_ms  # noqa: F401  (loaded first: the largest module, compiled in the least fragmented heap)
import _socket_units as _u

_u.install()


def __getattr__(name):
    # Reached only by the module that imported socket before the rule was installed.
    return _u.first_use(__name__, name)
