"""sfnet.Ftp (MicroPython, both variants) against pyftpdlib on loopback: every
operation, transfers larger than the buffer, bad credentials, missing files, and a
pyftpdlib server that drops the data or control connection mid-transfer; and raw peers
whose replies pass the client's size bound, in a 200 KB heap."""

import shutil
import sys
import tempfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from peers import mprun  # noqa: E402

pytest.importorskip("pyftpdlib", reason="pyftpdlib is pinned in requirements.txt: run `make venv`")

from peers.ftp_server import FtpPeer  # noqa: E402
from peers.fuzz_peers import one_server_per_case, run_against_cases  # noqa: E402

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


HEAP_SCRIPT = mprun.SCRIPTS / "ftp_heap.py"


def _multiline(n, size, fill):
    return b"220-start\r\n" + (fill * size + b"\r\n") * n + b"220 end\r\n"


@pytest.fixture(scope="module")
def hostile():
    """Raw FTP peers (one per case, so a failing case cannot shift the others) whose
    replies pass the client's bound, and one within it."""
    cases = [
        (_multiline(199, 4000, b"x"), []),                                  # 800 KB
        (_multiline(150, 100, b"y"), []),                                   # 15 KB
        (_multiline(70, 100, b"y"), [b'257 "/here" is the current directory\r\n', b"221 bye\r\n"]),
        (_multiline(150, 100, b"y"), [b"221 bye\r\n"]),
    ]
    yield from one_server_per_case([case + (None,) for case in cases], "ftp", mprun.VARIANTS)


@pytest.mark.parametrize("variant,name", mprun.params(HEAP_SCRIPT))
def test_ftp_reply_bound_in_small_heap(hostile, variant, name):
    run_against_cases(HEAP_SCRIPT, hostile[variant], variant, name)


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
