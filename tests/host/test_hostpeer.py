"""tests/harness/hostpeer.py: a device script's own peer, defined in the script."""

import pytest

from harness import hostpeer

SCRIPT = '''# a device script
import mptest
import peerenv


def host_peer():
    import socket
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    yield {"UDP_PEER": s.getsockname(), "NAME": "x"}
    s.close()
    assert WANT, "the peer saw the wrong thing"


def test_a():
    pass
'''


def script(tmp_path, text):
    p = tmp_path / "test_x.py"
    p.write_text(text)
    return p


def test_the_peer_runs_in_cpython_and_its_names_become_peerenv(tmp_path):
    path = script(tmp_path, SCRIPT.replace("WANT", "True"))
    assert hostpeer.has_peer(path)
    peer = hostpeer.HostPeer(path)
    env = peer.start(tmp_path / "env")
    ns = {}
    exec((tmp_path / "env" / "peerenv.py").read_text(), ns)
    assert ns["UDP_PEER"] == env["UDP_PEER"] and ns["UDP_PEER"][0] == "127.0.0.1"
    assert ns["NAME"] == "x"
    peer.finish()
    assert peer.error is None


def test_a_check_after_the_run_is_reported_with_its_line(tmp_path):
    path = script(tmp_path, SCRIPT.replace("WANT", "False"))
    peer = hostpeer.HostPeer(path)
    peer.start(tmp_path / "env")
    peer.finish()
    assert "the peer saw the wrong thing" in peer.error
    assert 'test_x.py", line 12' in peer.error  # the script's own line numbers


def test_what_cannot_become_peerenv_is_refused(tmp_path):
    for bad, why in (('yield [1]', "must yield a dict"), ('yield {"a b": 1}', "not an identifier"),
                     ('yield {"X": object()}', "not a literal")):
        path = script(tmp_path, "def host_peer():\n    %s\n" % bad)
        with pytest.raises((TypeError, ValueError), match=why):
            hostpeer.HostPeer(path).start(tmp_path / "env")


def test_a_script_without_one_has_none(tmp_path):
    assert not hostpeer.has_peer(script(tmp_path, "def test_a():\n    pass\n"))


def test_finish_without_start_never_runs_the_peer(tmp_path):
    # a failure before start() (a board deploy, say) must not start the peer in finish()
    path = script(tmp_path, "def host_peer():\n    raise RuntimeError('started')\n    yield {}\n")
    peer = hostpeer.HostPeer(path)
    peer.finish()
    assert peer.error is None
    with pytest.raises(RuntimeError, match="started"):
        peer.start(tmp_path / "env")
    peer.finish()  # after a failed start: nothing left to run
    assert peer.error is None
