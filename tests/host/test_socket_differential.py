"""A differential test against CPython: tests/peers/socket_differential.py runs under
CPython's socket and under MicroPython with our override (.py and .mpy on the stock
binary, frozen into both firmware images with their C paths, and through the seconds
view that stock modules get), all on loopback, and every case's return value,
exception kind and errno must agree, except for the differences docs/socket.md lists
as deliberate (below, each with our result)."""

import errno
import os
import subprocess
import sys
from ast import literal_eval
from pathlib import Path

import pytest

from peers import mprun

SCRIPT = Path(__file__).resolve().parents[1] / "peers" / "socket_differential.py"
EINVAL = errno.EINVAL
TIMEOUT = 120

# case -> (what we return, why it differs from CPython). docs/socket.md, "Differences
# from CPython", says the same.
DELIBERATE = {
    "getaddrinfo('127.0.0.1', 70000, 0, 1)": (
        ("exc", "OverflowError", None), "ports outside 0-65535 raise OverflowError (CPython wraps)"),
    "getaddrinfo('127.0.0.1', -1, 0, 1)": (
        ("exc", "OverflowError", None), "ports outside 0-65535 raise OverflowError"),
    "getaddrinfo('localhost\\x00.evil', 80, 0, 1)": (
        ("exc", "ValueError", None), "a NUL in a host name is refused (CPython cuts the name there)"),
    "gethostbyname('localhost\\x00')": (
        ("exc", "ValueError", None), "a NUL in a host name is ValueError (CPython: TypeError)"),
    "tcp.connect_nul_host": (
        ("exc", "ValueError", None), "a NUL in a host name is ValueError (CPython: TypeError)"),
    "getaddrinfo_port_float": (
        ("exc", "TypeError", None), "a port of the wrong type is TypeError (CPython: OSError)"),
    "cc.bad_address": (
        ("exc", "TypeError", None), "create_connection needs a (host, port) tuple: TypeError"),
    "tcp.dontwait_empty_timeout": (
        ("exc", "OSError", errno.EAGAIN), "MSG_DONTWAIT never waits, even with a timeout set"),
    "tcp.send_str": (
        ("ok", 4), "a str is sent as its UTF-8 bytes, as MicroPython's built-in does (CPython: TypeError)"),
    "tcp.sendall_str": (
        ("ok", None), "a str is sent as its UTF-8 bytes, as MicroPython's built-in does (CPython: TypeError)"),
    "misc.gai_empty_host": (
        ("ok", [("0.0.0.0", 80)]), "getaddrinfo('') is 0.0.0.0, as ESP32's built-in gives (CPython: gaierror)"),
    "misc.gai_inet6": (
        ("exc", "gaierror", -6), "IPv4 only: AF_INET6 is EAI_FAMILY, the family not supported"),
    "misc.getsockopt_unknown": (
        ("exc", "OSError", errno.ENOPROTOOPT), "an option never set is ENOPROTOOPT: no built-in has getsockopt"),
    "misc.settimeout_bool": (
        ("exc", "TypeError", None), "a bool timeout is a TypeError (CPython: 1 or 0 seconds)"),
    "udp.dontwait_empty_timeout": (
        ("exc", "OSError", errno.EAGAIN), "MSG_DONTWAIT never waits, even with a timeout set"),
    "opt.inherit_reuseaddr": (
        ("exc", "OSError", errno.ENOPROTOOPT), "SO_REUSEADDR and SO_KEEPALIVE pass to an accepted socket without a record there (RAM): not read back"),
    "opt.inherit_keepalive": (
        ("exc", "OSError", errno.ENOPROTOOPT), "SO_REUSEADDR and SO_KEEPALIVE pass to an accepted socket without a record there (RAM): not read back"),
    "arg.detach": (
        ("exc", "OSError", errno.EOPNOTSUPP), "detach() is EOPNOTSUPP: no built-in can give up its descriptor"),
    "opt.buflen_big": (
        ("exc", "OSError", EINVAL), "a getsockopt buflen outside 1-1024 is OSError(EINVAL) (CPython: errno None)"),
    "opt.buflen_neg": (
        ("exc", "OSError", EINVAL), "a getsockopt buflen outside 1-1024 is OSError(EINVAL) (CPython: errno None)"),
    "opt.callback_20": (
        ("exc", "OSError", errno.ENOPROTOOPT), "setsockopt(SOL_SOCKET, 20, fn) is MicroPython's readable callback, which the unix built-in lacks (CPython: TypeError)"),
    "opt.callback_20_none": (
        ("exc", "OSError", errno.ENOPROTOOPT), "setsockopt(SOL_SOCKET, 20, fn) is MicroPython's readable callback, which the unix built-in lacks (CPython: TypeError)"),
    "srv.has_dualstack": (("ok", False), "IPv4 only: no dual-stack sockets"),
    "srv.reuse_port": (
        ("exc", "ValueError", None), "no built-in has SO_REUSEPORT (nor lwIP): ValueError, as CPython where the OS lacks it"),
    "srv.bare_ip": (
        ("ok", "127.0.0.1"), "create_server takes Zerynth's address forms: a bare IP binds port 0 (CPython: TypeError)"),
    "gai.service_name": (
        ("exc", "gaierror", -8), "service names are not looked up (a board has no services database): EAI_SERVICE"),
    "size.recv_into_neg": (
        ("ok", (None, None, 4)), "a negative size is the whole buffer, Zerynth's rule (CPython: ValueError)"),
    "dgram.recvfrom_into_neg": (
        ("ok", (3, 3)), "a negative size is the whole buffer, Zerynth's rule (CPython: ValueError)"),
    "wait.shut_rd_then_recv": (
        ("ok", (None, b"")), "no built-in has shutdown: after SHUT_RD our reads return EOF at once"),
    "wait.peer_shut_wr_eof": (
        ("exc", "timeout", errno.ETIMEDOUT), "no built-in has shutdown: the FIN of SHUT_WR goes out at close()"),
    "mkf.text_mode": (
        ("ok", b"t1\n"), "makefile() is the socket itself, as MicroPython's: bytes whatever the mode"),
    "mkf.close_keeps_socket": (
        ("ok", False), "makefile() is the socket itself, as MicroPython's: closing it closes the socket"),
}


