# Two-instance network tests, in the manner of MicroPython's run-multitests.py.
# A script in tests/multi/ defines instance0() and instance1() and ends with
# `multitest.main(globals())`; tests/harness/board.py runs one copy per instance (on a
# board and on the unix port, or twice on the unix port) and relays, over stdin:
#   multitest.globals(PORT=p)   -> the other instance's multitest.get("PORT") returns p
#   multitest.broadcast("x")    -> releases the other instance's multitest.wait("x")
# Results use mptest's output protocol (@@@ PASS/FAIL/SKIP ... @@@ DONE).
import sys

_values = {}
_seen = []
IP = "127.0.0.1"  # the address this instance listens on (set by the host)
INSTANCE = -1


def _pump():
    line = sys.stdin.readline()
    if not line:
        raise OSError("multitest: the host closed the link")
    kind, _, rest = line.rstrip("\r\n").partition(" ")
    if kind == "SET":
        name, _, value = rest.partition(" ")
        _values[name] = eval(value)  # repr() of a literal from the other instance
    elif kind == "BROADCAST":
        _seen.append(rest)
    elif kind == "CLOSED":
        raise OSError("multitest: the other instance ended without sending what this one waits for")


def globals(**values):
    for name in values:
        print("@@@ SET", name, repr(values[name]))


def get(name):
    while name not in _values:
        _pump()
    return _values[name]


def broadcast(msg):
    print("@@@ BROADCAST", msg)


def wait(msg):
    while msg not in _seen:
        _pump()
    _seen.remove(msg)


def skip(reason):
    import mptest

    mptest.skip(reason)


def main(ns):
    global IP, INSTANCE
    line = sys.stdin.readline().split()
    if len(line) != 3 or line[0] != "INSTANCE":
        raise OSError("multitest: expected 'INSTANCE n ip' from the host, got %r" % line)
    INSTANCE, IP = int(line[1]), line[2]
    if sys.platform != "linux":
        IP = _board_ip()
    name = "instance%d" % INSTANCE
    import mptest

    mptest.main({"test_" + name: ns[name]})  # reported as test_instance0 / test_instance1


def _board_ip():
    # A real board listens on the address its network interface got.
    import network

    for make in (lambda: network.WLAN(network.STA_IF), lambda: network.LAN()):
        try:
            nic = make()
            if nic.isconnected():
                return nic.ifconfig()[0]
        except Exception:
            pass
    raise OSError("multitest: the board has no connected network interface")
