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


HOSTILE_SCRIPT = mprun.SCRIPTS / "ftp_hostile.py"
LISTING = b"".join(b"file-name-%014d.txt\r\n" % i for i in range(400))  # 12,000 bytes


@pytest.fixture(scope="module")
def misbehaving(tmp_path_factory):
    """Per variant: FTP servers that misbehave on purpose (tests/peers/ftp_hostile.py)
    and raw greeting servers, all storing uploads in one root."""
    from peers.ftp_hostile import HostileFtp
    from peers.fuzz_peers import CaseServer

    assert len(LISTING) == 12000
    started = {}
    for v in mprun.VARIANTS:
        root = str(tmp_path_factory.mktemp("ftp-hostile-" + v))
        servers = [
            HostileFtp(root, epsv="refuse", pasv="bounce"),
            HostileFtp(root, epsv="refuse", pasv="bare"),
            HostileFtp(root, payload=LISTING, seg=1, pace=0.0001),  # 1 byte a segment, paced
            HostileFtp(root, retr="no1xx", stor="no1xx"),
            HostileFtp(root, retr="endless"),
            HostileFtp(root),
        ]
        greetings = [(b"099 hello\r\n", []), (b"000 hello\r\n", []),
                     (b"120 ready in 1 minute\r\n220 ready\r\n", [b"221 bye\r\n"]),
                     (b"120 ready in 1 minute\r\n", [])]
        servers += [CaseServer([g], "ftp") for g in greetings]
        servers.append(HostileFtp(root, ctl_seg=1, pace=0.0002))  # replies 1 byte a segment
        started[v] = (root, [s.start() for s in servers])
    yield started
    for _, servers in started.values():
        for s in servers:
            s.stop()


@pytest.mark.parametrize("variant,name", mprun.params(HOSTILE_SCRIPT))
def test_ftp_against_misbehaving_servers(misbehaving, variant, name, tmp_path_factory):
    root, servers = misbehaving[variant]
    res = mprun.run(HOSTILE_SCRIPT, ["127.0.0.1", root] + [s.address[1] for s in servers], variant,
                    cwd=str(tmp_path_factory.mktemp("ftp-client-" + variant)))
    mprun.check(res, name)
