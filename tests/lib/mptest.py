# Tiny on-device test runner: the same script runs on the unix port and on a board.
# A test script defines test_* functions and ends with `mptest.main(globals())`.
# Output protocol (read by tests/harness/device.py):
#   @@@ PASS name | @@@ SKIP name reason | @@@ FAIL name, traceback, @@@ END
import sys


class Skip(Exception):
    pass


def skip(reason):
    raise Skip(reason)


def raises(exc_type, fn, *args, **kwargs):
    """Call fn and return the exception it raised; fail if it raised nothing or another type."""
    try:
        fn(*args, **kwargs)
    except exc_type as e:
        return e
    raise AssertionError("%s not raised by %s" % (exc_type.__name__, fn))


def eq(got, want, what=""):
    if got != want:
        raise AssertionError("%s: got %r, want %r" % (what or "value", got, want))


def main(ns):
    names = sorted(k for k in ns if k.startswith("test_") and callable(ns[k]))
    setup = ns.get("setup_each")
    teardown = ns.get("teardown_each")
    counts = [0, 0, 0]
    for name in names:
        try:
            if setup:
                setup()
            try:
                ns[name]()
            finally:
                if teardown:
                    teardown()
            print("@@@ PASS", name)
            counts[0] += 1
        except Skip as e:
            print("@@@ SKIP", name, e.args[0] if e.args else "")
            counts[2] += 1
        except Exception as e:
            print("@@@ FAIL", name)
            sys.print_exception(e)
            print("@@@ END")
            counts[1] += 1
    print("@@@ DONE %d passed, %d failed, %d skipped" % tuple(counts))
