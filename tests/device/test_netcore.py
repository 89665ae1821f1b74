# _netcore.timeout_until: the deadline -> settimeout(left) step that sfnet's Http, Ftp
# and local-address lookup share.
import time
import mptest
from mptest import eq
import _netcore


class Sock:
    timeout = "untouched"

    def settimeout(self, t):
        self.timeout = t


def test_gives_the_ms_left_until_the_deadline():
    s = Sock()
    assert _netcore.timeout_until(s, time.ticks_add(time.ticks_ms(), 5000))
    assert 4000 < s.timeout <= 5000, s.timeout


def test_no_deadline_is_blocking():
    s = Sock()
    assert _netcore.timeout_until(s, None)
    eq(s.timeout, None, "blocking")


def test_a_passed_deadline_is_false_and_leaves_the_timeout():
    s = Sock()
    eq(_netcore.timeout_until(s, time.ticks_add(time.ticks_ms(), -1)), False, "passed")
    eq(s.timeout, "untouched", "timeout")
    eq(_netcore.timeout_until(s, time.ticks_ms()), False, "the deadline is now")


mptest.main(globals())
