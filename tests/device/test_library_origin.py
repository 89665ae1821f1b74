# Where the library comes from: in the [frozen64]/[frozen32] variants every module must be
# the firmware's frozen bytecode (no file on any path), in [py]/[mpy] the staged copies.
# Without this, a harness that puts a copy of the library before ".frozen" would test
# the copy and call it the firmware (tests/harness/device.py, MPTEST_LIB).
import os
import sys

import mptest
from localfiles import exists

MODULES = ("socket", "netif", "netlink", "wireless", "wireless.wifi", "ethernet", "ethernet.eth",
           "sfnet", "sfnet.tcp", "sfnet.udp", "sfnet.http", "sfnet.packet", "sfnet.selector",
           "simplesockets", "drivers", "drivers.boards")


def expected_kind():
    getenv = getattr(os, "getenv", None)
    kind = getenv("MPTEST_LIB") if getenv else None
    if kind:
        return kind
    # on a board (tests/harness/board.py) the variant's copy is on sys.path as /mptest/<kind>
    for entry in sys.path:
        if entry.startswith("/mptest/") and entry.rsplit("/", 1)[1] in ("py", "mpy"):
            return entry.rsplit("/", 1)[1]
    raise AssertionError("cannot tell which library variant runs: MPTEST_LIB unset, sys.path %r"
                         % (sys.path,))


def module(name):
    __import__(name)
    return sys.modules[name]


def origin(name):
    """'frozen', or the file the module was loaded from."""
    f = getattr(module(name), "__file__", None)
    if f is None or not exists(f):
        return "frozen"  # a frozen module's __file__ names no file on the filesystem
    return f


def test_every_library_module_comes_from_the_expected_place():
    kind = expected_kind()
    wrong = []
    for name in MODULES:
        where = origin(name)
        if kind == "frozen":
            ok = where == "frozen"
        else:
            ok = where != "frozen" and where.endswith("." + kind)
        if not ok:
            wrong.append((name, where))
    assert not wrong, "variant %s, but: %r" % (kind, wrong)


def test_frozen_variant_has_no_copy_on_the_path():
    if expected_kind() != "frozen":
        # the py/mpy variants put their copy on the path: that is what the test above checks
        assert any(exists(d + "/socket." + expected_kind()) for d in sys.path if d != ".frozen")
        return
    copies = [d for d in sys.path if d != ".frozen" and (exists(d + "/socket.py") or exists(d + "/socket.mpy")
                                                         or exists(d + "/sfnet"))]
    assert not copies, "a copy of the library is on sys.path before the image: %r" % (copies,)
    assert ".frozen" in sys.path
    # a board-style manifest keeps the port's own frozen modules next to the library
    dropped = [m for m in ("asyncio", "requests", "mip", "ssl") if origin(m) != "frozen"]
    assert not dropped, "the firmware lost the port's own modules: %r" % (dropped,)


mptest.main(globals())
