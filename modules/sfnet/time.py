# sfnet.time: a small stand-in for pySFML's sfml.system.Time. Every sfnet timeout
# accepts a Time or plain milliseconds (int/float), or None for "no limit".
from micropython import const

_MAX_MS = const(0x1FFFFFFF)  # the socket module's largest timeout


class Time:
    """A duration, stored in microseconds (an int, exact)."""

    __slots__ = ("_us",)

    def __init__(self, us=0):
        if type(us) is not int:
            raise TypeError("Time(us) takes an int of microseconds")
        self._us = us

    def seconds(self):
        return self._us / 1000000

    def milliseconds(self):
        return self._us // 1000

    def microseconds(self):
        return self._us

    def __eq__(self, other):
        return isinstance(other, Time) and other._us == self._us

    def __ne__(self, other):
        return not self.__eq__(other)

    def __lt__(self, other):
        return self._us < _time(other)._us

    def __le__(self, other):
        return self._us <= _time(other)._us

    def __gt__(self, other):
        return self._us > _time(other)._us

    def __ge__(self, other):
        return self._us >= _time(other)._us

    def __hash__(self):
        return hash(self._us)

    def __add__(self, other):
        return Time(self._us + _time(other)._us)

    def __sub__(self, other):
        return Time(self._us - _time(other)._us)

    def __repr__(self):
        return "Time(%d us)" % self._us


def _time(t):
    if not isinstance(t, Time):
        raise TypeError("expected a Time, not %s" % type(t).__name__)
    return t


def _num(x, what):
    if type(x) is bool or not (type(x) is int or type(x) is float):
        raise TypeError("%s must be a number, not %s" % (what, type(x).__name__))
    return x


def seconds(s):
    return Time(int(round(_num(s, "seconds") * 1000000)))


def milliseconds(ms):
    return Time(int(round(_num(ms, "milliseconds") * 1000)))


def microseconds(us):
    return Time(int(_num(us, "microseconds")))


# A class constant made once the class exists (type checkers can't see it: hence the ignore).
Time.ZERO = Time(0)  # type: ignore[attr-defined]


def to_ms(timeout, zero_is_forever=False):
    """A timeout argument -> whole milliseconds for the socket module, or None.
    Never rounds a wait down to zero; rejects negatives and wrong types."""
    if timeout is None:
        return None
    if isinstance(timeout, Time):
        us = timeout._us
        if us < 0:
            raise ValueError("timeout must not be negative: %r" % timeout)
        ms = us // 1000
        if ms * 1000 < us:
            ms += 1
    else:
        _num(timeout, "timeout")
        if timeout < 0:
            raise ValueError("timeout must be >= 0 ms or None, got %r" % (timeout,))
        ms = int(timeout)
        if ms < timeout:
            ms += 1
    if ms == 0 and zero_is_forever:
        return None
    if ms > _MAX_MS:
        raise ValueError("timeout too large: max %d ms" % _MAX_MS)
    return ms
