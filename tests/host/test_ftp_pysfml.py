"""sfnet.Ftp against the real pySFML Ftp (Debian's python3-sfml): the same FTP session
(connect, a refused and a good login, pwd, mkdir twice, cd, cdup, upload, listing,
download, rename, deletes of missing and present files and directories, a missing
download and listing, NOOP, QUIT) through each, against a pyftpdlib server of its own,
and every step's status, message and result must agree; the downloaded files are
compared byte for byte with the upload. One script, tests/peers/sfnet_ftp_session.py,
runs under both. The one deliberate difference (docs/sfnet.md): pySFML keeps the space
after the reply code at the start of `message`."""

import json
import subprocess

import pytest

from harness.device import VARIANTS
from peers import mprun, sfnet_interop
from peers.ftp_server import FtpPeer
from peers.servers import pattern

SCRIPT = mprun.ROOT / "tests" / "peers" / "sfnet_ftp_session.py"  # runs under both
UPLOAD = pattern(150000)  # more than one receive buffer

MISSING = sfnet_interop.pysfml_missing()
pytestmark = pytest.mark.skipif(MISSING is not None, reason=str(MISSING))


def _session(run, tmp_path):
    """Run one client's session against a fresh server: (steps, downloaded bytes)."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "up.bin").write_bytes(UPLOAD)
    peer = FtpPeer().start()
    try:
        steps = run(peer.address[1], tmp_path)
    finally:
        peer.stop()
    return steps, (tmp_path / "dl" / "up.bin").read_bytes()


def _result(output):
    lines = [line for line in output.splitlines() if line.startswith("RESULT ")]
    assert lines, output[-3000:]
    return json.loads(lines[-1][len("RESULT "):])


def _pysfml(port, local):
    r = subprocess.run([sfnet_interop.PYSFML_PYTHON, str(SCRIPT), str(port), str(local)],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    return _result(r.stdout)


@pytest.fixture(scope="module")
def pysfml(tmp_path_factory):
    return _session(_pysfml, tmp_path_factory.mktemp("pysfml"))


@pytest.mark.parametrize("variant", VARIANTS)
def test_sfnet_ftp_session_matches_pysfml(pysfml, variant, tmp_path):
    def sfnet(port, local):
        res = mprun.run(SCRIPT, [port, local], variant=variant, timeout=120)
        assert res.code == 0, res.output[-3000:]
        return _result(res.output)

    theirs, their_file = pysfml
    ours, our_file = _session(sfnet, tmp_path)
    assert their_file == UPLOAD, "pySFML's download"
    assert our_file == UPLOAD, "sfnet's download"
    assert [s[0] for s in ours] == [s[0] for s in theirs]
    diffs = []
    for (name, status, message, extra), (_, our_status, our_message, our_extra) in zip(theirs, ours):
        if message.startswith(" "):
            message = message[1:]  # (deliberate: sfnet has no space after the code)
        if (status, message, extra) != (our_status, our_message, our_extra):
            diffs.append("%s: pySFML %r, sfnet %r" % (name, (status, message, extra),
                                                        (our_status, our_message, our_extra)))
    assert not diffs, "\n".join(diffs)


def test_pysfml_keeps_a_space_before_the_message(pysfml):
    # the one deliberate difference: if pySFML ever drops it, the rule above is stale
    assert all(s[2].startswith(" ") for s in pysfml[0]), pysfml[0]
