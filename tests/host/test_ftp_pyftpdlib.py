"""sfnet.Ftp (MicroPython, both variants) against pyftpdlib on loopback: every
operation, transfers larger than the buffer, bad credentials, missing files, and a
pyftpdlib server that drops the data or control connection mid-transfer."""

import shutil
import sys
import tempfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from peers import mprun  # noqa: E402

pytest.importorskip("pyftpdlib", reason="pyftpdlib is pinned in requirements.txt: run `make venv`")

from peers.ftp_server import FtpPeer  # noqa: E402

SCRIPT = mprun.SCRIPTS / "ftp_ops.py"


@pytest.fixture(scope="module")
def peers():
    # one pair of servers per variant, so the two runs do not see each other's files
    started = {v: (FtpPeer().start(), FtpPeer(dropping=True).start(), tempfile.mkdtemp(prefix="ftp-client-"))
               for v in mprun.VARIANTS}
    yield started
    for a, b, cwd in started.values():
        shutil.rmtree(cwd, ignore_errors=True)
        a.stop()
        b.stop()


@pytest.mark.parametrize("variant,name", mprun.params(SCRIPT))
def test_ftp_against_pyftpdlib(peers, variant, name):
    plain, dropping, cwd = peers[variant]
    res = mprun.run(SCRIPT, [plain.address[0], plain.address[1], plain.root, dropping.address[1], dropping.root],
                    variant, cwd=cwd)
    mprun.check(res, name)


DOC = mprun.ROOT / "docs" / "ftp.md"


@pytest.mark.parametrize("index", range(len(mprun.doc_examples(DOC))))
def test_docs_examples_run(index, tmp_path):
    """Every example in docs/ftp.md runs against pyftpdlib (port 2121 there is the peer's)."""
    peer = FtpPeer().start()
    try:
        source = mprun.doc_examples(DOC)[index].replace("2121", str(peer.address[1]))
        code, out = mprun.run_source(source, "mpy", tmp_path)
    finally:
        peer.stop()
    assert code == 0, out
