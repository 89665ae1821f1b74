# The timeout unit per importing module: user code (this script is __main__) gets the
# library's milliseconds; a module on the seconds list gets the seconds view, whose
# sockets are the same sockets with timeouts in seconds.
# mptest: timeout=60
import socket  # the first import of socket in this process: resolved on first use
import sys
import mptest
from mptest import eq, raises
from time import ticks_ms, ticks_diff
import testenv


def test_first_importer_user_code_gets_milliseconds():
    eq(socket.__name__, "_socket_ms")  # first use above rebound this global
    s = socket.socket()
    s.settimeout(1500)
    eq(s.gettimeout(), 1500)
    eq(repr(s).endswith("timeout=1500 ms>"), True, repr(s))
    s.close()


def _stock_module(name, source):
    # A module of that name, as a stock library would be: it imports socket itself.
    import os
    try:
        os.stat("/tmp")
        d = "/tmp"
    except OSError:
        d = ""  # a board's (or the virtual board's) root, which is its current directory
    path = d + "/" + name + ".py"
    with open(path, "w") as f:
        f.write(source)
    if d not in sys.path:
        sys.path.insert(0, d)
    sys.modules.pop(name, None)
    return __import__(name)


def test_rules_and_their_validation():
    eq(socket.unit_for("umqtt.simple"), "s")
    eq(socket.unit_for("umqtt"), "s")
    eq(socket.unit_for("mylib"), "ms")
    socket.seconds_for("mylib")
    eq(socket.unit_for("mylib.client"), "s")
    socket.milliseconds_for("mylib.client")
    eq(socket.unit_for("mylib.client"), "ms")
    eq(socket.unit_for("mylib.other"), "s")
    raises(ValueError, socket.seconds_for, "sfnet")  # the library always speaks ms
    raises(ValueError, socket.seconds_for, "")
    raises(ValueError, socket.seconds_for, 5)
    raises(TypeError, socket.unit_for, None)


def test_a_seconds_module_gets_seconds_and_keeps_them_per_socket():
    socket.seconds_for("units_stock")
    m = _stock_module("units_stock", "import socket\nimport usocket\n"
                      "def make():\n    s = socket.socket()\n    s.settimeout(1.5)\n    return s\n")
    eq(m.socket.__name__, "_socket_s")
    eq(m.usocket.__name__, "_socket_s")
    s = m.make()
    eq(s.gettimeout(), 1.5)
    eq(isinstance(s, socket.socket), True)  # the library's socket, in another unit
    s.settimeout(0.00025)  # a sub-ms wait rounds up, never to non-blocking
    eq(s.gettimeout(), 0.001)
    s.settimeout(1.1)
    eq(s.gettimeout(), 1.1)  # float error is not rounded up to 1.101
    raises(ValueError, s.settimeout, -1)
    raises(TypeError, s.settimeout, "1")
    s.close()


def test_seconds_view_timeouts_are_seconds_on_the_wire():
    m = _stock_module("units_stock2", "import socket\n")
    socket.seconds_for("units_stock2")
    m = _stock_module("units_stock2", "import socket\n")
    u = m.socket.socket(m.socket.AF_INET, m.socket.SOCK_DGRAM)
    u.bind(("127.0.0.1", 0))
    u.settimeout(0.3)
    t0 = ticks_ms()
    raises(socket.timeout, u.recv, 10)
    took = ticks_diff(ticks_ms(), t0)
    eq(280 <= took < 3000, True, "0.3 s took %d ms" % took)
    u.close()
    c = m.socket.create_connection(testenv.SCENARIO, 2)  # 2 s
    eq(c.gettimeout(), 2.0)
    c.close()


def test_default_timeout_is_one_for_the_process():
    m = _stock_module("units_stock", "import socket\n")
    try:
        m.socket.setdefaulttimeout(2.5)
        eq(socket.getdefaulttimeout(), 2500)
        eq(m.socket.getdefaulttimeout(), 2.5)
        s = socket.socket()
        eq(s.gettimeout(), 2500)
        s.close()
    finally:
        socket.setdefaulttimeout(None)
    eq(m.socket.getdefaulttimeout(), None)


def test_accepted_sockets_keep_the_listeners_unit():
    m = _stock_module("units_stock", "import socket\n")
    ls = m.socket.socket()
    ls.bind(("127.0.0.1", 0))
    ls.listen(1)
    ls.settimeout(5)
    c = socket.socket()
    c.connect(ls.getsockname())
    conn, _ = ls.accept()
    eq(type(conn) is type(ls), True)
    conn.settimeout(2)
    eq(conn.gettimeout(), 2.0)
    for s in (conn, c, ls):
        s.close()


def test_the_empty_path_idiom_still_reaches_the_built_in():
    saved = sys.path
    sys.path = ()
    try:
        import socket as builtin
    finally:
        sys.path = saved
    eq(builtin.__name__ in ("socket", "usocket"), True, builtin.__name__)
    eq(hasattr(builtin, "seconds_for"), False)


def test_other_imports_are_untouched():
    import errno
    import json

    eq(json.loads("[1]"), [1])
    eq(errno.ETIMEDOUT > 0, True)
    m = _stock_module("units_plain", "X = 42\n")
    eq(m.X, 42)
    raises(ImportError, __import__, "no_such_module_here")


mptest.main(globals())
