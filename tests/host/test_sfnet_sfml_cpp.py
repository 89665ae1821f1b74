"""sfnet's Packet against real C++ SFML (libsfml-dev): a tiny SFML program, compiled
here with g++, checks every field type sfnet encodes and answers with its own
encoding, over TCP (length-prefixed, including 300 KB packets sent and received in
non-blocking mode) and over UDP (one packet per datagram). The peer binds 127.0.0.1.
"""

import shutil
import subprocess
from pathlib import Path

import pytest

from peers import mprun, sfnet_interop

PEERS = Path(__file__).resolve().parents[1] / "peers"
SOURCE = PEERS / "sfml_peer.cpp"
SCRIPT = PEERS / "mpscripts" / "sfnet_sfml_cpp.py"


def _missing():
    if not shutil.which("g++"):
        return "g++ is not installed (tools/install_peers.py installs it as root)"
    if not Path("/usr/include/SFML/Network.hpp").exists():
        return "libsfml-dev is not installed (tools/install_peers.py installs it as root)"
    return None


MISSING = _missing()
pytestmark = pytest.mark.skipif(MISSING is not None, reason=str(MISSING))

_state = {}


@pytest.fixture(scope="module")
def peer_binary(tmp_path_factory):
    out = tmp_path_factory.mktemp("sfml") / "sfml_peer"
    r = subprocess.run(["g++", "-O1", "-Wall", "-o", str(out), str(SOURCE),
                        "-lsfml-network", "-lsfml-system"], capture_output=True, text=True)
    assert r.returncode == 0, "compiling the SFML peer failed:\n" + r.stderr
    return out


def _run(variant, binary):
    if variant not in _state:
        proc, ports = sfnet_interop.start_peer([str(binary)])
        try:
            _state[variant] = sfnet_interop.run_mp(SCRIPT, ports, variant, timeout=60)
        finally:
            sfnet_interop.stop_peer(proc)
    return _state[variant]


@pytest.mark.parametrize("variant,name", mprun.params(SCRIPT))
def test_packet_interop(variant, name, peer_binary):
    mprun.check(_run(variant, peer_binary), name)
