"""sfnet against the real pySFML (Debian's python3-sfml): TCP both ways, UDP both ways,
SocketSelector with several clients, IpAddress.from_string on a table of strings, and
one script of TcpSocket/UdpSocket/TcpListener/SocketSelector calls (reconnects, disconnects, peers
that close, non-blocking reads, busy ports) whose every result must match pySFML's.

The pySFML peer (tests/peers/pysfml_peer.py) binds the wildcard address, so it and the
MicroPython script run in a private network namespace with only loopback.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from harness.device import VARIANTS
from peers import mprun, sfnet_interop

HERE = Path(__file__).resolve()
PEERS = HERE.parents[1] / "peers"
SCRIPT = PEERS / "mpscripts" / "sfnet_pysfml.py"
IP_SCRIPT = PEERS / "mpscripts" / "sfnet_ipaddress.py"

MISSING = sfnet_interop.pysfml_missing()
pytestmark = pytest.mark.skipif(MISSING is not None, reason=str(MISSING))

_results = {}


def _run(variant):
    if variant not in _results:
        with sfnet_interop.netns() as prefix:
            proc, ports = sfnet_interop.start_peer(
                prefix + [sfnet_interop.PYSFML_PYTHON, str(PEERS / "pysfml_peer.py"), "serve"])
            try:
                _results[variant] = sfnet_interop.run_mp(SCRIPT, ports, variant, prefix, timeout=60)
            finally:
                sfnet_interop.stop_peer(proc)
    return _results[variant]


@pytest.mark.parametrize("variant,name", mprun.params(SCRIPT))
def test_interop(variant, name):
    mprun.check(_run(variant), name)


BEHAVIOUR = PEERS / "sfnet_pysfml_behaviour.py"


def _lines(cmd, prefix, env=None):
    r = subprocess.run(prefix + cmd, capture_output=True, text=True, timeout=60, env=env)
    cases = dict(line.split("\t", 1) for line in r.stdout.splitlines() if "\t" in line)
    assert r.returncode == 0 and "done" in cases, r.stdout[-2000:] + r.stderr[-2000:]
    return cases


@pytest.mark.parametrize("variant", VARIANTS)
def test_behaviour_matches_pysfml(variant):
    binary, libpath = mprun.binary_and_lib(variant)
    env = dict(os.environ, MICROPYPATH=os.pathsep.join(libpath + [".frozen"]))
    with sfnet_interop.netns() as prefix:
        proc, ports = sfnet_interop.start_peer(prefix + [sys.executable, str(PEERS / "tcp_echo_closer.py")])
        try:
            theirs = _lines([sfnet_interop.PYSFML_PYTHON, str(BEHAVIOUR)] + ports, prefix)
            ours = _lines([binary, str(BEHAVIOUR)] + ports, prefix, env)
        finally:
            sfnet_interop.stop_peer(proc)
    assert list(ours) == list(theirs), "the two runs did not go through the same cases"
    diffs = ["%s: pySFML %s, sfnet %s" % (k, theirs[k], ours[k]) for k in theirs if theirs[k] != ours[k]]
    assert not diffs, "\n".join(diffs)


# inet_aton's rules, whitespace tails, out-of-range parts, garbage, names.
IP_TABLE = [
    "127.0.0.1", "192.168.1.56", "203.0.113.2", "0.0.0.0", "255.255.255.255",
    "127.1", "1.2.3", "10.1", "0x7f.1", "0X7F.0.0.1", "010.0.0.1", "0377.0377.0377.0377",
    "4294967295", "4294967296", "0xffffffff", "0x100000000", "2130706433",
    "1.2.3.4 ", "1.2.3.4\n", "1.2.3.4\tjunk", "1.2.3.4 foo bar",
    "", " ", " 1.2.3.4", "1.2.3.4x", "1.2.3.4.5", "256.1.1.1", "1.256.1.1", "1.1.1.256",
    "1.2.65536", "1.16777216", "1..2", ".1.2.3", "1.2.3.", "08.1.1.1", "09", "0x", "0xg",
    "-1", "+1", "1.-2.3.4", "abc", "1e3", "255.255.255.256", "999.999.999.999",
    "localhost", "no.such.host.invalid",
]


def _pysfml_table():
    r = subprocess.run([sfnet_interop.PYSFML_PYTHON, str(PEERS / "pysfml_peer.py"), "ipaddress"],
                       input=json.dumps(IP_TABLE), capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


@pytest.mark.parametrize("variant", ["py", "mpy"])
def test_ipaddress_matches_pysfml(variant, tmp_path):
    want = _pysfml_table()
    table = tmp_path / "table.json"
    table.write_text(json.dumps(IP_TABLE))
    res = sfnet_interop.run_mp(IP_SCRIPT, [table], variant, timeout=120)
    assert res.code == 0, res.output
    got = json.loads(res.output.strip().splitlines()[-1])
    diffs = ["%r: pySFML %r, sfnet %r" % (s, w, g) for s, w, g in zip(IP_TABLE, want, got) if w != g]
    assert not diffs, "\n".join(diffs)
    assert len(got) == len(IP_TABLE)


def test_local_address_matches_pysfml():
    r = subprocess.run([sfnet_interop.PYSFML_PYTHON, "-c",
                        "import sfml.network as n; print(n.IpAddress.get_local_address().integer)"],
                       capture_output=True, text=True, timeout=30)
    assert r.returncode == 0, r.stderr
    res = sfnet_interop.run_mp(IP_SCRIPT, ["--local"], "py", timeout=30)
    assert res.code == 0, res.output
    assert int(res.output.split()[-1]) == int(r.stdout), res.output