def explained(name, cp, mp):
    """Why cp (CPython) and mp (ours) may differ, or None."""
    if name in DELIBERATE:
        ours, why = DELIBERATE[name]
        return why if mp == ours else None
    if cp == ("exc", "timeout", None) and mp == ("exc", "timeout", errno.ETIMEDOUT):
        return "socket.timeout carries errno ETIMEDOUT (CPython: None)"
    if name.startswith("inet_") and cp == ("exc", "OSError", None) and mp == ("exc", "OSError", EINVAL):
        return "inet_* errors carry errno EINVAL (CPython: None)"
    return None


def parse(output):
    cases = {}
    for line in output.splitlines():
        name, sep, result = line.partition("\t")
        if sep:
            cases[name] = literal_eval(result)
    return cases


_runs = {}


# .py and .mpy on the stock binary (the Python paths), frozen into both firmware images
# (the _netfast C paths, 32-bit objects), and "-seconds": through the seconds view
VARIANTS = ["py", "mpy", "frozen64", "frozen32", "mpy-seconds", "frozen32-seconds"]


def run(variant):
    if variant not in _runs:
        if variant == "cpython":
            cmd, env = [sys.executable, str(SCRIPT)], None
        else:
            build, _, view = variant.partition("-")
            binary, libpath = mprun.binary_and_lib(build)
            cmd = [binary, str(SCRIPT)] + ([view] if view else [])
            env = dict(os.environ, MICROPYPATH=os.pathsep.join(libpath + [".frozen"]))
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=TIMEOUT)
        _runs[variant] = (parse(proc.stdout), proc.stdout + proc.stderr)
    return _runs[variant]


@pytest.mark.parametrize("variant", ["cpython"] + VARIANTS)
def test_the_script_runs_every_case(variant):
    cases, output = run(variant)
    assert "done" in cases, "the script stopped early:\n" + output[-3000:]
    assert len(cases) >= 150, "only %d cases" % len(cases)
    if variant != "cpython":
        view = "_socket_s" if variant.endswith("-seconds") else "_socket_ms"
        assert "view: %s\n" % view in output, "not run through %s:\n%s" % (view, output[-2000:])


@pytest.mark.parametrize("variant", VARIANTS)
def test_results_match_cpython(variant):
    cp, _ = run("cpython")
    mp, output = run(variant)
    assert "done" in mp, "the script stopped early:\n" + output[-3000:]
    assert list(mp) == list(cp), "the two runs did not go through the same cases"
    unexplained = ["%s: CPython %r, ours %r" % (name, cp[name], mp[name])
                   for name in cp if cp[name] != mp[name] and not explained(name, cp[name], mp[name])]
    assert not unexplained, "%d differences from CPython:\n%s" % (len(unexplained), "\n".join(unexplained))


def test_deliberate_differences_are_still_ours():
    # A listed difference whose case vanished or now agrees with CPython is stale.
    cp, _ = run("cpython")
    mp, _ = run("py")
    for name, (ours, why) in DELIBERATE.items():
        assert name in mp, "no case %r" % name
        assert mp[name] == ours, "%s: ours is now %r, the list says %r" % (name, mp[name], ours)
