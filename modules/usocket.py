# `import usocket`: the same rule as socket.py, for code that uses the old name.
import _socket_units as _units

_units.install()


def __getattr__(name):
    return _units.first_use(__name__, name)
