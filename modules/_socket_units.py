# Which unit `import socket` (and `import usocket`) speaks, per importing module.
#
# The rule: a module gets SECONDS if it, or a package it is in, is on the seconds
# list (the stock modules below, plus seconds_for()); every other module gets
# MILLISECONDS. builtins.__import__ hands each importer its view, keyed on the
# importer's __name__: _socket_ms (the library's socket) or _socket_s (the same sockets,
# timeouts in seconds). Both views share one set of sockets, errors and state.
import sys
import builtins

# Stock modules written for MicroPython's or CPython's socket: they pass seconds.
# Those in the ESP32 firmware's default image come first.
_rules = {}
for _name in ("umqtt", "ntptime", "requests", "webrepl", "webrepl_setup", "mip",
              "urequests", "urllib", "aiohttp", "asyncio", "uasyncio", "ssl", "websocket", "http", "iperf3",
              "microdot", "microdot_asyncio", "microdot_websocket",
              "microdot_asyncio_websocket", "microdot_websocket_alt"):
    _rules[_name] = True
del _name

# The library's own code always speaks milliseconds.
_LIBRARY = ("socket", "usocket", "_socket_ms", "_socket_s", "_socket_units", "sfnet",
            "simplesockets", "wireless", "ethernet", "netif", "netlink", "drivers")


def _module_name(name):
    if type(name) is not str or not name or name[0] == "." or name[-1] == ".":
        raise ValueError("a module name like 'mylib' or 'mylib.client' is needed, not %r" % (name,))
    top = name.split(".")[0]
    if top in _LIBRARY:
        raise ValueError("%r is part of this library, which always speaks milliseconds" % name)
    return name


def seconds_for(name):
    """Hand `name` (a module, or a package and everything in it) the seconds view
    from its next `import socket` on."""
    _rules[_module_name(name)] = True


def milliseconds_for(name):
    """Hand `name` (a module or a package) the milliseconds view, even if it or its
    package is on the seconds list."""
    _rules[_module_name(name)] = False


def _is_seconds(name):
    while True:
        v = _rules.get(name)
        if v is not None:
            return v
        i = name.rfind(".")
        if i < 0:
            return False
        name = name[:i]


def unit_for(name):
    """'s' or 'ms': what `import socket` gives the module `name` now."""
    if type(name) is not str:
        raise TypeError("module name must be a str")
    return "s" if _is_seconds(name) else "ms"


def _view(name):
    if type(name) is str and _is_seconds(name):
        import _socket_s

        return _socket_s
    import _socket_ms

    return _socket_ms


_orig_import = None


def _import(name, globals=None, locals=None, fromlist=None, level=0):
    # An empty sys.path is MicroPython's idiom for "the built-in module": let it through.
    if (name == "socket" or name == "usocket") and not level and sys.path:
        return _view(globals.get("__name__") if globals else None)
    return _orig_import(name, globals, locals, fromlist, level)


def install():
    global _orig_import
    if _orig_import is None:
        _orig_import = builtins.__import__
        builtins.__import__ = _import


# ---- the module that imported socket first, before the rule existed
#
# It got socket.py itself, not a view. On that module's first use, every module that
# holds it as a global is handed its own view instead, as if it had imported after
# the rule was in place. (A first `import usocket` never reaches Python code:
# MicroPython hands the `u` name to the built-in until the hook exists.)

_first = {}  # stub name -> the view its holders were given


def _rebind(stub):
    import __main__  # type: ignore[import-not-found]  # the main script / REPL: not in sys.modules

    mods = list(sys.modules.items())
    mods.append(("__main__", __main__))
    found = None
    for modname, mod in mods:
        if mod is stub:
            continue
        d = getattr(mod, "__dict__", None)
        if d is None:
            continue
        for k in d:
            if d[k] is stub:
                v = _view(modname)
                d[k] = v
                found = v if found is None or found is v else False
    return found or _view(None)  # no holder or disagreeing holders: milliseconds


def first_use(stub_name, attr):
    view = _first.get(stub_name)
    if view is None:
        view = _first[stub_name] = _rebind(sys.modules.get(stub_name))
    if attr == "__all__":  # `from socket import *` as the first import
        return [n for n in dir(view) if n[0] != "_"]
    return getattr(view, attr)
